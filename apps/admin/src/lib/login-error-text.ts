/**
 * Why signing in failed, in the console's language: the API words a wrong password (401) and too
 * many attempts (429, with Retry-After) in English only; anything else keeps the server's message.
 */
import { ApiError } from './api';
import type { I18n } from './i18n-context';

export function loginErrorText(err: Error, t: I18n['t']): string {
  if (!(err instanceof ApiError)) return err.message;
  if (err.status === 401) return t('login.wrongCredentials');
  if (err.status === 429 && err.retryAfter !== undefined)
    return t('login.tooManyAttempts', { seconds: err.retryAfter });
  return err.message;
}
