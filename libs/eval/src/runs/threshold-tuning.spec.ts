/**
 * Threshold tuning: the FAQ decision scored with the API's own confidence, the choice rules on
 * hand-made curves, and the whole run on real dataset slices, lexical and with tiny random models.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeTinyModel } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDatasetsDir } from '../datasets/datasets-dir';
import type { RetrievalSet } from '../datasets/retrieval-set';
import type { CoveragePoint } from '../metrics/precision-coverage';
import {
  netBenefitThreshold,
  scoreFaqPairs,
  scoreFaqRetrieval,
  thresholdForAllSets,
  tuneThresholds,
  type PrecisionFloorChoice,
} from './threshold-tuning';

const datasetsDir = resolveDatasetsDir(resolve(__dirname, '../../../..'));

/** A curve from [threshold, precision, answered] rows out of `total` questions. */
function curve(total: number, rows: Array<[number, number, number]>): CoveragePoint[] {
  return rows.map(([threshold, precision, answered]) => ({
    threshold,
    precision,
    answered,
    coverage: answered / total,
  }));
}

describe('FAQ confidence as the API computes it', () => {
  it("scores pairs with the server's lexical FAQ score and takes the label as the right decision", async () => {
    const scored = await scoreFaqPairs([
      { a: '如何开具发票？', b: '发票如何开具', positive: true },
      { a: '退货期限是多久', b: '如何申请退货', positive: false },
      { a: '运费怎么算', b: '运费怎么算', positive: true },
    ]);
    expect(scored[0].correct).toBe(true);
    expect(scored[0].confidence).toBeGreaterThan(0.6);
    expect(scored[1].correct).toBe(false);
    expect(scored[1].confidence).toBeLessThan(scored[0].confidence);
    expect(scored[2].confidence).toBeCloseTo(1, 6);
    await expect(scoreFaqPairs([])).rejects.toThrow(/no pairs/);
  });

  it('answers each query from its best FAQ as KnowledgeIndex.searchFaqs ranks it, never the query itself', async () => {
    const set: RetrievalSet = {
      language: 'zh',
      entries: [
        { id: 'invoice', texts: ['如何开具发票', '退货运费谁承担'] },
        { id: 'returns', texts: ['退货期限是多久', '怎么开具发票呢'] },
        { id: 'self', texts: ['退货运费谁来出'] },
      ],
      queries: [
        { text: '发票如何开具', relevant: ['invoice'] },
        { text: '退货期限多久', relevant: ['returns'] },
        { text: '退货运费谁来出', relevant: ['invoice'], exclude: 'self' },
      ],
    };
    // Only the first text of each entry is a phrasing; the second is its answer text.
    const scored = await scoreFaqRetrieval(set, (e) => [e.texts[0]]);
    expect(scored[0].correct).toBe(true);
    expect(scored[0].confidence).toBeGreaterThan(0.5);
    expect(scored[1].correct).toBe(true);
    // 'self' (the query's own sentence, score 1) is excluded: the best left is matched through an
    // answer text, at a confidence far from an exact match.
    expect(scored[2].confidence).toBeLessThan(0.7);
    // With every text a phrasing, the answer-like text of 'invoice' is asked as it is written.
    expect((await scoreFaqRetrieval(set))[2].correct).toBe(true);
  });
});

