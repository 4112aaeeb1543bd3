/**
 * Country and region names as the runtime's ICU data spells them (ISO 3166 regions and the
 * continents, long and short: "United Kingdom", "UK", 英国, 香港), lower case: the places a follow-up
 * can name in place of another ("what about the UK?" after "Do you ship to Canada?"), for English,
 * which the segmenter tags no places in.
 */
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** UN M.49 continents and large regions (Europe, Asia, Latin America ...). */
const CONTINENTS = ['002', '009', '019', '142', '150', '419'];
/** Codes whose names are no place a customer ships to (unknown region, pseudo-locales, the UN). */
const NOT_PLACES = new Set(['ZZ', 'UN', 'XA', 'XB', 'QO']);

const cache = new Map<string, ReadonlySet<string>>();

export function regionNames(locale: 'en' | 'zh'): ReadonlySet<string> {
  const cached = cache.get(locale);
  if (cached) return cached;
  const names = new Set<string>();
  const codes = [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b)).concat(CONTINENTS);
  for (const style of ['long', 'short'] as const) {
    const display = new Intl.DisplayNames([locale], { type: 'region', style, fallback: 'none' });
    for (const code of codes) {
      if (NOT_PLACES.has(code)) continue;
      const name = display.of(code);
      if (name) names.add(name.toLowerCase());
    }
  }
  cache.set(locale, names);
  return names;
}
