/**
 * What answers a KB, in the console's language: its FAQ matching (neural when an encoder serves its
 * language) and its reader, which the API reports apart ('modes'), since an encoder for a language
 * may come without a QA model for it. An answer in the test console names the part that gave it.
 */
import type { MessageKey } from './messages';
import type { AnswerMode, AskResponse } from './types';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** "Neural FAQ matching · Lexical reader" for a KB. */
export function kbModeText(t: Translate, modes: { faq: AnswerMode; answer: AnswerMode }): string {
  return t('mode.kb', { faq: t(`mode.faq.${modes.faq}`), reader: t(`mode.reader.${modes.answer}`) });
}

/**
 * The part whose mode an answer reports: FAQ matching for an FAQ answer or a clarification, the
 * reader for an extracted answer or a fallback (the reader had the last word).
 */
export function answerModeText(t: Translate, res: Pick<AskResponse, 'type' | 'mode'>): string {
  return res.type === 'faq' || res.type === 'clarify'
    ? t(`mode.faq.${res.mode}`)
    : t(`mode.reader.${res.mode}`);
}

/** Neural anywhere gets the neural colour. */
export function modeColor(modes: { faq: AnswerMode; answer: AnswerMode }): string {
  return modes.faq === 'neural' || modes.answer === 'neural' ? 'grape' : 'gray';
}
