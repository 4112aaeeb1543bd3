/**
 * A KB's last calibration in the console's language: whether it ran, on how many test questions, the
 * precision they reached against the probe target (and why it is under the target), the FAQ threshold and margin it chose, and how
 * many questions the KB does not cover would still not fall back. Reports stored before these fields
 * existed show the API's English `reason` instead.
 */
import { formatScore } from './decision-text';
import type { MessageKey } from './messages';
import type { CalibrationReport, KnowledgeBase } from './types';

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
  // The probes are harder than customers' questions (PROBE_HARDNESS in the calibrator), so what they
  // must reach sits under the target: said as such, or an admin reads "84.8% needed" against 0.90.
  const targetPercent = percent(r.targetPrecision);
  const goal =
    percent(r.probeTarget) === targetPercent
      ? t('calibration.probeGoalSame', { targetPercent })
      : t('calibration.probeGoal', { probeTarget: percent(r.probeTarget), targetPercent });
  const vars = {
    goal,
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

/**
 * Whether the KB's thresholds are being calibrated again: the server calibrates in the background
 * after every change (a new KB version), a new target precision or another answer mode, and until
 * it has, the KB API shows the last calibration (the one still in force). The same test as the
 * server's (KbCalibrationService: version, modes and target precision fit); a server too old to
 * say the version or modes is taken at its word.
 */
export function calibrationPending(
  kb: Pick<KnowledgeBase, 'calibration' | 'version' | 'modes' | 'settings' | 'settingDefaults'>,
): boolean {
  const c = kb.calibration;
  if (!c) return true;
  if (c.kbVersion !== undefined && c.kbVersion < kb.version) return true;
  if (c.modes && (c.modes.faq !== kb.modes.faq || c.modes.answer !== kb.modes.answer)) return true;
  const target = kb.settings.targetPrecision ?? kb.settingDefaults.targetPrecision;
  return typeof c.report.targetPrecision === 'number' && c.report.targetPrecision !== target;
}
