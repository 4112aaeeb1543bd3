/**
 * The English wording of an answer decision (`AnswerEvidence.reason`, for logs and clients that do
 * not read `decision`). Built from the decision itself so the two can never disagree; clients that
 * speak another language word `decision` themselves (the admin console does, in zh and en).
 */
import type { AnswerDecision } from './answer-outcome';

const reader = (r: number | undefined, answer: number) =>
  r === undefined
    ? 'the reader found no span'
    : `reader confidence ${r} ${r >= answer ? '>=' : '<'} ${answer}`;

export function decisionReason(decision: AnswerDecision): string {
  switch (decision.code) {
    case 'faq_confident': {
      const v = decision.values;
      return `FAQ confidence ${v.score} >= ${v.faq}`;
    }
    case 'close_call_read': {
      const v = decision.values;
      return `two FAQ entries match within the margin ${v.margin} (${v.best} and ${v.second}); the reader settled it at ${v.reader} >= ${v.answer}`;
    }
    case 'close_call_clarify': {
      const v = decision.values;
      return `two FAQ entries match within the margin ${v.margin} (${v.best} and ${v.second})`;
    }
    case 'asked_type_read': {
      const v = decision.values;
      return `the best FAQ's answer (confidence ${v.score} >= ${v.faq}) has no ${v.answerType}; ${reader(v.reader, v.answer)}`;
    }
    case 'asked_type_faq': {
      const v = decision.values;
      return `FAQ confidence ${v.score} >= ${v.faq} (its answer has no ${v.answerType}; the reader found none either)`;
    }
    case 'unnamed_subject_read': {
      const v = decision.values;
      return `the best FAQ (confidence ${v.score} >= ${v.faq}) never names "${v.words}"; the reader answered from a document that does, ${reader(v.reader, v.answer)}`;
    }
    case 'unnamed_subject_faq': {
      const v = decision.values;
      return `FAQ confidence ${v.score} >= ${v.faq} (it never names "${v.words}", and no document naming it answered: ${reader(v.reader, v.answer)})`;
    }
    case 'unshared_words_read': {
      const v = decision.values;
      return `the best FAQ (confidence ${v.score} >= ${v.faq}) shares no word with the question; the reader answered from a document, ${reader(v.reader, v.answer)}`;
    }
    case 'unshared_words_faq': {
      const v = decision.values;
      return `FAQ confidence ${v.score} >= ${v.faq} (it shares no word with the question, and no document answered: ${reader(v.reader, v.answer)})`;
    }
    case 'reader_answered': {
      const v = decision.values;
      return `no FAQ reached ${v.faq} (best ${v.best}); ${reader(v.reader, v.answer)}`;
    }
    case 'clarify_band': {
      const v = decision.values;
      return `best FAQ confidence ${v.score} is between the clarify (${v.clarify}) and FAQ (${v.faq}) thresholds`;
    }
    case 'fallback': {
      const v = decision.values;
      const span =
        v.reader === undefined
          ? 'the reader found no span'
          : v.reader >= v.answer
            ? `the reader's span (${v.reader}) came from an FAQ answer that does not match`
            : reader(v.reader, v.answer);
      return `no FAQ reached the clarify threshold ${v.clarify} (best ${v.best}); ${span}`;
    }
    case 'clarification_chosen':
      return `chosen by the customer from a clarification (option ${decision.values.option})`;
  }
}
