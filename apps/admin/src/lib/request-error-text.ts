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

/** A 404 the API says of the KB (or organisation) a thing is in, not of the thing itself. */
const KB_GONE = /^(knowledge base|organisation) \S+ not found/;

/**
 * Why the request failed, as a sentence saying what to do. `gone`: the sentence for a 404 of the
 * thing itself; `kbGone`, where given, for a 404 of the KB it is in (the API names which).
 */
export function failureReason(err: Error, t: I18n['t'], gone: string, kbGone = gone): string {
  if (!(err instanceof ApiError)) return t('requestError.network');
  const { status, message } = err;
  if (status === 404) return KB_GONE.test(message) ? kbGone : gone;
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

/**
 * The error notice of a failed FAQ export (`format`: CSV, XLSX, or JSON: the whole knowledge base's
 * file); its 404 is the KB's.
 */
export function faqExportErrorText(err: Error, t: I18n['t'], format: string): string {
  const reason = failureReason(err, t, t('requestError.thisKbGone'));
  return format.toUpperCase() === 'JSON'
    ? t('faqError.exportKb', { reason })
    : t('faqError.export', { format, reason });
}

/**
 * The notice of an edit form's save refused because its FAQ entry or intent was deleted meanwhile
 * (a 404 of the thing itself, not of its KB): the page closes the form and reloads the list, as a
 * failed delete does. Undefined for any other failure (the form says that one itself).
 */
export function editGoneText(err: Error, t: I18n['t'], kind: 'faq' | 'intent'): string | undefined {
  if (!(err instanceof ApiError) || err.status !== 404 || KB_GONE.test(err.message)) return undefined;
  // An intent's example gone is not its intent gone.
  if (kind === 'intent' && /^example /.test(err.message)) return undefined;
  return t(kind === 'faq' ? 'faqError.goneReloaded' : 'intentError.goneReloaded');
}

/** The error of a refused "New knowledge base": its 404 is the organisation picked. */
export function kbCreateErrorText(err: Error, t: I18n['t']): string {
  return t('kbError.create', {
    reason: kbNameTakenText(err, t) ?? failureReason(err, t, t('kbError.orgGone')),
  });
}

/** A 409 `kb_name_taken` (docs/api.md): another KB of the organisation has the name, in any case. */
function kbNameTakenText(err: Error, t: I18n['t']): string | undefined {
  if (!(err instanceof ApiError) || err.code !== 'kb_name_taken') return undefined;
  const name = err.values?.name;
  return t('kbError.nameTaken', { name: typeof name === 'string' ? name : '' });
}

/** The error of a refused save of a KB's settings: its 404 is the KB itself. */
export function settingsSaveErrorText(err: Error, t: I18n['t']): string {
  return t('settingsError.save', {
    reason: kbNameTakenText(err, t) ?? failureReason(err, t, t('requestError.thisKbGone')),
  });
}

/** The error of the intents page's "Try a sentence" (classify): its 404 is the KB. */
export function classifyErrorText(err: Error, t: I18n['t']): string {
  return t('intentError.classify', { reason: failureReason(err, t, t('requestError.thisKbGone')) });
}

/**
 * The error of the test console's question: a question too long or without words is said as such
 * (the API words it in English only), another failure as failureReason says it.
 */
export function askErrorText(err: Error, t: I18n['t']): string {
  if (err instanceof ApiError && err.status === 400) {
    const long = /^question is too long \((\d+) characters; the limit is (\d+)\)/.exec(err.message);
    if (long) return t('test.questionTooLong', { length: Number(long[1]), max: Number(long[2]) });
    if (/^question (has no words|must not be empty)/.test(err.message)) return t('test.questionNoWords');
  }
  return t('test.askFailed', { reason: failureReason(err, t, t('requestError.thisKbGone')) });
}

/**
 * The error of a refused save of a widget key (`creating`: a new one): gone or revoked meanwhile
 * said as such; the API's message stays only as a refusal's detail (a name or origin it refused).
 */
export function widgetKeySaveErrorText(err: Error, t: I18n['t'], creating: boolean): string {
  const reason =
    err instanceof ApiError && err.status === 409 && /revoked/.test(err.message)
      ? t('widgetError.revoked')
      : failureReason(err, t, t('widgetError.gone'), t('requestError.thisKbGone'));
  return t(creating ? 'widgetError.create' : 'widgetError.save', { reason });
}

/** A refusal of the chat socket, as its ack's `error` or an `error` event: { code, message, values }. */
export interface ChatRefusal {
  code?: string;
  message: string;
  values?: Record<string, unknown>;
}

/**
 * The agent console's error: a chat socket refusal by its code (and, for `forbidden`, why), a failed
 * connection (socket.io's connect_error: an Error with the refusal as `data`, or none when the server
 * could not be reached), no acknowledgement in time (emitAck's `no_ack`), or a failed request of the left-messages inbox (an ApiError).
 */
export function agentErrorText(err: ChatRefusal | Error, t: I18n['t']): string {
  if (err instanceof ApiError) return failureReason(err, t, t('agentError.leftGone'));
  const refusal: ChatRefusal | undefined =
    err instanceof Error ? (err as Error & { data?: ChatRefusal }).data : err;
  if (!refusal?.code) return t('requestError.network');
  const { code, message, values } = refusal;
  switch (code) {
    case 'forbidden':
      if (/needs the agent role/.test(message)) return t('agentError.role');
      if (/no longer serve/.test(message)) return t('agentError.removed');
      if (/not with you|with another agent/.test(message)) return t('agentError.notYours');
      if (/sign|csrf/i.test(message)) return t('requestError.session');
      return t('requestError.forbidden');
    case 'not_found':
    case 'no_session':
      return t('agentError.sessionGone');
    case 'illegal_transition':
      return t('agentError.changed');
    case 'customer_offline':
      return t('agentError.customerOffline');
    case 'message_too_long': {
      const length = Number(values?.length);
      const limit = Number(values?.limit);
      return Number.isFinite(length) && Number.isFinite(limit)
        ? t('agentError.tooLong', { length, limit })
        : t('agentError.refused', { detail: message });
    }
    case 'rate_limited':
      return t('requestError.tooMany');
    case 'unavailable':
      return t('agentError.unavailable');
    case 'internal':
      return t('agentError.internal');
    case 'no_ack':
      return t('agentError.noAck');
    default:
      return t('agentError.refused', { detail: message });
  }
}
