/**
 * Who a request counts against for the rate limits, without depending on how credentials are
 * checked: the client IP (Express's req.ip, which honours WENDAO_TRUST_PROXY) and, when it carries
 * one, a credential — an Authorization bearer token or the login session cookie — as a hash, so
 * neither tokens nor cookies are ever kept in the counters' store.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The login session cookie the auth module sets (shared contract). */
export const SESSION_COOKIE = 'wendao_session';

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** `bearer:<hash>` or `session:<hash>`, or undefined for a request without a credential. */
export function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) return `bearer:${hash(bearer)}`;
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      if (value) return `session:${hash(value)}`;
    }
  }
  return undefined;
}

/** An IPv4-mapped IPv6 address counts as the IPv4 address it maps. */
export function normalizeIp(ip: string | undefined): string {
  if (!ip) return 'unknown';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
