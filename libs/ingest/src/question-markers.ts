/**
 * How FAQ documents mark questions and answers: "Q:"/"A:" (问：/答：) line prefixes, and headings or
 * terms phrased as questions ("如何退货？", "How do I reset my password").
 */

const QUESTION_PREFIX = /^\s*(?:Q|Question|问|问题|提问)\s*\d{0,3}\s*[:：]\s*/iu;
const ANSWER_PREFIX = /^\s*(?:A|Answer|答|答案|回答|解答)\s*\d{0,3}\s*[:：]\s*/iu;

const CHINESE_QUESTION_START =
  /^(?:如何|怎么|怎样|怎麼|什么|什麼|为什么|為什麼|为何|為何|是否|能否|可否|能不能|可不可以|哪|请问|請問|多少|多久|几|有没有|有沒有)/u;
const ENGLISH_QUESTION_START =
  /^(?!(?:do|does|did)\s+not\b)(?:how|what|why|when|where|which|who|whom|whose|can|could|do|does|did|is|are|should|will|would|may|shall)\b\s+\S/iu;

/** The text after a "Q:"/"问：" prefix, or null when the line does not start with one. */
export function stripQuestionPrefix(line: string): string | null {
  const m = QUESTION_PREFIX.exec(line);
  return m ? line.slice(m[0].length) : null;
}

/** The text after an "A:"/"答：" prefix, or null when the line does not start with one. */
export function stripAnswerPrefix(line: string): string | null {
  const m = ANSWER_PREFIX.exec(line);
  return m ? line.slice(m[0].length) : null;
}

/** True for a heading/term that asks something, so the text under it is its answer. */
export function isQuestionLike(text: string): boolean {
  const t = (stripQuestionPrefix(text) ?? text).trim();
  if (!t) return false;
  if (stripQuestionPrefix(text) !== null) return true;
  if (/[?？]$/u.test(t)) return true;
  if (/[吗嗎呢]$/u.test(t)) return true;
  return CHINESE_QUESTION_START.test(t) || ENGLISH_QUESTION_START.test(t);
}
