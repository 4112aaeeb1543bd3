/**
 * Widget keys as the console shows and edits them: the key masked (after its name, when it has one),
 * the name checked as the server checks it, allowed origins typed one per
 * line (checked as the server checks them, so the form can say which line is wrong in the admin's
 * language), and the script tag a site pastes to embed the chat.
 */
import type { UiLanguage } from './i18n';

/** `wk_AbCd…wXyZ`: enough to tell keys apart in a list without showing the whole key. */
export function maskKey(key: string): string {
  const body = key.startsWith('wk_') ? key.slice(3) : key;
  if (body.length <= 10) return key;
  return `${key.slice(0, key.length - body.length)}${body.slice(0, 4)}…${body.slice(-4)}`;
}

/** An origin as a browser sends it (`https://shop.example.com`), or null for anything else. */
export function normalizeOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Origins typed one per line: normalised and deduplicated, and the lines that are not origins. */
export function parseOrigins(text: string): { origins: string[]; invalid: string[] } {
  const lines = text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const line of lines) {
    const origin = normalizeOrigin(line);
    if (!origin) invalid.push(line);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, invalid };
}

/** The tag a page embeds the chat with: the widget served by this server, the key, its language. */
export function widgetSnippet(server: string, key: string, lang: UiLanguage): string {
  return `<script src="${server}/widget.js" data-key="${key}" data-lang="${lang}"></script>`;
}

/** Live keys first (oldest first, as listed), then the revoked ones, most recently revoked first. */
export function sortKeys<T extends { revokedAt?: string | null }>(keys: T[]): T[] {
  const live = keys.filter((k) => !k.revokedAt);
  const revoked = keys.filter((k) => k.revokedAt).sort((a, b) => b.revokedAt!.localeCompare(a.revokedAt!));
  return [...live, ...revoked];
}

/** The longest name of a key, in characters, as the server allows (docs/chat.md). */
export const KEY_NAME_MAX = 80;

/**
 * A name as typed: trimmed (blank: none), and its length in characters (an emoji is one) if over
 * `max` (a widget key's KEY_NAME_MAX by default; an API key's is API_KEY_NAME_MAX).
 */
export function parseKeyName(
  text: string,
  max = KEY_NAME_MAX,
): { name: string | null; tooLong: number | null } {
  const name = text.trim();
  const length = [...name].length;
  return { name: name || null, tooLong: length > max ? length : null };
}

/** How a key is named in a sentence: `Shop A (wk_AbCd…2345)`, or the masked key alone. */
export function keyLabel(k: { key: string; name?: string | null }): string {
  return k.name ? `${k.name} (${maskKey(k.key)})` : maskKey(k.key);
}
