import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SentenceEncoder } from './sentence-encoder';

const TEXTS = [
  '退货政策是什么？',
  'How long is the return period?',
  '运费多少钱',
  '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。',
  'free shipping',
  '客服电话',
  'Can I get a refund after 7 days without any reason?',
  '发票',
  '满99元包邮吗？how much is shipping',
  '保修几年',
];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** Adds a sentence-transformers pooling module to a plain BERT folder, as HF exports of embedders have. */
function addPoolingModule(dir: string, mode: 'mean' | 'cls'): void {
  writeFileSync(
    join(dir, 'modules.json'),
    JSON.stringify([
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    ]),
  );
  mkdirSync(join(dir, '1_Pooling'), { recursive: true });
  writeFileSync(
    join(dir, '1_Pooling', 'config.json'),
    JSON.stringify({ pooling_mode_mean_tokens: mode === 'mean', pooling_mode_cls_token: mode === 'cls' }),
  );
}

describe('SentenceEncoder', () => {
  let root: string;
  const encoders: SentenceEncoder[] = [];
  const load = async (...args: Parameters<typeof SentenceEncoder.load>) => {
    const encoder = await SentenceEncoder.load(...args);
    encoders.push(encoder);
    return encoder;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wendao-encoder-'));
    // Same seed, so both pairs of folders hold the same weights; only the pooling path differs.
    await writeTinyModel(join(root, 'embedder-mean'), { head: 'embedder', pooling: 'mean', seed: 7 });
    await writeTinyModel(join(root, 'embedder-cls'), { head: 'embedder', pooling: 'cls', seed: 7 });
    await writeTinyModel(join(root, 'base-mean'), { head: 'base', seed: 7 });
    addPoolingModule(join(root, 'base-mean'), 'mean');
    await writeTinyModel(join(root, 'base-cls'), { head: 'base', seed: 7 });
    addPoolingModule(join(root, 'base-cls'), 'cls');
    await writeTinyModel(join(root, 'qa'), { head: 'qa', seed: 7 });
  });
  afterAll(async () => {
    for (const e of encoders) await e.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('describes itself from the folder', async () => {
    const encoder = await load(join(root, 'embedder-mean'));
    expect(encoder.dim).toBe(32);
    expect(encoder.modelId).toBe('wendao/tiny-bert-embedder');
    expect(encoder.maxLength).toBe(512);
    expect(encoder.pooling).toBe('mean');
    expect(encoder.pooledByModel).toBe(true);
  });

  it('gives the same vectors whatever the batch size (1, 3, 32)', async () => {
    const runs = await Promise.all(
      [1, 3, 32].map(async (batchSize) =>
        (await load(join(root, 'embedder-mean'), { batchSize, cacheSize: 0 })).embed(TEXTS),
      ),
    );
    for (const run of runs.slice(1)) {
      run.vectors.forEach((v, i) => expect(maxAbsDiff(v, runs[0].vectors[i])).toBeLessThan(1e-4));
    }
  });

  it('pads without changing a short text’s vector when batched with much longer texts', async () => {
    const encoder = await load(join(root, 'embedder-mean'), { cacheSize: 0 });
    const alone = await encoder.embedOne('发票');
    const long = '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。'.repeat(6);
    const batched = await encoder.embed([long, '发票', long + '客服电话']);
    expect(maxAbsDiff(alone, batched.vectors[1])).toBeLessThan(1e-4);
  });

  it('returns unit vectors in input order, different texts giving different vectors', async () => {
    const encoder = await load(join(root, 'embedder-mean'), { batchSize: 4, cacheSize: 0 });
    const { vectors, truncated } = await encoder.embed(TEXTS);
    expect(vectors).toHaveLength(TEXTS.length);
    expect(truncated).toEqual([]);
    for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 5);
    for (let i = 0; i < vectors.length; i++) {
      for (let j = i + 1; j < vectors.length; j++)
        expect(maxAbsDiff(vectors[i], vectors[j])).toBeGreaterThan(1e-3);
    }
    // Input order survives the length sort: each vector is the one its text gets alone.
    const single = await encoder.embedOne(TEXTS[3]);
    expect(maxAbsDiff(single, vectors[3])).toBeLessThan(1e-4);
  });

  it('runs short and long texts separately instead of padding the short ones, with the same vectors', async () => {
    const long = '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。'.repeat(2);
    const texts = [
      '发票',
      '客服电话',
      '运费多少钱',
      '保修几年',
      `${long}一`,
      `${long}二`,
      `${long}三`,
      `${long}四`,
    ];
    const split = await load(join(root, 'embedder-mean'), { cacheSize: 0 });
    const padded = await load(join(root, 'embedder-mean'), { cacheSize: 0, runCostTokens: Infinity });
    const a = await split.embed(texts);
    const b = await padded.embed(texts);
    expect(split.stats.modelRuns).toBe(2);
    expect(padded.stats.modelRuns).toBe(1);
    a.vectors.forEach((v, i) => expect(maxAbsDiff(v, b.vectors[i])).toBeLessThan(1e-4));
  });

  it('answers repeated texts from the cache without running the model', async () => {
    const encoder = await load(join(root, 'embedder-mean'));
    const first = await encoder.embed(['运费多少钱', '发票']);
    const runsAfterFirst = encoder.stats.modelRuns;
    expect(runsAfterFirst).toBe(1);
    const again = await encoder.embed(['发票', '运费多少钱', '发票']);
    expect(encoder.stats.modelRuns).toBe(runsAfterFirst);
    expect(encoder.stats.cacheHits).toBe(2);
    expect(Array.from(again.vectors[0])).toEqual(Array.from(first.vectors[1]));
    expect(Array.from(again.vectors[2])).toEqual(Array.from(first.vectors[1]));
    // Mutating a returned vector must not leak into the cache.
    again.vectors[0].fill(0);
    expect(norm(await encoder.embedOne('发票'))).toBeCloseTo(1, 5);
    // A new text does run the model.
    await encoder.embed(['客服电话']);
    expect(encoder.stats.modelRuns).toBe(runsAfterFirst + 1);
  });

  it('reports texts cut at maxLength and embeds exactly the kept prefix', async () => {
    const encoder = await load(join(root, 'embedder-mean'), { maxLength: 8 });
    expect(encoder.maxLength).toBe(8);
    const { vectors, truncated } = await encoder.embed(['发票', '退货'.repeat(20), '客服电话']);
    expect(truncated).toEqual([1]);
    // [CLS] + 6 characters + [SEP] = 8 tokens.
    const prefix = await encoder.embedOne('退货退货退货');
    expect(maxAbsDiff(prefix, vectors[1])).toBeLessThan(1e-5);
    // Truncation is remembered for cached texts too.
    expect((await encoder.embed(['退货'.repeat(20)])).truncated).toEqual([0]);
  });

  it('rejects bad input with errors that name the problem', async () => {
    const encoder = await load(join(root, 'embedder-mean'));
    await expect(encoder.embed('发票' as unknown as string[])).rejects.toThrow(TypeError);
    await expect(encoder.embed(['发票', 42 as unknown as string])).rejects.toThrow(
      /texts\[1\] is not a string/,
    );
    await expect(encoder.embed(['发票', '  '])).rejects.toThrow(RangeError);
    await expect(encoder.embed(['发票', ''])).rejects.toThrow(/texts\[1\] is empty/);
    await expect(encoder.embedOne('')).rejects.toThrow(/empty/);
    expect((await encoder.embed([])).vectors).toEqual([]);
    await expect(SentenceEncoder.load(join(root, 'qa'))).rejects.toThrow(
      /is a qa model, not a sentence embedder/,
    );
    await expect(SentenceEncoder.load(join(root, 'embedder-mean'), { batchSize: 0 })).rejects.toThrow(
      /batchSize/,
    );
  });

  for (const mode of ['mean', 'cls'] as const) {
    it(`pools last_hidden_state in TypeScript exactly like the model's own ${mode} pooling`, async () => {
      const own = await load(join(root, `embedder-${mode}`), { cacheSize: 0 });
      const ours = await load(join(root, `base-${mode}`), { cacheSize: 0 });
      expect(own.pooledByModel).toBe(true);
      expect(ours.pooledByModel).toBe(false);
      expect(ours.pooling).toBe(mode);
      const a = await own.embed(TEXTS);
      const b = await ours.embed(TEXTS);
      a.vectors.forEach((v, i) => expect(maxAbsDiff(v, b.vectors[i])).toBeLessThan(1e-5));
    });
  }

  it('lowercases input when sentence_bert_config.json says do_lower_case, even with a cased tokenizer', async () => {
    const dir = join(root, 'lowercasing');
    await writeTinyModel(dir, { head: 'embedder', seed: 7 });
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: false }));
    const cased = await load(dir, { cacheSize: 0 });
    const upper = await cased.embed(['FREE Shipping', 'free shipping']);
    expect(maxAbsDiff(upper.vectors[0], upper.vectors[1])).toBeGreaterThan(1e-3);
    writeFileSync(join(dir, 'sentence_bert_config.json'), JSON.stringify({ do_lower_case: true }));
    const lowering = await load(dir, { cacheSize: 0 });
    const lowered = await lowering.embed(['FREE Shipping', 'free shipping']);
    expect(maxAbsDiff(lowered.vectors[0], lowered.vectors[1])).toBeLessThan(1e-6);
  });

  it('puts the default prompt of config_sentence_transformers.json before every text, as sentence-transformers does (e5: "query: ")', async () => {
    const dir = join(root, 'prompted');
    await writeTinyModel(dir, { head: 'embedder', seed: 7 });
    const plain = await load(dir, { cacheSize: 0 });
    writeFileSync(
      join(dir, 'config_sentence_transformers.json'),
      JSON.stringify({ prompts: { query: 'query: ', passage: 'passage: ' }, default_prompt_name: 'query' }),
    );
    const prompted = await load(dir, { cacheSize: 0 });
    expect(prompted.folder.inputPrompt).toBe('query: ');
    expect(prompted.layout).toBe('packed');
    const [withPrompt] = (await prompted.embed(['退货政策'])).vectors;
    expect(maxAbsDiff(withPrompt, await plain.embedOne('query: 退货政策'))).toBeLessThan(1e-6);
    expect(maxAbsDiff(withPrompt, await plain.embedOne('退货政策'))).toBeGreaterThan(1e-3);
  });

  it('honours the folder’s pooling mode (mean and CLS give different vectors)', async () => {
    const mean = await load(join(root, 'base-mean'), { cacheSize: 0 });
    const cls = await load(join(root, 'base-cls'), { cacheSize: 0 });
    expect(maxAbsDiff(await mean.embedOne(TEXTS[0]), await cls.embedOne(TEXTS[0]))).toBeGreaterThan(1e-3);
  });

  describe('packed layout', () => {
    /** A copy of a tiny folder with config.json edited. */
    async function variant(name: string, edit: (config: Record<string, unknown>) => void): Promise<string> {
      const dir = join(root, name);
      await writeTinyModel(dir, { head: 'embedder', seed: 7 });
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      edit(config);
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      return dir;
    }

    for (const folder of ['embedder-mean', 'embedder-cls', 'base-mean', 'base-cls']) {
      it(`runs ${folder} rebuilt without padding, giving the file's own vectors`, async () => {
        const packed = await load(join(root, folder), { cacheSize: 0, batchSize: 4 });
        const asIs = await load(join(root, folder), { cacheSize: 0, batchSize: 4, packed: false });
        expect(packed.layout).toBe('packed');
        expect(packed.layoutNote).toBeUndefined();
        expect(asIs.layout).toBe('padded');
        const a = await packed.embed(TEXTS);
        const b = await asIs.embed(TEXTS);
        a.vectors.forEach((v, i) => expect(maxAbsDiff(v, b.vectors[i])).toBeLessThan(1e-5));
        // The load-time check does not count as work done.
        expect(packed.stats.modelRuns).toBe(3);
      });
    }

    it('tokenizes calls of a few texts on the calling thread, with the same vectors', async () => {
      const inline = await load(join(root, 'embedder-mean'), { cacheSize: 0 });
      const worker = await load(join(root, 'embedder-mean'), { cacheSize: 0, syncTokenize: false });
      expect(inline.syncTokenizeNote).toBeUndefined();
      for (const text of [...TEXTS, '😀 emoji goes to the Rust tokenizer']) {
        expect(Array.from(await inline.embedOne(text)), text).toEqual(
          Array.from(await worker.embedOne(text)),
        );
      }
      const few = await inline.embed(TEXTS.slice(0, 3));
      const many = await inline.embed(TEXTS);
      few.vectors.forEach((v, i) => expect(maxAbsDiff(v, many.vectors[i])).toBeLessThan(1e-6));
    });

    it('leaves a vocabulary over 100k tokens to the Rust tokenizer unless told otherwise', async () => {
      const dir = join(root, 'large-vocab');
      await writeTinyModel(dir, { head: 'embedder', config: { vocab_size: 100_001 } });
      const byDefault = await load(dir, { cacheSize: 0 });
      expect(byDefault.syncTokenizeNote).toMatch(/100001 tokens/);
      const forced = await load(dir, { cacheSize: 0, syncTokenize: true });
      expect(forced.syncTokenizeNote).toBeUndefined();
      const small = await load(join(root, 'embedder-mean'), { cacheSize: 0 });
      expect(small.syncTokenizeNote).toBeUndefined();
      expect(Array.from(await byDefault.embedOne('退货期限是多久？'))).toEqual(
        Array.from(await forced.embedOne('退货期限是多久？')),
      );
    });

    it('runs an int8 file as it is and says why', async () => {
      const dir = join(root, 'int8');
      await writeTinyModel(dir, { head: 'embedder', seed: 7 });
      mkdirSync(join(dir, 'onnx'));
      copyFileSync(join(dir, 'model.onnx'), join(dir, 'onnx', 'model_quantized.onnx'));
      const encoder = await load(dir);
      expect(encoder.folder.quantized).toBe(true);
      expect(encoder.layout).toBe('padded');
      expect(encoder.layoutNote).toMatch(/packed layout not used: .*model_quantized\.onnx is quantized/);
    });

    it('keeps running the file when the rebuilt model would give other vectors', async () => {
      // config.json claims ReLU while the graph computes GELU: the rebuilt model is wrong, and the check catches it.
      const dir = await variant('claims-relu', (c) => (c.hidden_act = 'relu'));
      const encoder = await load(dir, { cacheSize: 0 });
      expect(encoder.layout).toBe('padded');
      expect(encoder.layoutNote).toMatch(/vectors differ from .*model\.onnx's by/);
      const reference = await load(join(root, 'embedder-mean'), { cacheSize: 0, packed: false });
      const a = await encoder.embed(TEXTS);
      const b = await reference.embed(TEXTS);
      a.vectors.forEach((v, i) => expect(maxAbsDiff(v, b.vectors[i])).toBeLessThan(1e-6));
    });

    it('keeps running the file when the architecture is not one it can rebuild', async () => {
      const dir = await variant('unknown-architecture', (c) => (c.model_type = 'mpnet'));
      const encoder = await load(dir, { cacheSize: 0 });
      expect(encoder.layout).toBe('padded');
      expect(encoder.layoutNote).toMatch(/model_type "mpnet" is not supported/);
      expect(norm(await encoder.embedOne('发票'))).toBeCloseTo(1, 5);
    });
  });
});
