/**
 * Why a deletion or an export failed, in the console's language, with what to do (faqErrorText and
 * intentErrorText say the other failures of FAQ entries and intents with failureReason too). The
 * API words its refusals in English only (404 'document … not found', 403 'this needs the editor
 * role…', 401, 5xx) and a network failure is the browser's 'Failed to fetch'; the notices showed
 * those as they were. The API's message stays, as a detail, only for a refusal worded no better here.
 */
import { ApiError } from './api';
import type { I18n } from './i18n-context';
import { ROLES, type Role } from './roles';

const roleOf = (word: string | undefined): Role | undefined => ROLES.find((r) => r === word);

/**
 * Why the request failed, as a sentence saying what to do. `gone`: the sentence for a 404 of the
 * thing itself; `kbGone`, where given, for a 404 of the KB it is in (the API names which).
 */
export function failureReason(err: Error, t: I18n['t'], gone: string, kbGone = gone): string {
  if (!(err instanceof ApiError)) return t('requestError.network');
  const { status, message } = err;
  if (status === 404) return /^(knowledge base|organisation) \S+ not found/.test(message) ? kbGone : gone;
  if (status === 401) return t('requestError.session');
  if (status === 403) {
    if (message.includes('X-CSRF-Token')) return t('requestError.csrf');
    const m = /needs the (\w+) role .*; you have (\w+)/.exec(message);
    const needed = roleOf(m?.[1]);
    const current = roleOf(m?.[2]);
    return needed && current
      ? t('requestError.role', {
          needed: t(`access.role.${needed}`),
          current: t(`access.role.${current}`),
        })
      : t('requestError.forbidden');
  }
  if (status === 429) return t('requestError.tooMany');
  if (status >= 500) return t('requestError.server', { status });
  return t('requestError.refused', { status, detail: message });
}

export type DeleteKind = 'doc' | 'kb' | 'faq' | 'widgetKey';

/**
 * The error notice of a refused deletion of a document, a KB, an FAQ entry or (revoked) a widget key
 * named `name`.
 */
export function deleteErrorText(err: Error, t: I18n['t'], kind: DeleteKind, name: string): string {
  const reason =
    kind === 'kb'
      ? failureReason(err, t, t('deleteError.kbGone'))
      : failureReason(err, t, t('deleteError.gone'), t('requestError.kbGone'));
  return t(`deleteError.${kind}`, { name, reason });
}

/** The error notice of a failed analytics CSV export. */
export function csvExportErrorText(err: Error, t: I18n['t']): string {
  if (err instanceof ApiError && err.status === 404) return t('analytics.csvKbMissing');
  return t('analytics.csvFailed', { reason: failureReason(err, t, t('analytics.csvKbMissing')) });
}

/** The error notice of a failed FAQ export (`format`: CSV, XLSX, JSON); its 404 is the KB's. */
export function faqExportErrorText(err: Error, t: I18n['t'], format: string): string {
  return t('faqError.export', { format, reason: failureReason(err, t, t('requestError.kbGone')) });
}
