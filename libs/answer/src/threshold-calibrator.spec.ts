import { LexicalReader } from '@wendao/reader';
import { describe, expect, it } from 'vitest';
import { KnowledgeIndex } from './knowledge-index';
import { outOfDomainQuestions } from './out-of-domain-bank';
import { RuleSearch, ThresholdCalibrator, reword, type ScoredProbe } from './threshold-calibrator';
import { DEFAULT_THRESHOLDS, thresholdsFor } from './thresholds';
import { topicFaqs } from '../test/shop-topics';

function kb(entries: number, withAlternates = true): KnowledgeIndex {
  const index = KnowledgeIndex.empty('kb', 7);
  topicFaqs(entries, withAlternates).forEach((faq, i) =>
    index.upsertFaq({ seq: i + 1, id: `f${i}`, documentId: null, ...faq }),
  );
  return index;
}

const defaults = DEFAULT_THRESHOLDS.lexical;

describe('ThresholdCalibrator', () => {
  it('calibrates on the KB content against the bundled out-of-domain bank', async () => {
    const report = await new ThresholdCalibrator({
      language: 'zh',
      defaults,
      reader: new LexicalReader(),
    }).calibrate(kb(8));
    expect(report.calibrated).toBe(true);
    expect(report.negatives).toBe(outOfDomainQuestions('zh').length);
    expect(report.positives).toBeGreaterThanOrEqual(24);
    const t = report.thresholds;
    expect(t.clarify).toBeLessThanOrEqual(t.faq);
    expect(t.answer).toBeGreaterThanOrEqual(defaults.answer);
    // The chosen margin keeps the probe target on the test questions, and almost no out-of-domain
    // question gets past the FAQ threshold.
    expect(report.precision).toBeGreaterThanOrEqual(report.probeTarget);
    expect(report.oodNotFallingBack).toBeLessThanOrEqual(0.06);
  });

  it('aims its probes under the target by how much of an entry a leave-one-out takes away', async () => {
    const calibrate = (index: KnowledgeIndex, targetPrecision = 0.9) =>
      new ThresholdCalibrator({ language: 'zh', defaults, targetPrecision }).calibrate(index);
    // Three phrasings per entry: leaving one out removes a third of it.
    const three = await calibrate(kb(8));
    expect(three.probeTarget).toBeCloseTo(0.9 - 0.15 / 3, 6);
    // One phrasing: each is asked with it left out (answer text only) and reworded with it kept.
    const one = await calibrate(kb(8, false));
    expect(one.probeTarget).toBe(0.9);
    expect(one.positives).toBeGreaterThanOrEqual(8 * 2 - 1);
    expect(one.calibrated).toBe(true);
    // A stricter target never narrows the margin.
    expect((await calibrate(kb(8), 0.97)).thresholds.margin).toBeGreaterThanOrEqual(
      (await calibrate(kb(8), 0.7)).thresholds.margin,
    );
  });

  it('keeps the defaults, and says why, for a KB too small to calibrate', async () => {
    const report = await new ThresholdCalibrator({ language: 'zh', defaults }).calibrate(kb(3));
    expect(report).toMatchObject({ calibrated: false, thresholds: defaults });
    expect(report.reason).toMatch(/too small to calibrate/);
  });

  it('rewords phrasings deterministically (synonym, dropped particle or filler)', () => {
    expect(reword('运费怎么算', 0)).not.toBe('运费怎么算');
    expect(reword('运费怎么算', 0)).toBe(reword('运费怎么算', 0));
    expect(reword('How do I return an item?', 1)).not.toBe('How do I return an item?');
  });
});

