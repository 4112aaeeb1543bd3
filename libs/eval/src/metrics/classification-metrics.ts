/**
 * Label scoring for intents and sentence pairs: accuracy, macro-F1 over the gold classes, and the
 * similarity threshold that best separates positive from negative pairs.
 */

export function accuracy(gold: readonly string[], predicted: readonly string[]): number {
  if (gold.length !== predicted.length)
    throw new Error(`accuracy: ${gold.length} gold vs ${predicted.length} predicted`);
  if (gold.length === 0) throw new Error('accuracy: nothing to score');
  let right = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) right++;
  return right / gold.length;
}

/**
 * Unweighted mean of per-class F1 over every class that appears in gold or predictions, so a rare
 * intent counts as much as a frequent one (a class never predicted and never gold is not counted).
 */
export function macroF1(gold: readonly string[], predicted: readonly string[]): number {
  if (gold.length !== predicted.length)
    throw new Error(`macroF1: ${gold.length} gold vs ${predicted.length} predicted`);
  if (gold.length === 0) throw new Error('macroF1: nothing to score');
  const classes = new Set([...gold, ...predicted]);
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (predicted[i] === c && gold[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes.size;
}

export interface ThresholdChoice {
  threshold: number;
  accuracy: number;
}

/**
 * The threshold t maximising accuracy of "positive iff score >= t" over labelled pairs. Candidates
 * are midpoints between consecutive distinct scores (plus both ends), so the choice generalises.
 */
export function bestThreshold(pairs: ReadonlyArray<{ score: number; positive: boolean }>): ThresholdChoice {
  if (pairs.length === 0) throw new Error('bestThreshold: no pairs');
  const sorted = [...pairs].sort((a, b) => a.score - b.score);
  const positives = sorted.filter((p) => p.positive).length;
  // Threshold below everything: every pair predicted positive.
  let best: ThresholdChoice = { threshold: sorted[0].score - 1e-6, accuracy: positives / sorted.length };
  let negativesBelow = 0;
  let positivesBelow = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].positive) positivesBelow++;
    else negativesBelow++;
    const next = sorted[i + 1];
    if (next && next.score === sorted[i].score) continue;
    const threshold = next ? (sorted[i].score + next.score) / 2 : sorted[i].score + 1e-6;
    const acc = (negativesBelow + positives - positivesBelow) / sorted.length;
    if (acc > best.accuracy) best = { threshold, accuracy: acc };
  }
  return best;
}

/** Accuracy of "positive iff score >= threshold". */
export function thresholdAccuracy(
  pairs: ReadonlyArray<{ score: number; positive: boolean }>,
  threshold: number,
): number {
  if (pairs.length === 0) throw new Error('thresholdAccuracy: no pairs');
  return pairs.filter((p) => p.score >= threshold === p.positive).length / pairs.length;
}
