import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ModelFolderBusyError } from '@wendao/hub';
import { writeTinyModel } from '@wendao/models';
import { holdPullLock, stopped } from '../../../../libs/hub/test/pull-lock-holder';
import { run } from '../main';
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

  it('refuses a folder a pull in another process is writing, with exit code 75', async () => {
    const dir = join(root, 'pulling');
    await writeTinyModel(dir, { head: 'embedder' });
    const holder = await holdPullLock(dir, 10_000);
    try {
      const refused = modelsQuantizeCommand({ folder: dir, report: false });
      await expect(refused).rejects.toBeInstanceOf(ModelFolderBusyError);
      await expect(refused).rejects.toThrow(
        `another Wendao process is downloading or preparing ${dir}; run this again once it has finished`,
      );
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      await run(['node', 'wendao', 'models', 'quantize', dir, '--no-report'], {});
      expect(process.exitCode).toBe(75);
      expect(errors).toHaveBeenCalledWith(
        `wendao: another Wendao process is downloading or preparing ${dir}; run this again once it has finished`,
      );
      errors.mockRestore();
      expect(existsSync(join(dir, 'model_quantized.onnx'))).toBe(false);
    } finally {
      process.exitCode = undefined;
      await stopped(holder);
    }
    await modelsQuantizeCommand({ folder: dir, report: false });
    expect(existsSync(join(dir, 'model_quantized.onnx'))).toBe(true);
  });
});
