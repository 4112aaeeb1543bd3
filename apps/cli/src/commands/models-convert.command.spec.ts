import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

  it('rejects an unknown head before reading anything', async () => {
    await expect(
      modelsConvertCommand({ folder: join(FIXTURES, 'bert-qa-safetensors'), head: 'decoder' }),
    ).rejects.toThrow(/--head must be one of base, embedder, qa, classifier/);
  });
});