describe('threshold choice rules', () => {
  const choose = (c: PrecisionFloorChoice) => [c.threshold, c.perDataset.map((d) => d.own)];

  it('takes the strictest set, from where precision stays above the floor, ignoring thin tails', () => {
    const steady = curve(100, [
      [0.5, 0.8, 90],
      [0.6, 0.92, 70],
      [0.7, 0.95, 50],
      [0.8, 0.97, 40],
    ]);
    // A spike at 0.5 above the floor that dips again at 0.6 must not count; the 0.8 point has too
    // few answers to judge.
    const noisy = curve(100, [
      [0.5, 0.91, 80],
      [0.6, 0.85, 60],
      [0.7, 0.93, 40],
      [0.8, 0.5, 4],
    ]);
    const choice = thresholdForAllSets(
      [
        { dataset: 'steady', curve: steady },
        { dataset: 'noisy', curve: noisy },
      ],
      0.9,
    );
    expect(choose(choice)).toEqual([0.7, [0.6, 0.7]]);
    expect(choice.perDataset[0].at).toMatchObject({ threshold: 0.7, precision: 0.95 });
    expect(thresholdForAllSets([{ dataset: 'steady', curve: steady }], 0.99).threshold).toBeNull();
  });

  it('picks the answer threshold with the most right-minus-wrong answers over the sets', () => {
    const a = curve(100, [
      [0.3, 0.6, 100], // +20
      [0.5, 0.7, 80], // +32
      [0.7, 0.8, 40], // +24
    ]);
    const b = curve(100, [
      [0.3, 0.4, 100], // -20
      [0.5, 0.55, 60], // +6
      [0.7, 0.9, 10], // +8
    ]);
    const choice = netBenefitThreshold([
      { dataset: 'a', curve: a },
      { dataset: 'b', curve: b },
    ]);
    expect(choice.threshold).toBe(0.5);
    expect(choice.perDataset.map((d) => Math.round(100 * d.netBenefit))).toEqual([32, 6]);
    expect(netBenefitThreshold([{ dataset: 'b', curve: b }]).threshold).toBe(0.7);
  });
});

describe('tuneThresholds on real dataset slices', () => {
  it('in lexical mode chooses both defaults from the API scores and records every curve', async () => {
    const record = await tuneThresholds({ datasetsDir, lexical: true, limit: 60, command: 'test' });
    expect(record).toMatchObject({ task: 'thresholds', mode: 'lexical', models: 'none (lexical)' });
    const m = record.metrics as {
      faqScorer: string;
      counts: Record<string, number>;
      faqCurves: Array<{ dataset: string; curve: CoveragePoint[] }>;
      answerThreshold: number;
      faqChoicesByFloor: PrecisionFloorChoice[];
    };
    expect(m.faqScorer).toMatch(/LexicalFaqScorer/);
    expect(Object.values(m.counts)).toEqual([60, 60, 60, 60, 60, 60, 60, 60]);
    expect(m.faqCurves.map((c) => c.dataset)).toEqual(['stackfaq', 'banking77']);
    // Coverage can only fall as the threshold rises.
    for (const { curve: points } of m.faqCurves)
      for (let i = 1; i < points.length; i++)
        expect(points[i].coverage).toBeLessThanOrEqual(points[i - 1].coverage);
    expect(m.answerThreshold).toBeGreaterThan(0);
    expect(m.answerThreshold).toBeLessThanOrEqual(1);
    // A higher precision floor never asks for a lower threshold.
    const byFloor = m.faqChoicesByFloor.map((c) => c.threshold ?? 2);
    expect([...byFloor].sort((x, y) => x - y)).toEqual(byFloor);
    expect(record.tables[0].rows.map((r) => r[0])).toContain('FAQ');
  });

  it('rejects a precision floor outside (0, 1]', async () => {
    await expect(
      tuneThresholds({ datasetsDir, lexical: true, limit: 5, faqPrecisionFloor: 1.5, command: 'test' }),
    ).rejects.toThrow(/precision floor must be in \(0, 1\]/);
  });
});

describe('tuneThresholds with tiny random-weight models', () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wendao-thresholds-'));
    await writeTinyModel(join(root, 'models', 'tiny-embedder'), { head: 'embedder', seed: 5 });
    await writeTinyModel(join(root, 'models', 'tiny-qa'), { head: 'qa', seed: 6 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('scores FAQs by embedder cosine and reads with the neural reader (numbers meaningless, path real)', async () => {
    const record = await tuneThresholds({
      datasetsDir,
      modelsDir: join(root, 'models'),
      limit: 8,
      command: 'test',
    });
    expect(record.mode).toBe('neural');
    const m = record.metrics as {
      faqScorer: string;
      reader: string;
      faqCurves: Array<{ curve: CoveragePoint[] }>;
    };
    expect(m.faqScorer).toMatch(/cosine/);
    expect(m.reader).toBe('neural');
    // Cosine confidences are clamped into [0, 1], so threshold 0 answers every query.
    for (const c of m.faqCurves) expect(c.curve[0].coverage).toBe(1);
  });
});
