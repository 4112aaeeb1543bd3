/**
 * Checks SentenceEncoder against an independent implementation: transformers.js's feature-extraction
 * pipeline (its own tokenizer code, pooling and normalisation) on the same ONNX model folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { buildBertTokenizerJson, parseVocabTxt, writeTinyModel } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SentenceEncoder } from './sentence-encoder';

const TEXTS = [
  '退货政策是什么？',
  'How long is the Return period?',
  '满99元包邮吗？how much is shipping',
  'Café😀 客服电话，发票',
  '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。',
];

describe('SentenceEncoder vs transformers.js feature-extraction', () => {
  let root: string;
  let extractor: FeatureExtractionPipeline;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wendao-reference-'));
    const dir = join(root, 'wendao', 'tiny');
    // A plain BERT export (last_hidden_state only), so both sides pool themselves.
    await writeTinyModel(dir, { head: 'base', seed: 11 });
    // transformers.js reads tokenizer.json and onnx/model.onnx, as on the hub.
    const vocab = parseVocabTxt(readFileSync(join(dir, 'vocab.txt'), 'utf8'));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(buildBertTokenizerJson(vocab)));
    mkdirSync(join(dir, 'onnx'));
    copyFileSync(join(dir, 'model.onnx'), join(dir, 'onnx', 'model.onnx'));
    env.allowRemoteModels = false;
    env.localModelPath = `${root}/`;
    extractor = await pipeline('feature-extraction', 'wendao/tiny', { dtype: 'fp32' });
  });
  afterAll(async () => {
    await extractor?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  for (const mode of ['mean', 'cls'] as const) {
    it(`gives the same ${mode}-pooled, normalised vectors`, async () => {
      const dir = join(root, 'wendao', 'tiny');
      writeFileSync(
        join(dir, 'modules.json'),
        JSON.stringify([
          { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
        ]),
      );
      mkdirSync(join(dir, '1_Pooling'), { recursive: true });
      writeFileSync(
        join(dir, '1_Pooling', 'config.json'),
        JSON.stringify({ pooling_mode_mean_tokens: mode === 'mean', pooling_mode_cls_token: mode === 'cls' }),
      );
      const encoder = await SentenceEncoder.load(dir, { cacheSize: 0, batchSize: 2 });
      try {
        expect(encoder.pooling).toBe(mode);
        const ours = await encoder.embed(TEXTS);
        const reference = (await extractor(TEXTS, { pooling: mode, normalize: true })).tolist() as number[][];
        TEXTS.forEach((_, i) => {
          expect(reference[i]).toHaveLength(encoder.dim);
          reference[i].forEach((x, d) => expect(Math.abs(x - ours.vectors[i][d])).toBeLessThan(1e-5));
        });
      } finally {
        await encoder.close();
      }
    });
  }
});
