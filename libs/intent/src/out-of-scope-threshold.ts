/**
 * The out-of-scope cut on the classifier's top probability, chosen on held-out predictions: the cut
 * that maximises the mean of in-scope accuracy (right intent and above the cut) and out-of-scope
 * recall (below the cut), so neither side wins by sheer count.
 */

export interface HeldOutPrediction {
  confidence: number;
  /** The utterance belongs to no intent the fold's model knew. */
  outOfScope: boolean;
  /** For an in-scope utterance: the model's top intent was its intent. */
  correct: boolean;
}

export interface ThresholdChoice {
  threshold: number;
  inScopeAccuracy: number;
  outOfScopeRecall: number;
  /** 'balanced' when out-of-scope examples were held out; otherwise the 5th percentile of right answers. */
  rule: 'balanced' | 'percentile';
}

export function chooseOutOfScopeThreshold(predictions: readonly HeldOutPrediction[]): ThresholdChoice {
  const inScope = predictions.filter((p) => !p.outOfScope);
  const outOfScope = predictions.filter((p) => p.outOfScope);
  const score = (t: number) => ({
    inScopeAccuracy: inScope.length
      ? inScope.filter((p) => p.correct && p.confidence >= t).length / inScope.length
      : 0,
    outOfScopeRecall: outOfScope.length
      ? outOfScope.filter((p) => p.confidence < t).length / outOfScope.length
      : 0,
  });
  if (outOfScope.length === 0 || inScope.length === 0) {
    const right = inScope
      .filter((p) => p.correct)
      .map((p) => p.confidence)
      .sort((a, b) => a - b);
    const threshold = right.length ? right[Math.floor(0.05 * right.length)] : 0;
    return { threshold, ...score(threshold), rule: 'percentile' };
  }
  const candidates = [...new Set(predictions.map((p) => p.confidence))].sort((a, b) => a - b);
  let best: ThresholdChoice = { threshold: 0, ...score(0), rule: 'balanced' };
  let bestValue = (best.inScopeAccuracy + best.outOfScopeRecall) / 2;
  for (let i = 0; i < candidates.length; i++) {
    // Midpoints between neighbouring confidences generalise better than the observed values.
    const t = i + 1 < candidates.length ? (candidates[i] + candidates[i + 1]) / 2 : candidates[i] + 1e-9;
    const s = score(t);
    const value = (s.inScopeAccuracy + s.outOfScopeRecall) / 2;
    if (value > bestValue) {
      best = { threshold: t, ...s, rule: 'balanced' };
      bestValue = value;
    }
  }
  return best;
}
