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

/** 1/true/yes/on or 0/false/no/off, in any case. */
export function boolFrom(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}
