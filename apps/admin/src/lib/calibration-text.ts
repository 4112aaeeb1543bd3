/**
 * A KB's last calibration in the console's language: whether it ran, on how many test questions, the
 * precision they reached against the probe target, the FAQ threshold and margin it chose, and how
 * many questions the KB does not cover would still not fall back. Reports stored before these fields
 * existed show the API's English `reason` instead.
 */
import { formatScore } from './decision-text';
import type { MessageKey } from './messages';
import type { CalibrationReport } from './types';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

export function calibrationText(
  t: Translate,
  calibration: {
    calibrated: boolean;
    /** The thresholds it chose (absent in reports stored before they were kept). */
    thresholds?: { faq?: number; margin?: number };
    report: CalibrationReport;
  } | null,
): string {
  if (!calibration) return t('settings.notCalibrated');
  const r = calibration.report;
  const chosen = calibration.thresholds;
  if (!calibration.calibrated)
    return typeof r.positives === 'number'
      ? t('calibration.tooSmall')
      : t('settings.calibration', { reason: r.reason });
  if (typeof r.probeTarget !== 'number' || typeof r.precision !== 'number')
    return t('settings.calibration', { reason: r.reason });
  const vars = {
    positives: r.positives ?? 0,
    negatives: r.negatives ?? 0,
    target: formatScore(r.targetPrecision),
    probeTarget: percent(r.probeTarget),
    precision: percent(r.precision),
    faq: chosen?.faq === undefined ? '—' : formatScore(chosen.faq),
    margin: chosen?.margin === undefined ? '—' : formatScore(chosen.margin),
  };
  const text = t(r.targetReached ? 'calibration.reached' : 'calibration.notReached', vars);
  return typeof r.uncoveredNotFallingBack === 'number'
    ? `${text}${t('calibration.uncovered', { uncovered: percent(r.uncoveredNotFallingBack) })}`
    : text;
}
