import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '@wendao/models';
import { modelsQuantizeCommand } from './models-quantize.command';

describe('wendao models quantize', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wendao-cli-quantize-'));
    await writeTinyModel(join(root, 'qa'), { head: 'qa', scale: 0.2 });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reports size, speed and agreement with fp32', async () => {
    const { output, report } = await modelsQuantizeCommand({ folder: join(root, 'qa'), speedRuns: 1 });
    const lines = output.split('\n');
    expect(lines[0]).toMatch(
      /model_quantized\.onnx: 13 matrix multiplications and 2 embedding tables in INT8$/,
    );
    expect(lines[1]).toMatch(/^size: [\d.]+ MB fp32 -> [\d.]+ MB int8 \([\d.]+ %\)$/);
    expect(lines[2]).toMatch(/^speed: [\d.]+ -> [\d.]+ windows\/s/);
    expect(lines[3]).toMatch(
      /sample sentences: embedding cosine mean 0\.99\d+.*top-1 agreement \d+ %; max logit difference/,
    );
    expect(report!.top1Agreement).toBeGreaterThanOrEqual(0.75);
  });

  it('refuses a folder without an fp32 model and bad numbers', async () => {
    await expect(modelsQuantizeCommand({ folder: join(root, 'none') })).rejects.toThrow(/has no model\.onnx/);
    await expect(modelsQuantizeCommand({ folder: join(root, 'qa'), threads: -1 })).rejects.toThrow(
      /--threads must be a whole number/,
    );
  });
});
