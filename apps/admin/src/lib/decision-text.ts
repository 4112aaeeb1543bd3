/**
 * The answer pipeline's decision in the console's language: each decision code has a sentence in
 * messages.ts filled with the numbers compared. Answers cached or stored before decisions existed
 * (or a code this console does not know) show the API's English `reason` instead.
 */
import { messages, type MessageKey } from './messages';
import type { AnswerDecision } from './types';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Scores with two decimals, three where the third matters (0.034, a neural margin of 0.005). */
export function formatScore(x: number): string {
  const three = x.toFixed(3);
  return three.endsWith('0') ? x.toFixed(2) : three;
}

function answerTypeName(t: Translate, answerType: string): string {
  const key = `answerType.${answerType}`;
  return key in messages.zh ? t(key as MessageKey) : answerType;
}

export function decisionText(
  t: Translate,
  evidence: { decision?: AnswerDecision | null; reason?: string },
): string {
  const decision = evidence.decision;
  const reason = evidence.reason ?? '';
  if (!decision || typeof decision !== 'object' || !decision.values) return reason;
  const numbers = (values: object) =>
    Object.fromEntries(
      Object.entries(values).map(([name, v]) => [name, typeof v === 'number' ? formatScore(v) : String(v)]),
    );
  switch (decision.code) {
    case 'faq_confident':
    case 'close_call_read':
    case 'close_call_clarify':
    case 'reader_answered':
    case 'unshared_words_read':
    case 'unshared_words_faq':
    case 'unnamed_subject_read':
    case 'unnamed_subject_faq':
    case 'clarify_band':
      return t(`decision.${decision.code}`, numbers(decision.values));
    case 'asked_type_read':
    case 'asked_type_faq':
      return t(`decision.${decision.code}`, {
        ...numbers(decision.values),
        type: answerTypeName(t, decision.values.answerType),
      });
    case 'fallback': {
      const { reader, answer } = decision.values;
      const variant = reader === undefined ? 'noSpan' : reader >= answer ? 'faqSpan' : 'lowSpan';
      return t(`decision.fallback.${variant}`, numbers(decision.values));
    }
    case 'clarification_chosen':
      return t('decision.clarification_chosen', { option: decision.values.option });
    default:
      return reason;
  }
}

/**
 * The question's English words typo tolerance read as the KB's words, in the console's language
 * ('Typo tolerance: read “lnog” as “long”, “dilivery” as “delivery”'); '' when none were.
 */
export function correctionsText(
  t: Translate,
  evidence: { corrections?: Array<{ from: string; to: string }> },
): string {
  const corrections = evidence.corrections ?? [];
  if (!corrections.length) return '';
  const words = corrections.map(({ from, to }) => t('test.correction', { from, to }));
  return t('test.corrections', { words: words.join(t('test.correctionSeparator')) });
}
