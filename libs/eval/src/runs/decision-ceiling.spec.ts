import { describe, expect, it } from 'vitest';
import { decisionCeiling, type CeilingQuestion } from './decision-ceiling';

const q = (expected: string | null, best: [string, number], second?: [string, number]): CeilingQuestion => ({
  expected,
  candidates: [best, ...(second ? [second] : [])].map(([id, score]) => ({ id, score })),
});

const questions = [
  q('a', ['a', 0.9], ['b', 0.4]),
  q('b', ['b', 0.85], ['a', 0.3]),
  q('c', ['c', 0.95], ['a', 0.2]),
  // Right but low: only a threshold that also lets the out-of-scope question through reaches it.
  q('d', ['d', 0.4], ['a', 0.0]),
  // Wrong at a high score, but a close call: a margin over 0.05 keeps it out.
  q('a', ['b', 0.8], ['a', 0.75]),
  q(null, ['c', 0.5], ['a', 0.05]),
];

describe('decisionCeiling', () => {
  it('finds the best threshold and margin within the limits, chosen on the questions themselves', () => {
    const strict = decisionCeiling(questions, { maxWrong: 0, maxOutOfScopeAnswered: 0 });
    expect(strict.top1).toBe(80);
    expect(strict).toMatchObject({ correct: 60, wrong: 0, outOfScopeFallback: 100 });
    // Either a threshold over the out-of-scope question's 0.5 or a margin over its 0.45 gap.
    expect(strict.faq! > 0.5 || strict.margin! > 0.45).toBe(true);

    const lenient = decisionCeiling(questions, { maxWrong: 0, maxOutOfScopeAnswered: 1 });
    expect(lenient).toMatchObject({ correct: 80, wrong: 0, outOfScopeFallback: 0, faq: 0.4 });

    // Wrong answers allowed: the close call may be answered too, nothing more is right.
    expect(decisionCeiling(questions, { maxWrong: 0.2, maxOutOfScopeAnswered: 0 })).toMatchObject({
      correct: 60,
      wrong: 0,
    });
  });

  it('says so when no rule answers anything within the limits', () => {
    const ceiling = decisionCeiling([q('a', ['b', 0.9]), q(null, ['a', 0.95])], {
      maxWrong: 0,
      maxOutOfScopeAnswered: 0,
    });
    expect(ceiling).toMatchObject({ top1: 0, correct: 0, faq: null, margin: null, outOfScopeFallback: 100 });
  });
});
