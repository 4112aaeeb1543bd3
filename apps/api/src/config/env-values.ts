/**
 * Reading one environment variable as a typed setting, for the server's config (app-config.ts) and
 * the CLI's (apps/cli/src/cli-config.ts): unset or empty gives the default, anything unreadable an
 * error that names the variable.
 */

/** A non-negative integer. */
export function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/**
 * A TCP port a server listens on, 1-65535. One message for every bad value (a word, 0, -1, 70000):
 * "must be a non-negative integer" for PORT=abc read as if 0 were allowed.
 */
export function portFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`${name} must be a port number from 1 to 65535, got "${value}"`);
  return n;
}

/** 1/true/yes/on or 0/false/no/off, in any case. */
export function boolFrom(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

/**
 * A URL with one of `schemes` (and a host unless `hostOptional`); the error names the variable and
 * what is wrong but never repeats the value, which may hold a password.
 */
export function serviceUrlFrom(
  value: string | undefined,
  name: string,
  schemes: string[],
  example: string,
  hostOptional = false,
): string | undefined {
  if (!value) return undefined;
  const expected = `${name} must be a URL such as ${example}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${expected} (the value set does not parse as a URL)`);
  }
  if (!schemes.includes(url.protocol))
    throw new Error(`${expected} (its scheme is "${url.protocol}", expected ${schemes.join(' or ')})`);
  if (!url.hostname && !hostOptional) throw new Error(`${expected} (it names no host)`);
  return value;
}

/**
 * DATABASE_URL, the server's and the CLI's: a postgres(ql) URL. A socket directory instead of a
 * host is PostgreSQL's own (postgres:///db?host=/var/run/postgresql).
 */
export function databaseUrlFrom(value: string | undefined): string | undefined {
  return serviceUrlFrom(
    value,
    'DATABASE_URL',
    ['postgres:', 'postgresql:'],
    'postgres://user:password@host:5432/db',
    true,
  );
}
