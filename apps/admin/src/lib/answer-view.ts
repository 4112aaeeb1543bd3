/** How the test console shows an answer: the span inside its passage, and the threshold it met. */
import type { AskResponse, ThresholdName } from './types';

export interface Highlighted {
  before: string;
  span: string;
  after: string;
}

/** Splits `text` around [start, end); offsets out of range or reversed give no highlight. */
export function highlight(text: string, start?: number, end?: number): Highlighted {
  if (start === undefined || end === undefined || start < 0 || end > text.length || start >= end)
    return { before: text, span: '', after: '' };
  return { before: text.slice(0, start), span: text.slice(start, end), after: text.slice(end) };
}

/** The threshold an answer of this type had to reach (a fallback is judged by the FAQ threshold). */
export function thresholdFor(type: AskResponse['type']): ThresholdName {
  return type === 'extracted' ? 'answer' : type === 'clarify' ? 'clarify' : 'faq';
}

/** The confidence compared with the threshold: the best FAQ candidate's score for a fallback or clarification. */
export function confidenceAgainstThreshold(res: Pick<AskResponse, 'type' | 'confidence' | 'evidence'>): {
  threshold: ThresholdName;
  value: number;
  limit: number;
  passed: boolean;
} {
  const threshold = thresholdFor(res.type);
  const best = res.evidence.faqCandidates[0]?.score ?? 0;
  const value = res.type === 'fallback' || res.type === 'clarify' ? best : res.confidence;
  const limit = res.evidence.thresholds[threshold];
  return { threshold, value, limit, passed: value >= limit };
}
