/**
 * Why the Members page's add, role change or removal was refused, in the console's language. The API
 * words these refusals in English only: 409 'the organisation must keep an owner…' (the last owner
 * demoted or removed), 409 '… is already a member', 400 'no user has the email … yet: give a
 * password…' (a new user needs a password), 404 'user … is not a member' (removed meanwhile); the
 * rest as failureReason says it.
 */
import { ApiError } from './api';
import type { I18n } from './i18n-context';
import { failureReason } from './request-error-text';

export type MemberAction = 'add' | 'role' | 'remove';

/** The error notice of a refused `action` on the member `who` (their name or email). */
export function memberErrorText(err: Error, t: I18n['t'], action: MemberAction, who: string): string {
  let reason: string | undefined;
  if (err instanceof ApiError) {
    if (err.status === 409 && /must keep an owner/.test(err.message)) reason = t('members.error.lastOwner');
    else if (err.status === 409 && /already a member/.test(err.message)) reason = t('members.error.already');
    else if (err.status === 400 && /^no user has the email/.test(err.message))
      reason = t('members.error.needsPassword');
    else if (err.status === 400 && /password must be longer than or equal to/.test(err.message))
      reason = t('members.error.passwordShort');
    else if (err.status === 400 && /email must be an email/.test(err.message))
      reason = t('members.error.badEmail');
  }
  reason ??= failureReason(err, t, t('members.error.gone'), t('members.error.orgGone'));
  return t(`members.error.${action}`, { who, reason });
}
