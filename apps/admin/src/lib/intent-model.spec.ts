import { describe, expect, it } from 'vitest';
import { intentModelBusy, intentModelState, percent } from './intent-model';
import type { IntentModelStatus } from './types';

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
