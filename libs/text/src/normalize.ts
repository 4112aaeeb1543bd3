/**
 * Text normalisation shared by the cache key, BM25 and the lexical reader:
 * full-width ASCII to half-width, lower case, collapsed whitespace, trailing punctuation dropped.
 */

const FULL_WIDTH = /[\u3000\uff01-\uff5e]/g;

/** Converts full-width ASCII variants (Ｆｕｌｌ，１２３) to their half-width forms and U+3000 to a space. */
export function toHalfWidth(text: string): string {
  return text.replace(FULL_WIDTH, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** The normalised form of a question, used as a cache key and for duplicate detection. */
export function normalizeQuestion(question: string): string {
  return toHalfWidth(question.normalize('NFKC'))
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?？!！。.,，;；:：~～]+$/u, '');
}

/** True for characters in the CJK Unified Ideographs blocks (incl. extension A and compatibility). */
export function isCjkChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x20000 && c <= 0x2a6df) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x2f800 && c <= 0x2fa1f)
  );
}

/** Share of CJK characters among letters/ideographs: used to guess a text's language. */
export function cjkRatio(text: string): number {
  let cjk = 0;
  let letters = 0;
  for (const ch of text) {
    if (isCjkChar(ch)) {
      cjk++;
      letters++;
    } else if (/\p{L}/u.test(ch)) letters++;
  }
  return letters === 0 ? 0 : cjk / letters;
}

/** A text counts as Chinese from this share of CJK characters among its letters. */
export const CHINESE_TEXT_CJK_RATIO = 0.3;

/**
 * Whether a text is written in Chinese (CHINESE_TEXT_CJK_RATIO): what a mixed KB's replies, its
 * reader for the question and the language of a KB's content are decided by.
 */
export function writtenInChinese(text: string): boolean {
  return cjkRatio(text) >= CHINESE_TEXT_CJK_RATIO;
}

/**
 * The language a set of texts is written in: 'zh' when at least 80 % of those with letters are
 * Chinese (CHINESE_TEXT_CJK_RATIO), 'en' when at most 20 % are, else 'mixed'; null under 3 texts
 * with letters (too few to tell).
 */
export function dominantLanguage(texts: Iterable<string>): 'zh' | 'en' | 'mixed' | null {
  let chinese = 0;
  let counted = 0;
  for (const text of texts) {
    if (!/\p{L}/u.test(text)) continue;
    counted++;
    if (writtenInChinese(text)) chinese++;
  }
  if (counted < 3) return null;
  const share = chinese / counted;
  return share >= 0.8 ? 'zh' : share <= 0.2 ? 'en' : 'mixed';
}
