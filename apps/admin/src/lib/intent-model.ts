/** What the intents page says about a KB's classifier, from GET /api/kbs/:id/intents/model. */
import type { IntentModelStatus } from './types';

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
