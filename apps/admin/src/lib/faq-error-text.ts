/**
 * Why the API refused an FAQ entry, in the console's language: the refusal's {code, values}
 * (docs/api.md, "FAQ entries") worded from messages.ts. A code this console does not know, or
 * values it cannot read, show the API's English message.
 */
import { ApiError } from './api';
import type { I18n } from './i18n-context';
import { str } from './ingest-error-text';

export function faqErrorText(err: Error, t: I18n['t']): string {
  if (!(err instanceof ApiError) || !err.values) return err.message;
  if (err.code === 'faq_question_taken') {
    const question = str(err.values.question);
    if (question) return t('faqError.questionTaken', { question });
  }
  return err.message;
}
