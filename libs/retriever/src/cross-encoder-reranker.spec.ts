import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFolder, writeTinyModel } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrossEncoderReranker } from './cross-encoder-reranker';

describe('CrossEncoderReranker on a tiny classifier model', () => {
  let root: string;
  let reranker: CrossEncoderReranker;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wendao-rerank-'));
    await writeTinyModel(join(root, 'ce'), { head: 'classifier', seed: 11, scale: 0.5 });
    reranker = await CrossEncoderReranker.load(loadModelFolder(join(root, 'ce')), { batchSize: 4 });
  });
  afterAll(async () => {
    await reranker.close();
    rmSync(root, { recursive: true, force: true });
  });

  const candidates = [
    { id: 1, text: '签收后7天内可以申请退货' },
    { id: 2, text: 'shipping is free over 99 yuan' },
    { id: 3, text: '发票' },
    { id: 4, text: 'refund within 5 business days after we receive the item back' },
    { id: 5, text: '运费' },
  ];

  it('returns every candidate once, best first', async () => {
    const ranked = await reranker.rerank('退货期限是多久', candidates);
    expect(ranked.map((r) => r.id).sort()).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i].score).toBeLessThanOrEqual(ranked[i - 1].score);
  });

  it('scores a pair the same whatever it is batched and padded with', async () => {
    const together = await reranker.rerank('退货期限是多久', candidates);
    for (const c of candidates) {
      const [alone] = await reranker.rerank('退货期限是多久', [c]);
      expect(alone.score).toBeCloseTo(together.find((r) => r.id === c.id)!.score, 4);
    }
  });

  it('refuses a model that is not a classifier', async () => {
    await writeTinyModel(join(root, 'qa'), { head: 'qa', seed: 12 });
    await expect(CrossEncoderReranker.load(loadModelFolder(join(root, 'qa')))).rejects.toThrow(
      /qa model, not a sequence-classification/,
    );
  });
});
