import { describe, expect, it } from 'vitest';
import {
  figureNotes,
  intentModelBusy,
  intentModelState,
  percent,
  selfTrainingSummary,
  topTrafficShares,
  trafficSummary,
} from './intent-model';
import { translate } from './i18n';
import type { IntentModelStatus, IntentSelfTraining, IntentTraffic } from './types';

const base: IntentModelStatus = {
  revision: 3,
  trainedRevision: 3,
  training: false,
  trained: true,
  source: 'trained',
  intents: ['a', 'b'],
  examples: 8,
  threshold: 0.4,
  inScopeAccuracy: 0.9,
  outOfScopeRecall: 0.8,
  usesEmbedder: false,
  embedder: null,
  trainedAt: '2026-01-01T00:00:00Z',
  trainMillis: 120,
  lastError: null,
};

describe('intent model state', () => {
  it('tells training, a pending update, a failure, a trained model and none apart', () => {
    expect(intentModelState(base)).toBe('trained');
    expect(intentModelState({ ...base, training: true })).toBe('training');
    expect(intentModelState({ ...base, revision: 4 })).toBe('stale');
    expect(intentModelState({ ...base, revision: 4, lastError: { message: 'x', at: '' } })).toBe('failed');
    expect(intentModelState({ ...base, trained: false })).toBe('none');
    expect(intentModelState({ ...base, revision: 0, trainedRevision: null, trained: false })).toBe('none');
  });

  it('polls only while a training is due or running', () => {
    expect(intentModelBusy(undefined)).toBe(false);
    expect(intentModelBusy(base)).toBe(false);
    expect(intentModelBusy({ ...base, training: true })).toBe(true);
    expect(intentModelBusy({ ...base, revision: 4 })).toBe(true);
    expect(intentModelBusy({ ...base, revision: 4, lastError: { message: 'x', at: '' } })).toBe(false);
  });

  it('formats rates as percentages', () => {
    expect(percent(0.8734)).toBe('87.3%');
    expect(percent(null)).toBeNull();
  });
});

describe('traffic weighting', () => {
  const traffic: IntentTraffic = {
    questions: 330,
    applied: true,
    rule: 'applied',
    reason: 'weighed',
    minQuestions: 200,
    minTotalVariation: 0.3,
    totalVariation: 0.58,
    shares: [
      { intent: 'invoice', labelled: 1 / 3, traffic: 0.06 },
      { intent: 'refund', labelled: 1 / 3, traffic: 0.87 },
      { intent: 'shipping', labelled: 1 / 3, traffic: 0.07 },
    ],
    estimatedAt: '2026-01-01T00:00:00Z',
  };

  it('says whether and why the classifier follows the traffic, with the numbers the message needs', () => {
    expect(trafficSummary(undefined)).toEqual({ key: 'intent.trafficNone' });
    expect(trafficSummary(null)).toEqual({ key: 'intent.trafficNone' });
    expect(trafficSummary(traffic)).toEqual({ key: 'intent.trafficApplied', values: { questions: 330 } });
    expect(trafficSummary({ ...traffic, applied: false, rule: 'few-questions', questions: 12 })).toEqual({
      key: 'intent.trafficFew',
      values: { questions: 12, min: 200 },
    });
    expect(
      trafficSummary({ ...traffic, applied: false, rule: 'close-to-labels', totalVariation: 0.123 }),
    ).toEqual({
      key: 'intent.trafficClose',
      values: { distance: '0.12', min: '0.30' },
    });
    expect(trafficSummary({ ...traffic, applied: false, rule: 'no-class-counts' })).toEqual({
      key: 'intent.trafficOld',
    });
  });

  it('lists the most asked intents of an applied estimate only', () => {
    expect(topTrafficShares(traffic, 2)).toEqual([
      { intent: 'refund', traffic: '87.0%', labelled: '33.3%' },
      { intent: 'shipping', traffic: '7.0%', labelled: '33.3%' },
    ]);
    expect(topTrafficShares({ ...traffic, applied: false, rule: 'close-to-labels' })).toEqual([]);
    expect(topTrafficShares(null)).toEqual([]);
  });
});

