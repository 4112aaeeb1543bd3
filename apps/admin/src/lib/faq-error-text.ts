/**
 * Why the API refused an FAQ entry, in the console's language: the refusal's {code, values}
 * (docs/api.md, "FAQ entries") worded from messages.ts. Another failure (the entry deleted meanwhile,
 * a role that may not, the server unreachable) is said as failureReason says it; only a refusal it
 * has no sentence for keeps the API's English message, as a detail.
 */
import { ApiError } from './api';
import type { I18n } from './i18n-context';
import { str } from './ingest-error-text';
import { failureReason } from './request-error-text';

export function faqErrorText(err: Error, t: I18n['t']): string {
  if (err instanceof ApiError && err.code === 'faq_question_taken' && err.values) {
    const question = str(err.values.question);
    if (question) return t('faqError.questionTaken', { question });
  }
  return failureReason(err, t, t('faqError.gone'), t('requestError.kbGone'));
}

/** The error notice of a failed switch of the entry asking `question` on (`enabling`) or off. */
export function faqToggleErrorText(err: Error, t: I18n['t'], question: string, enabling: boolean): string {
  return t(enabling ? 'faqError.enable' : 'faqError.disable', { question, reason: faqErrorText(err, t) });
}
