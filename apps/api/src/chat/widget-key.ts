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

/**
 * The origin of the page a socket comes from: its handshake's Origin header, else its Referer's origin.
 * Browsers send no Origin on a same-origin GET, which is what socket.io's long-polling handshake is: a
 * widget on the server's own origin (/demo, or a shop that proxies Wendao under its own domain) on a
 * page or network without WebSocket was refused. A cross-origin request from a browser always carries
 * Origin, and a page cannot make its Referer name another origin, so this admits no page that Origin
 * would refuse; with neither header (a page with `Referrer-Policy: no-referrer`) the origin is unknown.
 */
export function pageOrigin(headers: {
  origin?: string | string[];
  referer?: string | string[];
}): string | undefined {
  if (typeof headers.origin === 'string') return headers.origin;
  if (typeof headers.referer !== 'string') return undefined;
  try {
    const url = new URL(headers.referer);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
