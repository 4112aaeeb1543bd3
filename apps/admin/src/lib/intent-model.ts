/** What the intents page says about a KB's classifier, from GET /api/kbs/:id/intents/model. */
import type { MessageKey } from './messages';
import type { IntentModelStatus, IntentSelfTraining, IntentTraffic } from './types';

export type IntentModelState = 'training' | 'trained' | 'stale' | 'failed' | 'none';

export function intentModelState(m: IntentModelStatus): IntentModelState {
  if (m.training) return 'training';
  if (m.lastError) return 'failed';
  // A change the server has not picked up yet: asking for the status schedules the retrain.
  if (m.revision > 0 && m.trainedRevision !== m.revision) return 'stale';
  return m.trained ? 'trained' : 'none';
}

/** Poll while the server is about to train or training; stop once it settled (or failed). */
export function intentModelBusy(m: IntentModelStatus | undefined): boolean {
  if (!m) return false;
  const state = intentModelState(m);
  return state === 'training' || state === 'stale';
}

/** 0.8734 -> "87.3%" (null: the caller's "not measured"). */
export function percent(value: number | null): string | null {
  return value === null ? null : `${(value * 100).toFixed(1)}%`;
}

/** The "weighed by traffic" line: a message and its values. */
export function trafficSummary(traffic: IntentTraffic | null | undefined): {
  key: MessageKey;
  values?: Record<string, string | number>;
} {
  if (!traffic) return { key: 'intent.trafficNone' };
  switch (traffic.rule) {
    case 'applied':
      return { key: 'intent.trafficApplied', values: { questions: traffic.questions } };
    case 'few-questions':
      return {
        key: 'intent.trafficFew',
        values: { questions: traffic.questions, min: traffic.minQuestions },
      };
    case 'close-to-labels':
      return {
        key: 'intent.trafficClose',
        values: { distance: traffic.totalVariation.toFixed(2), min: traffic.minTotalVariation.toFixed(2) },
      };
    case 'no-class-counts':
      return { key: 'intent.trafficOld' };
  }
}

/**
 * The "trained again on the logged questions" line under the traffic one: a message and its values,
 * or null (nothing to show: self-training is off, or no estimate ran yet). Where the traffic itself
 * had too few questions, self-training did not count them (its `questions` is 0): it says so without a number.
 */
export function selfTrainingSummary(
  selfTraining: IntentSelfTraining | null | undefined,
  traffic: IntentTraffic | null | undefined,
): { key: MessageKey; values?: Record<string, string | number> } | null {
  if (!selfTraining) return null;
  switch (selfTraining.rule) {
    case 'applied':
      return {
        key: 'intent.selfTrainingApplied',
        values: { pseudoLabelled: selfTraining.pseudoLabelled, questions: selfTraining.questions },
      };
    case 'few-questions':
      return traffic?.rule === 'few-questions'
        ? { key: 'intent.selfTrainingFewYet' }
        : {
            key: 'intent.selfTrainingFew',
            values: { questions: selfTraining.questions, min: selfTraining.minQuestions },
          };
    case 'traffic-weighed':
      return { key: 'intent.selfTrainingWeighed' };
    case 'no-class-counts':
      return { key: 'intent.selfTrainingOld' };
  }
}

/**
 * Which classifier the card's figures are from, once the classifier was retrained on the logged
 * questions: the cross-validated accuracy and recall are the labels-only classifier's (`measured`),
 * the cut is the retrained one's, kept from the labels-only classifier or chosen again (`cut`). Both
 * null while the labels-only classifier is the one in force (nothing to tell apart).
 */
export function figureNotes(m: IntentModelStatus): {
  measured: MessageKey | null;
  cut: { key: MessageKey; values?: Record<string, string | number> } | null;
} {
  const selfTraining = m.selfTraining;
  if (!selfTraining?.applied) return { measured: null, cut: null };
  const labelsOnly = percent(m.labelsOnly?.threshold ?? null);
  const cut =
    selfTraining.cut === 'kept'
      ? { key: 'intent.cutKept' as const }
      : selfTraining.cut === 'chosen-again' && labelsOnly
        ? {
            key: 'intent.cutChosenAgain' as const,
            values: { questions: selfTraining.pseudoLabelled, labelsOnly },
          }
        : // A server that does not say whether it was kept: it is the retrained classifier's all the same.
          { key: 'intent.cutRetrained' as const };
  return { measured: 'intent.measuredLabelsOnly', cut };
}

/** The intents the traffic weighs most, with their shares as percentages (applied estimates only). */
export function topTrafficShares(
  traffic: IntentTraffic | null | undefined,
  n = 3,
): Array<{ intent: string; traffic: string; labelled: string }> {
  if (!traffic?.applied) return [];
  return [...traffic.shares]
    .sort((a, b) => b.traffic - a.traffic || a.intent.localeCompare(b.intent))
    .slice(0, n)
    .map((s) => ({ intent: s.intent, traffic: percent(s.traffic)!, labelled: percent(s.labelled)! }));
}