describe('self-training', () => {
  const close: IntentTraffic = {
    questions: 250,
    applied: false,
    rule: 'close-to-labels',
    reason: 'close',
    minQuestions: 200,
    minTotalVariation: 0.3,
    totalVariation: 0.05,
    shares: [],
    estimatedAt: '2026-01-01T00:00:00Z',
  };
  const selfTraining: IntentSelfTraining = {
    questions: 250,
    pseudoLabelled: 231,
    applied: true,
    rule: 'applied',
    reason: 'trained again',
    minQuestions: 200,
    at: '2026-01-01T00:00:00Z',
  };
  const notApplied = { ...selfTraining, applied: false, pseudoLabelled: 0 };

  it('says how many logged questions trained the classifier again, and why none did', () => {
    expect(selfTrainingSummary(selfTraining, close)).toEqual({
      key: 'intent.selfTrainingApplied',
      values: { pseudoLabelled: 231, questions: 250 },
    });
    // Enough questions logged for the traffic, too few distinct ones that are not examples.
    expect(selfTrainingSummary({ ...notApplied, rule: 'few-questions', questions: 120 }, close)).toEqual({
      key: 'intent.selfTrainingFew',
      values: { questions: 120, min: 200 },
    });
    // The traffic had too few questions: self-training never counted them (its 0 is no count).
    expect(
      selfTrainingSummary(
        { ...notApplied, rule: 'few-questions', questions: 0 },
        { ...close, rule: 'few-questions', questions: 12 },
      ),
    ).toEqual({ key: 'intent.selfTrainingFewYet' });
    expect(
      selfTrainingSummary(
        { ...notApplied, rule: 'traffic-weighed', questions: 0 },
        { ...close, applied: true, rule: 'applied' },
      ),
    ).toEqual({ key: 'intent.selfTrainingWeighed' });
    expect(
      selfTrainingSummary({ ...notApplied, rule: 'no-class-counts' }, { ...close, rule: 'no-class-counts' }),
    ).toEqual({ key: 'intent.selfTrainingOld' });
  });

  it('shows nothing while it is off or no estimate ran', () => {
    expect(selfTrainingSummary(null, close)).toBeNull();
    expect(selfTrainingSummary(undefined, undefined)).toBeNull();
  });
});

describe('which classifier each figure is from', () => {
  const retrainedOn: IntentSelfTraining = {
    questions: 223,
    pseudoLabelled: 223,
    applied: true,
    rule: 'applied',
    reason: 'trained again',
    minQuestions: 200,
    at: '2026-01-01T00:00:00Z',
    cut: 'kept',
  };
  const figures = { trainedOn: 35, temperature: 1.2, c: 10, inScopeAccuracy: 0.857, outOfScopeRecall: 0.857 };
  const labelsOnly = { ...figures, threshold: 0.62 };

  it("says the accuracy is the labels-only classifier's and the cut was kept from it", () => {
    const m = { ...base, threshold: 0.62, labelsOnly, selfTraining: retrainedOn };
    const notes = figureNotes(m);
    expect(notes).toEqual({ measured: 'intent.measuredLabelsOnly', cut: { key: 'intent.cutKept' } });
    expect(translate('en', notes.cut!.key)).toBe('Kept from the model trained on the examples alone');
    expect(translate('zh', notes.measured!)).toBe('再训练前，仅用例句训练的模型');
  });

  it('says the cut was chosen again on the examples and the questions, beside the labels-only one', () => {
    const m = {
      ...base,
      threshold: 0.71,
      labelsOnly,
      selfTraining: { ...retrainedOn, pseudoLabelled: 180, cut: 'chosen-again' as const },
    };
    const { cut } = figureNotes(m);
    expect(cut).toEqual({ key: 'intent.cutChosenAgain', values: { questions: 180, labelsOnly: '62.0%' } });
    expect(translate('en', cut!.key, cut!.values)).toBe(
      'Chosen again on the examples and 180 questions (62.0% on the examples alone)',
    );
    expect(translate('zh', cut!.key, cut!.values)).toBe(
      '用例句和 180 条提问再训练时重新选定（仅用例句时为 62.0%）',
    );
  });

  it('says nothing while the labels-only classifier is in force, and no more than it knows from an older server', () => {
    expect(figureNotes(base)).toEqual({ measured: null, cut: null });
    expect(
      figureNotes({ ...base, selfTraining: { ...retrainedOn, applied: false, rule: 'traffic-weighed' } }),
    ).toEqual({ measured: null, cut: null });
    // A server before `cut` and `labelsOnly`: the cut is the retrained classifier's, kept or not.
    const { cut: _cut, ...older } = retrainedOn;
    expect(figureNotes({ ...base, selfTraining: older })).toEqual({
      measured: 'intent.measuredLabelsOnly',
      cut: { key: 'intent.cutRetrained' },
    });
  });
});
