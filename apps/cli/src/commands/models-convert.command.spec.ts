import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ModelFolderBusyError } from '@wendao/hub';
import { loadModelFolder, readPullLockOwner } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdBusyPullLock, killed } from '../../../../libs/hub/test/pull-lock-holder';
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

  it('refuses to write into a folder a pull in another process holds, naming that process', async () => {
    const out = join(root, 'pulling');
    await mkdir(out);
    const holder = await holdBusyPullLock(out, 0);
    const folder = join(FIXTURES, 'bert-qa-safetensors');
    try {
      const refused = modelsConvertCommand({ folder, out });
      await expect(refused).rejects.toBeInstanceOf(ModelFolderBusyError);
      const owner = readPullLockOwner(out)!;
      await expect(refused).rejects.toThrow(
        `another Wendao process (PID ${holder.pid} on ${owner.hostname}) is downloading or preparing ${out}`,
      );
      expect(existsSync(join(out, 'model.onnx'))).toBe(false);
    } finally {
      await killed(holder);
    }
    // Its owner is gone: the lock is taken over and the folder written.
    await modelsConvertCommand({ folder, out });
    expect(loadModelFolder(out).task).toBe('qa');
  });
});
