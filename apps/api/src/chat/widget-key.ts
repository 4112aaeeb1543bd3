/**
 * A widget key: the public key a page's chat widget connects with, scoped to one KB and, when it
 * lists any, to the origins whose pages may use it. A revoked key keeps its row (history, the audit
 * log) and opens no socket.
 */

/** The longest name of a key, in characters (migration 1766600000000 checks it too). */
export const WIDGET_KEY_NAME_MAX = 80;
export interface WidgetKey {
  id: string;
  key: string;
  kbId: string;
  /** The admin's label for it ("Shop A (www)"); null: none. */
  name: string | null;
  allowedOrigins: string[];
  createdAt: Date;
  /** The last time a widget connected with it (kept to the minute); null: never. */
  lastUsedAt: Date | null;
  /** Set once revoked; a revoked key stays revoked. */
  revokedAt: Date | null;
}

/** The origin a page or an admin gave (`https://shop.example.com/`) as a browser sends it, or null. */
export function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Whether a page of `origin` may use the key: one that lists no origin allows every page. */
export function allowsOrigin(key: Pick<WidgetKey, 'allowedOrigins'>, origin: string | undefined): boolean {
  if (!key.allowedOrigins.length) return true;
  const from = origin ? normalizeOrigin(origin) : null;
  return from !== null && key.allowedOrigins.includes(from);
}
