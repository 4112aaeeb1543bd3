/**
 * How far any FAQ threshold + margin pair could take a set's FAQ scores: the best share answered from
 * the right entry among every (threshold, margin) rule "answer the best candidate when its score is at
 * least the threshold and at least the margin above the runner-up", subject to the limits on
 * wrong answers and on out-of-scope questions that do not fall back. The rule is chosen on the very
 * questions it is scored on (an oracle), so it bounds what calibrating those two numbers can reach
 * with these scores: when the ceiling is under a target, better scores (ranking, a model) are needed,
 * not better thresholds. The reader's extra answers are not counted.
 */

/** One question's FAQ candidates, best first: the scores the decision compares. */
export interface CeilingQuestion {
  /** Entry ids and scores of the best two candidates (fewer when the KB has fewer). */
  candidates: ReadonlyArray<{ id: string; score: number }>;
  /** The entry that answers it; null for an out-of-scope question. */
  expected: string | null;
}

export interface CeilingLimits {
  /** Largest share of in-scope questions answered from a wrong entry (default 0.05). */
  maxWrong?: number;
  /** Largest share of out-of-scope questions answered (default 0.10: ≥ 90 % fall back). */
  maxOutOfScopeAnswered?: number;
}

export interface DecisionCeiling {
  /** In-scope questions whose best candidate is the expected entry, % (any rule's upper bound). */
  top1: number;
  /** The best rule's outcome, % of in-scope questions (answered right / wrong) and of out-of-scope ones. */
  correct: number;
  wrong: number;
  outOfScopeFallback: number;
  /** The rule: threshold and margin (null when no rule answers anything within the limits). */
  faq: number | null;
  margin: number | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10000) / 10000;

/** The best (threshold, margin) rule for these questions within the limits; see the file comment. */
export function decisionCeiling(
  questions: readonly CeilingQuestion[],
  limits: CeilingLimits = {},
): DecisionCeiling {
  const maxWrong = limits.maxWrong ?? 0.05;
  const maxOutOfScope = limits.maxOutOfScopeAnswered ?? 0.1;
  const rows = questions
    .filter((q) => q.candidates.length > 0)
    .map((q) => ({
      score: q.candidates[0].score,
      gap: q.candidates[0].score - (q.candidates[1]?.score ?? 0),
      kind: q.expected === null ? 'oos' : q.candidates[0].id === q.expected ? 'right' : 'wrong',
    }));
  const inScope = questions.filter((q) => q.expected !== null).length;
  const outOfScope = questions.length - inScope;
  const right = rows.filter((r) => r.kind === 'right').length;
  // Only a question's own score and gap can change which questions a rule answers: try those.
  const thresholds = [...new Set(rows.map((r) => r.score))];
  const margins = [0, ...new Set(rows.map((r) => r.gap))];
  let best = { correct: 0, wrong: 0, oos: 0, faq: null as number | null, margin: null as number | null };
  for (const t of thresholds)
    for (const m of margins) {
      let correct = 0;
      let wrong = 0;
      let oos = 0;
      for (const r of rows) {
        if (r.score < t || r.gap < m) continue;
        if (r.kind === 'right') correct++;
        else if (r.kind === 'wrong') wrong++;
        else oos++;
      }
      if (wrong > maxWrong * inScope || oos > maxOutOfScope * outOfScope) continue;
      if (correct > best.correct || (correct === best.correct && wrong + oos < best.wrong + best.oos))
        best = { correct, wrong, oos, faq: t, margin: m };
    }
  const pct = (x: number, n: number) => (n ? round2((100 * x) / n) : 0);
  return {
    top1: pct(right, inScope),
    correct: pct(best.correct, inScope),
    wrong: pct(best.wrong, inScope),
    outOfScopeFallback: pct(outOfScope - best.oos, outOfScope),
    faq: best.faq === null ? null : round4(best.faq),
    margin: best.margin === null ? null : round4(best.margin),
  };
}
