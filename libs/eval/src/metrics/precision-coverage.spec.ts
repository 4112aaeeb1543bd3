import { describe, expect, it } from 'vitest';
import { precisionCoverageCurve, thresholdForPrecision } from './precision-coverage';

const answers = [
  { confidence: 0.9, correct: true },
  { confidence: 0.7, correct: true },
  { confidence: 0.5, correct: false },
  { confidence: 0.2, correct: false },
  { confidence: 0.1, correct: true },
];

describe('precisionCoverageCurve', () => {
  it('trades coverage for precision as the threshold rises', () => {
    const curve = precisionCoverageCurve(answers, [0, 0.5, 0.8, 0.95]);
    expect(curve.map((p) => p.coverage)).toEqual([1, 0.6, 0.2, 0]);
    expect(curve[0].precision).toBeCloseTo(3 / 5, 10);
    expect(curve[1].precision).toBeCloseTo(2 / 3, 10);
    expect(curve[2].precision).toBe(1);
    expect(curve[3]).toMatchObject({ answered: 0, precision: 1 });
  });

  it('finds the most-covering threshold that meets a precision floor', () => {
    const curve = precisionCoverageCurve(answers, [0, 0.5, 0.8, 0.95]);
    expect(thresholdForPrecision(curve, 0.65)?.threshold).toBe(0.5);
    expect(thresholdForPrecision(curve, 0.9)?.threshold).toBe(0.8);
    expect(
      thresholdForPrecision(precisionCoverageCurve([{ confidence: 1, correct: false }], [0.5]), 0.5),
    ).toBeNull();
  });
});
