import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModelFolder } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsConvertCommand } from './models-convert.command';

const FIXTURES = resolve(__dirname, '../../../../libs/hub/test/fixtures/checkpoints');

describe('wendao models convert', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wendao-cli-convert-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('converts a sharded RoBERTa classifier and quantizes it on request', async () => {
    const out = join(root, 'roberta');
    const { output } = await modelsConvertCommand({
      folder: join(FIXTURES, 'roberta-classifier-sharded'),
      out,
      quantize: true,
    });
    expect(output).toMatch(
      /^roberta classifier, 3 labels from model-00001-of-00003\.safetensors.* \(safetensors-sharded\)/,
    );
    expect(output).toMatch(/wrote .*model_quantized\.onnx/);
    expect(existsSync(join(out, 'model.onnx'))).toBe(true);
  });

  it('records the languages a model serves, and keeps them when converted again', async () => {
    const out = join(root, 'bert-qa');
    const folder = join(FIXTURES, 'bert-qa-safetensors');
    await modelsConvertCommand({ folder, out, languages: 'ZH, en' });
    expect(loadModelFolder(out).languages).toEqual(['zh', 'en']);
    await modelsConvertCommand({ folder, out, force: true });
    expect(loadModelFolder(out).languages).toEqual(['zh', 'en']);
    await expect(
      modelsConvertCommand({ folder, out, force: true, languages: 'chinese;english' }),
    ).rejects.toThrow(/--languages takes language codes separated by commas/);
  });

  it('rejects an unknown head before reading anything', async () => {
    await expect(
      modelsConvertCommand({ folder: join(FIXTURES, 'bert-qa-safetensors'), head: 'decoder' }),
    ).rejects.toThrow(/--head must be one of base, embedder, qa, classifier/);
  });
});
