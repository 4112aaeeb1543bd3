import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '@wendao/models';
import { UnsafePickleError } from '../checkpoint/restricted-unpickler';
import { convertCheckpoint } from './checkpoint-converter';

const FIXTURES = resolve(__dirname, '../../test/fixtures/checkpoints');

interface Reference {
  head: string;
  inputs: Record<string, number[][]>;
  outputs: Record<string, { dims: number[]; data: number[] }>;
}

async function runReference(onnxPath: string, reference: Reference): Promise<Record<string, Float32Array>> {
  const session = await InferenceSession.create(onnxPath);
  const feeds: Record<string, Tensor> = {};
  for (const name of session.inputNames) {
    const rows = reference.inputs[name];
    feeds[name] = new Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [
      rows.length,
      rows[0].length,
    ]);
  }
  const out = await session.run(feeds);
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
}

function maxAbsDiff(a: Float32Array, b: number[]): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('converting checkpoints to ONNX model folders', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wendao-convert-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const cases: Array<[string, string, string, string[]]> = [
    ['bert-qa-safetensors', 'bert', 'qa', ['last_hidden_state', 'start_logits', 'end_logits']],
    ['bert-qa-legacy-bin', 'bert', 'qa', ['last_hidden_state', 'start_logits', 'end_logits']],
    ['bert-embedder-bin', 'bert', 'embedder', ['last_hidden_state', 'sentence_embedding']],
    ['roberta-classifier-sharded', 'roberta', 'classifier', ['last_hidden_state', 'logits']],
    ['xlmr-qa-sharded-bin', 'xlm-roberta', 'qa', ['last_hidden_state', 'start_logits', 'end_logits']],
    ['distilbert-qa-bin', 'distilbert', 'qa', ['last_hidden_state', 'start_logits', 'end_logits']],
    ['electra-embedder-safetensors', 'electra', 'embedder', ['last_hidden_state', 'sentence_embedding']],
  ];

  for (const [fixture, modelType, head, outputs] of cases) {
    it(`${fixture}: matches the PyTorch reference forward pass to 1e-4`, async () => {
      const dir = join(root, fixture);
      await cp(join(FIXTURES, fixture), dir, { recursive: true });
      const converted = await convertCheckpoint(dir);
      expect(converted.modelType).toBe(modelType);
      expect(converted.head).toBe(head);

      const reference = JSON.parse(await readFile(join(dir, 'reference.json'), 'utf8')) as Reference;
      const actual = await runReference(converted.onnxPath, reference);
      expect(Object.keys(actual).sort()).toEqual([...outputs].sort());
      for (const name of outputs) {
        expect(maxAbsDiff(actual[name], reference.outputs[name].data), name).toBeLessThan(1e-4);
      }
      // The result is a model folder the rest of Wendao loads.
      const folder = loadModelFolder(dir);
      expect(folder.onnxPath).toBe(converted.onnxPath);
      expect(folder.task).toBe(head);
    });
  }

  it('keeps the checkpoint untouched and copies config/tokenizer when writing elsewhere', async () => {
    const out = join(root, 'out-embedder');
    const converted = await convertCheckpoint(join(FIXTURES, 'bert-embedder-bin'), { outDir: out });
    expect(converted.pooling).toBe('mean');
    expect(existsSync(join(FIXTURES, 'bert-embedder-bin', 'model.onnx'))).toBe(false);
    for (const file of [
      'config.json',
      'vocab.txt',
      'modules.json',
      '1_Pooling/config.json',
      'model.onnx',
      'wendao.json',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    // Buffers and heads the graph does not read are reported, not silently dropped.
    expect(converted.unusedTensors).toContain('embeddings.position_ids');
    await expect(convertCheckpoint(join(FIXTURES, 'bert-embedder-bin'), { outDir: out })).rejects.toThrow(
      /already exists/,
    );
  });

  it('forces an embedder head with sentence-transformers mean pooling when no pooling config exists', async () => {
    const out = join(root, 'forced-embedder');
    const converted = await convertCheckpoint(join(FIXTURES, 'bert-qa-safetensors'), {
      outDir: out,
      head: 'embedder',
    });
    expect(converted.pooling).toBe('mean');
    expect(converted.unusedTensors).toContain('qa_outputs.weight');
    const reference = JSON.parse(
      await readFile(join(FIXTURES, 'bert-qa-safetensors', 'reference.json'), 'utf8'),
    ) as Reference;
    const actual = await runReference(converted.onnxPath, reference);
    // Mean of the reference hidden states over the attended tokens of each sequence.
    const [batch, seq, hidden] = reference.outputs.last_hidden_state.dims;
    const expected: number[] = [];
    for (let b = 0; b < batch; b++) {
      const mask = reference.inputs.attention_mask[b];
      const count = mask.reduce((a, m) => a + m, 0);
      for (let h = 0; h < hidden; h++) {
        let sum = 0;
        for (let t = 0; t < seq; t++)
          if (mask[t]) sum += reference.outputs.last_hidden_state.data[(b * seq + t) * hidden + h];
        expected.push(sum / count);
      }
    }
    expect(maxAbsDiff(actual.sentence_embedding, expected)).toBeLessThan(1e-4);
  });

  it('builds the bare encoder (last_hidden_state only) for head base', async () => {
    const converted = await convertCheckpoint(join(FIXTURES, 'distilbert-qa-bin'), {
      outDir: join(root, 'base'),
      head: 'base',
    });
    const reference = JSON.parse(
      await readFile(join(FIXTURES, 'distilbert-qa-bin', 'reference.json'), 'utf8'),
    ) as Reference;
    const actual = await runReference(converted.onnxPath, reference);
    expect(Object.keys(actual)).toEqual(['last_hidden_state']);
    expect(maxAbsDiff(actual.last_hidden_state, reference.outputs.last_hidden_state.data)).toBeLessThan(1e-4);
  });

  it('refuses a malicious pickle without running it and writes nothing', async () => {
    const marker = '/tmp/wendao-pickle-pwned';
    await rm(marker, { force: true });
    const dir = join(root, 'malicious');
    await cp(join(FIXTURES, 'malicious'), dir, { recursive: true });
    const err = await convertCheckpoint(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafePickleError);
    expect((err as Error).message).toMatch(/refusing to load "posix\.system"/);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'model.onnx'))).toBe(false);
  });

  it('explains unsupported architectures and mismatched weights', async () => {
    const dir = join(root, 'mismatch');
    await cp(join(FIXTURES, 'bert-qa-safetensors'), dir, { recursive: true });
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, hidden_size: 64 }));
    await expect(convertCheckpoint(dir)).rejects.toThrow(/has shape \[.*\], config.json implies/);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'gpt2' }));
    await expect(convertCheckpoint(dir)).rejects.toThrow(/model_type "gpt2" is not supported/);
    await expect(convertCheckpoint(join(root, 'nowhere'))).rejects.toThrow(/has no config.json/);
  });
});
