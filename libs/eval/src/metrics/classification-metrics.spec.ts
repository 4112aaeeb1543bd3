import { describe, expect, it } from 'vitest';
import { accuracy, bestThreshold, macroF1, thresholdAccuracy } from './classification-metrics';

describe('accuracy and macroF1', () => {
  it('computes both by hand', () => {
    const gold = ['a', 'b', 'a'];
    const predicted = ['a', 'a', 'a'];
    expect(accuracy(gold, predicted)).toBeCloseTo(2 / 3, 10);
    // class a: tp 2, fp 1 -> F1 0.8; class b: tp 0 -> 0; mean 0.4
    expect(macroF1(gold, predicted)).toBeCloseTo(0.4, 10);
  });

  it('rejects mismatched lengths', () => {
    expect(() => accuracy(['a'], [])).toThrow(/1 gold vs 0/);
  });
});

describe('bestThreshold', () => {
  const pairs = [
    { score: 0.1, positive: false },
    { score: 0.4, positive: false },
    { score: 0.35, positive: true },
    { score: 0.8, positive: true },
  ];

  it('picks the first midpoint that maximises accuracy', () => {
    const best = bestThreshold(pairs);
    expect(best.threshold).toBeCloseTo(0.225, 10);
    expect(best.accuracy).toBeCloseTo(0.75, 10);
  });

  it('scores a fixed threshold', () => {
    expect(thresholdAccuracy(pairs, 0.6)).toBeCloseTo(0.75, 10);
    expect(thresholdAccuracy(pairs, 0)).toBeCloseTo(0.5, 10);
  });
});
