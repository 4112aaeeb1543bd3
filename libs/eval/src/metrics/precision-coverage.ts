/**
 * The answer-threshold trade-off: answering only when confidence >= t raises precision and lowers
 * coverage. The curve over t is what default thresholds are chosen from.
 */

export interface ScoredAnswer {
  /** The confidence the answer would be gated on. */
  confidence: number;
  correct: boolean;
}

export interface CoveragePoint {
  threshold: number;
  /** Share of all questions answered at this threshold. */
  coverage: number;
  /** Share of answered questions that were correct (1 when nothing is answered). */
  precision: number;
  answered: number;
}

/** Precision and coverage at each threshold (default 0, 0.05, ..., 0.95). */
export function precisionCoverageCurve(
  answers: readonly ScoredAnswer[],
  thresholds: readonly number[] = Array.from({ length: 20 }, (_, i) => Math.round(i * 5) / 100),
): CoveragePoint[] {
  if (answers.length === 0) throw new Error('precisionCoverageCurve: no answers');
  return thresholds.map((threshold) => {
    const kept = answers.filter((a) => a.confidence >= threshold);
    const right = kept.filter((a) => a.correct).length;
    return {
      threshold,
      coverage: kept.length / answers.length,
      precision: kept.length === 0 ? 1 : right / kept.length,
      answered: kept.length,
    };
  });
}

/**
 * The lowest threshold on the curve whose precision reaches `floor` (it answers the most while
 * staying that precise), or null when no threshold does.
 */
export function thresholdForPrecision(curve: readonly CoveragePoint[], floor: number): CoveragePoint | null {
  const ok = curve.filter((p) => p.answered > 0 && p.precision >= floor);
  if (ok.length === 0) return null;
  return ok.reduce((best, p) => (p.coverage > best.coverage ? p : best));
}
