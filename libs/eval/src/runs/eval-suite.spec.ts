/**
 * The whole harness on small slices of the real shared datasets: lexical mode as it runs here, and
 * the neural path end to end with tiny random-weight models (their numbers mean nothing; that the
 * path runs and labels itself does).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeTinyModel } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDatasetsDir } from '../datasets/datasets-dir';
import { renderRecordMarkdown, writeEvalRecord } from '../report/eval-record';
import type { RetrievalSystemResult } from './retrieval-eval';
import { EvalSuite } from './eval-suite';

const datasetsDir = resolveDatasetsDir(resolve(__dirname, '../../../..'));

describe('EvalSuite in lexical mode on real dataset slices', () => {
  const suite = new EvalSuite({ datasetsDir, limit: 60, command: 'test' });

  it('measures BM25 FAQ retrieval on StackFAQ and labels the record lexical', async () => {
    const record = await suite.retrieval('stackfaq');
    expect(record).toMatchObject({
      task: 'retrieval',
      dataset: 'stackfaq',
      mode: 'lexical',
      models: 'none (lexical)',
      n: 60,
    });
    const systems = record.metrics.systems as RetrievalSystemResult[];
    expect(systems.map((s) => s.system)).toEqual(['bm25']);
    const r = systems[0].recallAt;
    expect(r[1]).toBeLessThanOrEqual(r[5]);
    expect(r[5]).toBeLessThanOrEqual(r[10]);
    // StackFAQ paraphrases share many words with their thread: BM25 is far above chance (1/125)
    expect(r[10]).toBeGreaterThan(0.6);
    expect(record.notes.join(' ')).toMatch(/vector, hybrid and hybrid \+ rerank need an embedder/);
  });

  it('finds LCQMC partners among all sentences without ever returning the query itself', async () => {
    const record = await suite.retrieval('lcqmc');
    const [bm25] = record.metrics.systems as RetrievalSystemResult[];
    expect(bm25.recallAt[10]).toBeGreaterThan(0.5);
    expect(record.metrics.documents).toBeGreaterThan(10000);
  });

  it('reads an intent set as 1-nearest-neighbour classification: accuracy equals Recall@1', async () => {
    const record = await suite.retrieval('smp2017');
    const [bm25] = record.metrics.systems as RetrievalSystemResult[];
    const [asIntent] = record.metrics.intentClassification as Array<{ accuracy: number; macroF1: number }>;
    expect(asIntent.accuracy).toBeCloseTo(bm25.recallAt[1], 10);
    expect(asIntent.macroF1).toBeGreaterThan(0);
    expect(asIntent.macroF1).toBeLessThanOrEqual(1);
    expect(record.tables[1].title).toBe('As intent classification (top entry = predicted intent)');
  });

  it('runs the N-shot intent setting under its own dataset name and refuses shots for FAQ sets', async () => {
    const record = await suite.retrieval('banking77', 10);
    expect(record.dataset).toBe('banking77-10shot');
    expect(record.metrics.documents).toBe(770);
    expect(record.reference.some((r) => r.value === 85.19)).toBe(true);
    await expect(suite.retrieval('stackfaq', 10)).rejects.toThrow(/--shots applies to the intent sets/);
  });

  it('scores the lexical reader on CMRC with the CMRC metric, predictions taken from the context', async () => {
    const record = await suite.reader('cmrc2018');
    const m = record.metrics as {
      exactMatch: number;
      f1: number;
      samplePredictions: Array<{ prediction: string; f1: number }>;
    };
    expect(m.f1).toBeGreaterThan(m.exactMatch);
    expect(m.f1).toBeGreaterThan(5);
    expect(record.reference.some((r) => r.metric === 'F1' && r.value === 84.5)).toBe(true);
    expect(record.notes.join(' ')).toMatch(/CMRC 2018 rules/);
  });

  it('runs end to end over all SQuAD paragraphs with a curve whose coverage falls as the threshold rises', async () => {
    const record = await suite.endToEnd('squad');
    const m = record.metrics as {
      passageRecall: number;
      passageRecallAt1: number;
      curve: Array<{ threshold: number; coverage: number }>;
    };
    expect(m.passageRecall).toBeGreaterThan(0.5);
    expect(m.passageRecallAt1).toBeGreaterThan(0.3);
    expect(m.passageRecallAt1).toBeLessThanOrEqual(m.passageRecall);
    for (let i = 1; i < m.curve.length; i++)
      expect(m.curve[i].coverage).toBeLessThanOrEqual(m.curve[i - 1].coverage);
    expect(record.tables.map((t) => t.title)).toContain('Precision / coverage over the answer threshold');
    // both correctness criteria gate the same answers: equal coverage at every threshold
    const contains = (record.metrics as { containsCurve: Array<{ coverage: number }> }).containsCurve;
    expect(contains.map((p) => p.coverage)).toEqual(m.curve.map((p) => p.coverage));
  });

  it('builds long contexts past 512 tokens where truncation loses gold answers', async () => {
    const record = await new EvalSuite({ datasetsDir, limit: 40, command: 'test' }).longContext('squad');
    const m = record.metrics as { meanContextTokens: number; goldKeptByTruncation: number };
    expect(m.meanContextTokens).toBeGreaterThan(512);
    expect(m.goldKeptByTruncation).toBeLessThan(1);
    expect(record.notes.join(' ')).toMatch(/meaningful only with a neural reader/);
  });

  it('replays a Zipf log through BM25 with a cache that hits and never serves a wrong answer', async () => {
    const record = await suite.cache('stackfaq', 500);
    const m = record.metrics as { hitRate: number; staleAnswers: number; n: number };
    expect(m.n).toBe(60); // --limit caps the log length too
    expect(m.hitRate).toBeGreaterThan(0.2);
    expect(m.staleAnswers).toBe(0);
  });

  it('reports STS and pair classification with the TF-IDF floor', async () => {
    const sts = await suite.similarity('stsb-en');
    expect((sts.metrics as { spearman: number }).spearman).toBeGreaterThan(20);
    const pairs = await suite.pairs('bq');
    expect(pairs.n).toBe(60);
    expect(pairs.tables[0].rows[0][0]).toBe('TF-IDF cosine (lexical)');
  });

  it('writes the JSON record and renders it as Markdown with the references', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wendao-eval-'));
    try {
      const record = await suite.similarity('stsb-zh');
      const path = writeEvalRecord(dir, record);
      expect(path).toMatch(/eval-similarity-stsb-zh\.json$/);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
        task: 'similarity',
        dataset: 'stsb-zh',
        mode: 'lexical',
      });
      const md = renderRecordMarkdown(record);
      expect(md).toMatch(/^### similarity · stsb-zh \(test\) · lexical/);
      expect(md).toContain('| paraphrase-multilingual-MiniLM-L12-v2 | Spearman | 78.90 |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects unknown datasets with the valid names', async () => {
    await expect(suite.reader('squad2')).rejects.toThrow(
      /unknown reader dataset "squad2"; choose one of: squad, cmrc2018, drcd/,
    );
  });
});

describe('EvalSuite in neural mode with tiny random-weight models', () => {
  let root: string;
  let modelsDir: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wendao-eval-models-'));
    modelsDir = join(root, 'models');
    await writeTinyModel(join(modelsDir, 'tiny-embedder'), { head: 'embedder', seed: 5 });
    await writeTinyModel(join(modelsDir, 'tiny-qa'), { head: 'qa', seed: 6 });
    await writeTinyModel(join(modelsDir, 'tiny-cross-encoder'), { head: 'classifier', seed: 7 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs BM25, vector, hybrid and hybrid + rerank retrieval and names the models', async () => {
    const record = await new EvalSuite({ datasetsDir, modelsDir, limit: 10, command: 'test' }).retrieval(
      'smp2017',
    );
    expect(record.mode).toBe('neural');
    expect((record.models as Array<{ role: string }>).map((m) => m.role)).toEqual(['embedder', 'reranker']);
    const systems = record.metrics.systems as RetrievalSystemResult[];
    expect(systems.map((s) => s.system)).toEqual(['bm25', 'vector', 'hybrid', 'hybrid+rerank']);
    for (const s of systems) expect(s.n).toBe(10);
  });

  it('reads with the neural reader and reports it', async () => {
    const record = await new EvalSuite({ datasetsDir, modelsDir, limit: 5, command: 'test' }).reader('squad');
    expect(record.mode).toBe('neural');
    expect(record.models).toEqual([{ id: expect.any(String), quantized: false, role: 'reader' }]);
    expect(record.tables[0].rows[0][0]).toBe('neural');
  });

  it('falls back to lexical when told to, even with models present', async () => {
    const record = await new EvalSuite({
      datasetsDir,
      modelsDir,
      lexical: true,
      limit: 5,
      command: 'test',
    }).reader('squad');
    expect(record.mode).toBe('lexical');
  });

  it('compares an int8 graph with its fp32 original on the same sentences', async () => {
    const dir = join(modelsDir, 'tiny-embedder');
    // An int8 export of identical weights: agreement must come out perfect.
    copyFileSync(join(dir, 'model.onnx'), join(dir, 'model_int8.onnx'));
    try {
      const record = await new EvalSuite({ datasetsDir, limit: 30, command: 'test' }).int8(dir);
      const m = record.metrics as {
        task: string;
        cosine: { mean: number; min: number };
        qualityDelta: number;
        sizeRatio: number;
      };
      expect(m.task).toBe('embedder');
      expect(m.cosine.min).toBeCloseTo(1, 5);
      expect(m.qualityDelta).toBeCloseTo(0, 6);
      expect(m.sizeRatio).toBe(1);
      const [fp32, int8] = record.models as Array<{ id: string; quantized: boolean; role: string }>;
      expect([fp32.role, fp32.quantized, int8.role, int8.quantized]).toEqual(['fp32', false, 'int8', true]);
      expect(int8.id).toBe(fp32.id);
    } finally {
      rmSync(join(dir, 'model_int8.onnx'));
    }
  });

  it('refuses an int8 comparison when the folder has no int8 export', async () => {
    await expect(
      new EvalSuite({ datasetsDir, command: 'test' }).int8(join(modelsDir, 'tiny-qa')),
    ).rejects.toThrow(/has no int8 ONNX export/);
  });
});
