/**
 * Password hashing with argon2id (@node-rs/argon2's defaults: 19 MiB memory, 2 passes, as OWASP's
 * cheat sheet recommends), stored as the PHC string with its salt and parameters.
 */
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** A hash that matches no password: an unknown email costs the same time as a wrong password. */
const NO_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$nuPRkWLUCjvuOSMtmMMWsQ$NisC9QsSIjRRLh6ESQ2Slg5v0Dh3+14LYbi9aS4CVWQ';

export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  try {
    return await verify(stored ?? NO_USER_HASH, password);
  } catch {
    return false;
  }
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `the password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `the password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  return undefined;
}
