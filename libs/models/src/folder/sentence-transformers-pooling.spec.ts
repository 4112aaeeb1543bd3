import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sentenceTransformersPooling } from './sentence-transformers-pooling';

const root = mkdtempSync(join(tmpdir(), 'wendao-pooling-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, unknown>): string {
  const dir = join(root, name);
  for (const [file, value] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), JSON.stringify(value));
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('sentenceTransformersPooling', () => {
  it('follows modules.json to a Pooling module stored under another path', () => {
    const dir = folder('custom-path', {
      'modules.json': [
        { idx: 0, path: '', type: 'sentence_transformers.models.Transformer' },
        { idx: 1, path: '2_Pool', type: 'sentence_transformers.models.Pooling' },
      ],
      '2_Pool/config.json': { pooling_mode_cls_token: true },
      '1_Pooling/config.json': { pooling_mode_mean_tokens: true },
    });
    expect(sentenceTransformersPooling(dir)).toBe('cls');
  });

  it('falls back to 1_Pooling without modules.json and is undefined without any pooling config', () => {
    expect(sentenceTransformersPooling(folder('default-path', { '1_Pooling/config.json': { pooling_mode_mean_tokens: true } }))).toBe('mean');
    expect(sentenceTransformersPooling(folder('none', { 'config.json': {} }))).toBeUndefined();
  });

  it('names the modes it cannot pool', () => {
    const dir = folder('max', { '1_Pooling/config.json': { pooling_mode_max_tokens: true } });
    expect(() => sentenceTransformersPooling(dir)).toThrow(/pooling "max_tokens" is not supported/);
  });
});