describe('RuleSearch', () => {
  // Positives of entry 1: `right` answered from it, `wrong` from entry 2; a runner-up `gap` below.
  const probe = (score: number, right: boolean, gap = 0.2, uncovered?: number): ScoredProbe => ({
    seq: 1,
    top: right ? 1 : 2,
    score,
    second: score - gap,
    uncovered: uncovered === undefined ? undefined : { score: uncovered, second: uncovered - 0.2 },
  });
  const bank = (score: number): ScoredProbe => ({ score, second: score - 0.2 });
  const mix = { oodShare: 0.25, uncoveredShare: 0, banked: 10 };
  const margins = [0.03, 0.1, 0.3];

  it('raises the threshold over the wrong answers when that keeps more right ones than a margin would', async () => {
    // Wrong answers score low with a clear gap; right ones score high, half of them with a close
    // runner-up. A margin cannot tell the wrong ones apart; a threshold of 0.6 can.
    const pos = [
      ...Array.from({ length: 10 }, (_, i) => probe(0.7 + i * 0.01, true, i % 2 ? 0.05 : 0.2)),
      ...Array.from({ length: 4 }, (_, i) => probe(0.4 + i * 0.01, false)),
    ];
    const search = new RuleSearch(pos, [bank(0.1)], mix);
    expect(await search.best(0.2, margins, 0.9)).toMatchObject({
      faq: 0.7,
      margin: 0.03,
      right: 10,
      wrong: 0,
    });
    // At the floor alone no margin keeps the target: the most precise margin is reported as missed.
    const floorOnly = search.atFloor(0.2, margins, 0.9);
    expect(floorOnly.faq).toBe(0.2);
    expect(floorOnly.precision).toBeLessThan(0.9);
  });

  it('counts uncovered probes as out-of-domain answers, so they push the threshold over them', async () => {
    // Every positive is right, but with its entry left out half of them still find another entry at
    // 0.75: a question the KB does not cover would be answered from a neighbour.
    const pos = Array.from({ length: 20 }, (_, i) => probe(0.6 + i * 0.02, true, 0.2, i % 2 ? 0.75 : 0.3));
    const ignoring = (await new RuleSearch(pos, [bank(0.1)], mix).best(0.2, margins, 0.9))!;
    expect(ignoring.faq).toBe(0.6);
    const counting = (await new RuleSearch(pos, [bank(0.1)], { ...mix, uncoveredShare: 1 }).best(
      0.2,
      margins,
      0.9,
    ))!;
    expect(counting.faq).toBeGreaterThan(0.75);
    expect(counting.precision).toBeGreaterThanOrEqual(0.9);
  });

  it('never goes under the floor, and finds nothing on fewer than 3 answered positives', async () => {
    const pos = [probe(0.5, true), probe(0.45, true), probe(0.3, true)];
    expect(await new RuleSearch(pos, [], mix).best(0.4, margins, 0.9)).toBeUndefined();
    expect(await new RuleSearch(pos, [], mix).best(0.3, margins, 0.9)).toMatchObject({ faq: 0.3, right: 3 });
  });
});

describe('thresholdsFor', () => {
  const modes = { faq: 'lexical', answer: 'lexical' } as const;
  const calibration = {
    calibrated: true,
    kbVersion: 3,
    modes,
    thresholds: { faq: 0.6, answer: 0.5, clarify: 0.35, margin: 0.04 },
    calibratedAt: '2026-12-05T00:00:00Z',
  };

  it("takes the admin's value, else the calibrated one, else the default, and says which", () => {
    const r = thresholdsFor(modes, { faqThreshold: 0.7, answerThreshold: null }, calibration);
    expect(r.thresholds).toEqual({ faq: 0.7, answer: 0.5, clarify: 0.35, margin: 0.04 });
    expect(r.explained.faq.source).toBe('admin');
    expect(r.explained.answer.source).toBe('calibrated');
    const none = thresholdsFor(modes, { faqThreshold: null, answerThreshold: null });
    expect(none.thresholds).toEqual(defaults);
    expect(none.explained.margin.source).toBe('default');
  });

  it('ignores a calibration made for other models or one that did not calibrate', () => {
    const neural = { faq: 'neural', answer: 'lexical' } as const;
    expect(
      thresholdsFor(neural, { faqThreshold: null, answerThreshold: null }, calibration).thresholds.faq,
    ).toBe(DEFAULT_THRESHOLDS.neural.faq);
    const small = { ...calibration, calibrated: false };
    expect(
      thresholdsFor(modes, { faqThreshold: null, answerThreshold: null }, small).explained.faq.source,
    ).toBe('default');
  });

  it("never lets the clarify floor sit above an admin's lower FAQ threshold", () => {
    expect(
      thresholdsFor(modes, { faqThreshold: 0.2, answerThreshold: null }, calibration).thresholds.clarify,
    ).toBe(0.2);
  });
});
