/** The rows of a KB's "thresholds in force" table (SettingsPage). */
import type { MessageKey } from './messages';
import type { KnowledgeBase, ThresholdName } from './types';

/** A row of the table: the four thresholds, and the fallback's suggestion floor where calibrated. */
export type ThresholdRow = ThresholdName | 'suggest';

const ALWAYS: ThresholdRow[] = ['faq', 'answer', 'clarify', 'margin'];

/**
 * The thresholds to list for a KB. The suggestion floor (`thresholds.suggest`) only when calibration
 * set it (neural FAQ matching, calibrated since 2c121d5): elsewhere the fallback takes a share of the
 * clarify floor, nothing an admin needs to read.
 */
export function thresholdRows(kb: Pick<KnowledgeBase, 'thresholdSources'>): ThresholdRow[] {
  return kb.thresholdSources.suggest?.source === 'calibrated' ? [...ALWAYS, 'suggest'] : ALWAYS;
}

/** A row's value in force (3 decimals), and its one-line explanation where it has one. */
export function thresholdRowText(
  t: (key: MessageKey, vars?: Record<string, string | number>) => string,
  kb: Pick<KnowledgeBase, 'thresholdSources'>,
  name: ThresholdRow,
): { label: string; value: string; hint?: string } {
  const value = (kb.thresholdSources[name]?.value ?? 0).toFixed(3);
  return {
    label: t(`threshold.${name}`),
    value,
    ...(name === 'suggest' ? { hint: t('threshold.suggestHint', { value }) } : {}),
  };
}
