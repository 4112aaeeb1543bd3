/**
 * Why the API keys page's create or revoke was refused, in the console's language. The API words
 * these in English only: 404 'knowledge base … not found' (the KB picked was deleted meanwhile), 404
 * 'organisation … not found' (gone, or no longer the caller's), 404 'API key … not found', 403 for a
 * role no longer owner; the rest as failureReason says it.
 */
import { ApiError } from './api';
import type { I18n } from './i18n-context';
import { failureReason } from './request-error-text';

export type ApiKeyAction = 'create' | 'revoke';

/** The error of a refused `action` (`key`: how the key is named, for a revoke). */
export function apiKeyErrorText(err: Error, t: I18n['t'], action: ApiKeyAction, key = ''): string {
  const gone = action === 'create' ? t('apiKeys.error.kbGone') : t('apiKeys.error.gone');
  const orgGone =
    err instanceof ApiError && err.status === 404 && /^organisation \S+ not found/.test(err.message);
  const reason = orgGone ? t('members.error.orgGone') : failureReason(err, t, gone, gone);
  return action === 'create'
    ? t('apiKeys.error.create', { reason })
    : t('apiKeys.error.revoke', { key, reason });
}
