import type { Embedder } from '@wendao/encoder';
import { LexicalReader } from '@wendao/reader';
import { describe, expect, it } from 'vitest';
import { AnswerPipeline, suggestionFloor } from './answer-pipeline';
import { KnowledgeIndex } from './knowledge-index';
import { ThresholdCalibrator } from './threshold-calibrator';
import { DEFAULT_THRESHOLDS, thresholdsFor, type StoredCalibration } from './thresholds';
import { topicFaqs } from '../test/shop-topics';

/**
 * A stand-in with a sentence encoder's one trait that matters here, made by hand so the spec runs in
 * milliseconds: its cosines are compressed, every text sharing a large common component (as with e5,
 * where unrelated texts score 0.7 and more). Each character adds to one of 511 buckets.
 */
const compressed: Embedder = {
  modelId: 'compressed-character-bags',
  dim: 512,
  embed: (texts) =>
    Promise.resolve({
      vectors: texts.map((text) => {
        const v = new Float32Array(512);
        v[0] = 4;
        for (const ch of text.replace(/[？?，。！、\s]/gu, '')) v[1 + (ch.codePointAt(0)! % 511)] += 1;
        const n = Math.hypot(...v);
        return v.map((x) => x / n);
      }),
      truncated: [],
    }),
  close: () => Promise.resolve(),
};

async function kb(embedder?: Embedder): Promise<KnowledgeIndex> {
  const index = KnowledgeIndex.empty('kb', 1, embedder);
  const faqs = topicFaqs();
  const embeddings = embedder ? await KnowledgeIndex.embedFaqs(embedder, faqs) : [];
  faqs.forEach((faq, i) =>
    index.upsertFaq({ seq: i + 1, id: `f${i}`, documentId: null, ...faq, ...embeddings[i] }),
  );
  return index;
}

describe('fallback suggestion floor', () => {
  it('is calibrated in neural mode over the out-of-domain bank: an off-topic question gets no suggestions, a near miss its entry', async () => {
    const index = await kb(compressed);
    const report = await new ThresholdCalibrator({
      language: 'zh',
      defaults: DEFAULT_THRESHOLDS.neural,
      embedder: compressed,
    }).calibrate(index);
    expect(report.calibrated).toBe(true);
    const t = report.thresholds;
    // With compressed cosines the old floor (0.3 x clarify) sits far under any entry's score.
    expect(t.suggest).toBeDefined();
    expect(t.suggest!).toBeGreaterThan(0.3 * t.clarify);
    expect(t.suggest!).toBeLessThanOrEqual(t.clarify);

    const pipeline = new AnswerPipeline({ embedder: compressed, reader: new LexicalReader() });
    const ask = (question: string, thresholds = t) =>
      pipeline.run({ question, index, thresholds, language: 'zh' });
    const weather = await ask('明天北京会下雨吗');
    expect(weather.type).toBe('fallback');
    expect(weather.suggestions).toEqual([]);
    // The old rule offered three unrelated entries to the same question.
    const { suggest: _, ...old } = t;
    expect((await ask('明天北京会下雨吗', old)).suggestions).toHaveLength(3);

    // On topic but short of the clarify threshold: its entry is still suggested.
    const near = await ask('退货要什么条件', { ...t, faq: 0.99, clarify: 0.99 });
    expect(near.type).toBe('fallback');
    expect(near.suggestions[0]).toBe('退货怎么办理？');
  });

  it('is not calibrated in lexical mode: the fixed share of the clarify threshold stays', async () => {
    const report = await new ThresholdCalibrator({
      language: 'zh',
      defaults: DEFAULT_THRESHOLDS.lexical,
      reader: new LexicalReader(),
    }).calibrate(await kb());
    expect(report.calibrated).toBe(true);
    expect(report.thresholds.suggest).toBeUndefined();
    expect(suggestionFloor(report.thresholds)).toBeCloseTo(0.3 * report.thresholds.clarify, 9);
  });

  it('is reported in force with the thresholds: calibrated where stored, else the old rule', () => {
    const modes = { faq: 'neural', answer: 'lexical' } as const;
    const kbRow = { faqThreshold: null, answerThreshold: null };
    const stored: StoredCalibration = {
      calibrated: true,
      kbVersion: 3,
      modes,
      thresholds: { faq: 0.76, answer: 0.46, clarify: 0.76, margin: 0.015, suggest: 0.731 },
      calibratedAt: '2026-12-07T00:00:00.000Z',
    };
    const now = thresholdsFor(modes, kbRow, stored);
    expect(now.thresholds.suggest).toBe(0.731);
    expect(now.explained.suggest).toEqual({ value: 0.731, source: 'calibrated' });
    // A calibration stored before the floor existed keeps the old rule.
    const { suggest: _, ...before } = stored.thresholds;
    const old = thresholdsFor(modes, kbRow, { ...stored, thresholds: before });
    expect(old.thresholds.suggest).toBeUndefined();
    expect(old.explained.suggest.source).toBe('default');
    expect(old.explained.suggest.value).toBeCloseTo(0.3 * 0.76, 9);
    expect(suggestionFloor(old.thresholds)).toBeCloseTo(0.3 * 0.76, 9);
    // Never over an admin's lower FAQ threshold (the clarify floor follows it down).
    expect(thresholdsFor(modes, { ...kbRow, faqThreshold: 0.7 }, stored).thresholds.suggest).toBe(0.7);
  });
});
