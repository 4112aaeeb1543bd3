/**
 * The KB settings form: each field's allowed range (the API's, see knowledge-base.dto.ts), what is
 * wrong with the values typed, and the PATCH body, where an emptied field is null (back to the
 * default) and a value out of range is never changed to fit: the admin is told the range instead.
 */
import { formatScore } from './decision-text';
import type { MessageKey } from './messages';
import type { I18n } from './i18n-context';
import type { KnowledgeBase } from './types';

/** What a Mantine NumberInput holds: a number, or text ('' when empty). */
export type NumberField = number | string;

export interface SettingsFormValues {
  faqThreshold: NumberField;
  answerThreshold: NumberField;
  targetPrecision: NumberField;
  chunkTargetLength: NumberField;
  chunkMaxLength: NumberField;
  chunkOverlap: NumberField;
  fallbackMessage: string;
}

type NumericName = Exclude<keyof SettingsFormValues, 'fallbackMessage'>;

export const SETTING_RANGES: Record<NumericName, { min: number; max: number; integer?: boolean }> = {
  faqThreshold: { min: 0, max: 1 },
  answerThreshold: { min: 0, max: 1 },
  targetPrecision: { min: 0.5, max: 0.99 },
  chunkTargetLength: { min: 20, max: 4000, integer: true },
  chunkMaxLength: { min: 20, max: 8000, integer: true },
  chunkOverlap: { min: 0, max: 5, integer: true },
};

export interface Problem {
  key: MessageKey;
  values?: Record<string, string | number>;
}

/** The number typed in a field (undefined: left empty). */
export function fieldNumber(value: NumberField): number | undefined {
  return value === '' ? undefined : Number(value);
}

/**
 * What is wrong with each field, if anything: out of its range, not a whole number, or a passage
 * target length above the max length in force (the KB's default when the max is left empty).
 */
export function settingsProblems(
  values: SettingsFormValues,
  defaults: Pick<KnowledgeBase['settingDefaults'], 'chunkTargetLength' | 'chunkMaxLength'>,
): Partial<Record<NumericName, Problem>> {
  const problems: Partial<Record<NumericName, Problem>> = {};
  for (const [name, range] of Object.entries(SETTING_RANGES) as [
    NumericName,
    (typeof SETTING_RANGES)[NumericName],
  ][]) {
    const value = fieldNumber(values[name]);
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < range.min || value > range.max)
      problems[name] = { key: 'settings.outOfRange', values: { min: range.min, max: range.max } };
    else if (range.integer && !Number.isInteger(value)) problems[name] = { key: 'settings.wholeNumber' };
  }
  if (!problems.chunkTargetLength && !problems.chunkMaxLength) {
    const target = fieldNumber(values.chunkTargetLength) ?? defaults.chunkTargetLength;
    const max = fieldNumber(values.chunkMaxLength) ?? defaults.chunkMaxLength;
    if (target > max) problems.chunkTargetLength = { key: 'settings.targetAboveMax', values: { max } };
  }
  return problems;
}

/** The PATCH body for the thresholds and settings: an empty field is null, which restores its default. */
export function settingsPatch(values: SettingsFormValues) {
  const numberOrNull = (value: NumberField) => fieldNumber(value) ?? null;
  return {
    faqThreshold: numberOrNull(values.faqThreshold),
    answerThreshold: numberOrNull(values.answerThreshold),
    settings: {
      fallbackMessage: values.fallbackMessage.trim() || null,
      targetPrecision: numberOrNull(values.targetPrecision),
      chunkTargetLength: numberOrNull(values.chunkTargetLength),
      chunkMaxLength: numberOrNull(values.chunkMaxLength),
      chunkOverlap: numberOrNull(values.chunkOverlap),
    },
  };
}

/**
 * What the fallback reply field says while empty: what the bot really answers then, which is one of
 * two sentences per language, the one pointing at suggested questions only when it has some to show.
 */
export function fallbackPlaceholder(
  defaults: Pick<KnowledgeBase['settingDefaults'], 'fallbackMessages' | 'fallbackMessagesWithoutSuggestions'>,
  t: I18n['t'],
): string {
  return defaults.fallbackMessages
    .flatMap((text, i) => [
      t('settings.fallbackWithSuggestions', { text }),
      t('settings.fallbackWithoutSuggestions', {
        text: defaults.fallbackMessagesWithoutSuggestions[i] ?? '',
      }),
    ])
    .join('\n');
}

/** One setting as a viewer reads it: its value, and where it comes from when not the KB's own. */
export interface SettingRow {
  label: string;
  value: string;
  /** Where a value the KB does not set comes from (a threshold: calibrated or default). */
  source?: 'admin' | 'calibrated' | 'default';
}

/**
 * The Settings tab for a member who may not change it (a viewer, an agent): each setting as text in
 * full contrast rather than a disabled field, the value in force where the KB leaves it unset.
 */
export function settingRows(kb: KnowledgeBase, t: I18n['t']): SettingRow[] {
  const threshold = (name: 'faq' | 'answer', label: MessageKey): SettingRow => {
    const source = kb.thresholdSources[name]?.source ?? 'default';
    return { label: t(label), value: formatScore(kb.effectiveThresholds[name]), source };
  };
  const setting = (label: MessageKey, own: string | number | undefined, fallback: string | number) =>
    own === undefined || own === null
      ? { label: t(label), value: String(fallback), source: 'default' as const }
      : { label: t(label), value: String(own) };
  const { settings, settingDefaults: defaults } = kb;
  return [
    { label: t('kb.name'), value: kb.name },
    { label: t('kb.language'), value: t(`lang.${kb.language}`) },
    threshold('faq', 'settings.faqThreshold'),
    threshold('answer', 'settings.answerThreshold'),
    setting('settings.targetPrecision', settings.targetPrecision, defaults.targetPrecision),
    setting('settings.fallbackMessage', settings.fallbackMessage, fallbackPlaceholder(defaults, t)),
    setting('settings.chunkTarget', settings.chunkTargetLength, defaults.chunkTargetLength),
    setting('settings.chunkMax', settings.chunkMaxLength, defaults.chunkMaxLength),
    setting('settings.chunkOverlap', settings.chunkOverlap, defaults.chunkOverlap),
  ];
}
