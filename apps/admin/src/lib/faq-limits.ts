/**
 * The FAQ form's length limits, the API's own (CreateFaqEntryDto in apps/api/src/faqs): checked in
 * the browser so an entry too long is said in the console's language before it is sent, instead of
 * the API's English refusal. Lengths count as class-validator's MaxLength does (UTF-16 units).
 */
import type { Translate } from './ingest-error-text';

export const FAQ_LIMITS = {
  question: 1000,
  alternate: 1000,
  alternates: 50,
  answer: 20000,
  tag: 100,
  tags: 50,
} as const;

/** What the form would send, as it sends it (trimmed, alternates one per line). */
export interface FaqDraft {
  question: string;
  alternates: string[];
  answer: string;
  tags: string[];
}

/** The field over its limit and why, in the console's language; a field within its limits is absent. */
export type FaqLengthProblems = Partial<Record<'question' | 'alternates' | 'answer' | 'tags', string>>;

export function faqLengthProblems(draft: FaqDraft, t: Translate): FaqLengthProblems {
  const problems: FaqLengthProblems = {};
  const tooLong = (text: string, max: number) =>
    text.length > max ? t('faq.tooLong', { max, length: text.length }) : undefined;
  const question = tooLong(draft.question, FAQ_LIMITS.question);
  if (question) problems.question = question;
  const answer = tooLong(draft.answer, FAQ_LIMITS.answer);
  if (answer) problems.answer = answer;
  const longAlternate = draft.alternates.findIndex((a) => a.length > FAQ_LIMITS.alternate);
  if (draft.alternates.length > FAQ_LIMITS.alternates)
    problems.alternates = t('faq.tooManyAlternates', {
      max: FAQ_LIMITS.alternates,
      count: draft.alternates.length,
    });
  else if (longAlternate >= 0)
    problems.alternates = t('faq.alternateTooLong', {
      n: longAlternate + 1,
      max: FAQ_LIMITS.alternate,
      length: draft.alternates[longAlternate].length,
    });
  const longTag = draft.tags.find((tag) => tag.length > FAQ_LIMITS.tag);
  if (draft.tags.length > FAQ_LIMITS.tags)
    problems.tags = t('faq.tooManyTags', { max: FAQ_LIMITS.tags, count: draft.tags.length });
  else if (longTag !== undefined)
    problems.tags = t('faq.tagTooLong', { tag: longTag.slice(0, 20), max: FAQ_LIMITS.tag });
  return problems;
}
