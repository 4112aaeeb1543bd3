import { AnswerPipeline } from '@wendao/answer';
import { LexicalReader } from '@wendao/reader';
import { describe, expect, it } from 'vitest';
import { resolveDatasetsDir } from '../datasets/datasets-dir';
import { evaluateFaqSet, faqSetRecord, loadFaqSet } from './faq-set-eval';

const datasets = resolveDatasetsDir(`${__dirname}/../../../..`);

describe('public FAQ-style sets through the answer pipeline', () => {
  it('asks SMP2017 intents as FAQs with thresholds calibrated on them and counts every outcome', async () => {
    const pipeline = new AnswerPipeline({ reader: new LexicalReader() });
    const result = await evaluateFaqSet('smp2017', loadFaqSet(datasets, 'smp2017'), pipeline, { limit: 60 });
    const q = result.queries;
    expect(result.language).toBe('zh');
    expect(result.entries).toBe(31);
    expect(q.n).toBe(60);
    expect(q.correct + q.wrong + q.clarify + q.fallback).toBe(60);
    expect(q.clarifyRight).toBeLessThanOrEqual(q.clarify);
    expect(result.calibration.calibrated).toBe(true);
    expect(result.thresholds.clarify).toBeLessThanOrEqual(result.thresholds.faq);
    // Intent utterances are matched far better than chance among 31 intents.
    expect(q.correct).toBeGreaterThan(q.wrong * 3);
    const record = faqSetRecord(result, { mode: 'lexical', models: 'none (lexical)', command: 'test' });
    expect(record).toMatchObject({ task: 'faq-set', dataset: 'smp2017', n: 60 });
  });

  it('turns paraphrase pairs into FAQ questions and askers, and reads CLINC150 out-of-scope questions', () => {
    const lcqmc = loadFaqSet(datasets, 'lcqmc');
    const entryTexts = new Set(lcqmc.set.entries.map((e) => e.texts[0]));
    expect(lcqmc.set.queries.length).toBeGreaterThan(1000);
    expect(lcqmc.set.queries.every((q) => !entryTexts.has(q.text))).toBe(true);
    const clinc = loadFaqSet(datasets, 'clinc150');
    expect(clinc.outOfScope?.length).toBeGreaterThanOrEqual(1000);
  });
});
