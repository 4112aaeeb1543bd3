import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '../onnx';
import { createSession } from './create-session';
import { listModels } from './list-models';
import { loadModelFolder } from './model-folder';
import { resolveModel } from './resolve-model';

describe('model folders', () => {
  let modelsDir: string;
  const at = (...parts: string[]) => join(modelsDir, ...parts);

  beforeAll(async () => {
    modelsDir = mkdtempSync(join(tmpdir(), 'wendao-models-'));
    await writeTinyModel(at('wendao', 'tiny-embedder'), { head: 'embedder', pooling: 'mean', seed: 1 });
    await writeTinyModel(at('wendao', 'tiny-cls'), { head: 'embedder', pooling: 'cls', seed: 1 });
    await writeTinyModel(at('tiny-qa'), { head: 'qa', seed: 2 });
    // An HF-style export: the graph lives in onnx/ next to an int8 copy, and there is no wendao.json.
    await writeTinyModel(at('org', 'exported'), { head: 'qa', seed: 3 });
    mkdirSync(at('org', 'exported', 'onnx'));
    renameSync(at('org', 'exported', 'model.onnx'), at('org', 'exported', 'onnx', 'model.onnx'));
    copyFileSync(at('org', 'exported', 'onnx', 'model.onnx'), at('org', 'exported', 'onnx', 'model_quantized.onnx'));
    unlinkSync(at('org', 'exported', 'wendao.json'));
    // Incomplete: the weights were never downloaded.
    await writeTinyModel(at('org', 'broken'), { head: 'base', seed: 4 });
    unlinkSync(at('org', 'broken', 'model.onnx'));
  });
  afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));

  it('reads task, pooling and max length of an embedder folder', () => {
    const folder = loadModelFolder(at('wendao', 'tiny-embedder'));
    expect(folder.task).toBe('embedder');
    expect(folder.pooling).toBe('mean');
    expect(folder.quantized).toBe(false);
    expect(folder.onnxPath).toBe(at('wendao', 'tiny-embedder', 'model.onnx'));
    expect(folder.config.hidden_size).toBe(32);
    expect(folder.maxLength).toBe(512);
    expect(folder.lowercaseInput).toBe(false);
    expect(loadModelFolder(at('wendao', 'tiny-cls')).pooling).toBe('cls');
  });

  it('takes max length and input lowercasing from sentence_bert_config.json', async () => {
    const dir = at('st-config');
    await writeTinyModel(dir, { head: 'embedder', seed: 1 });
    writeFileSync(join(dir, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 128, do_lower_case: true }));
    expect(loadModelFolder(dir)).toMatchObject({ maxLength: 128, lowercaseInput: true });
    rmSync(dir, { recursive: true });
  });

  it('takes the task from config.architectures when wendao.json is absent', () => {
    const folder = loadModelFolder(at('org', 'exported'));
    expect(folder.task).toBe('qa');
    expect(folder.pooling).toBeUndefined();
    expect(folder.id).toBe('exported');
  });

  it('prefers the int8 file in onnx/ unless told otherwise', () => {
    const int8 = loadModelFolder(at('org', 'exported'));
    expect(relative(int8.dir, int8.onnxPath)).toBe(join('onnx', 'model_quantized.onnx'));
    expect(int8.quantized).toBe(true);
    const fp32 = loadModelFolder(at('org', 'exported'), { preferInt8: false });
    expect(relative(fp32.dir, fp32.onnxPath)).toBe(join('onnx', 'model.onnx'));
    expect(fp32.quantized).toBe(false);
  });

  it('a base model with a sentence-transformers pooling module is an embedder', async () => {
    const dir = at('pooled-base');
    await writeTinyModel(dir, { head: 'base', seed: 5 });
    expect(loadModelFolder(dir).task).toBe('base');
    writeFileSync(join(dir, 'modules.json'), JSON.stringify([{ path: '1_Pooling', type: 'sentence_transformers.models.Pooling' }]));
    mkdirSync(join(dir, '1_Pooling'));
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_cls_token: true }));
    expect(loadModelFolder(dir)).toMatchObject({ task: 'embedder', pooling: 'cls' });
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_max_tokens: true }));
    expect(() => loadModelFolder(dir)).toThrow(/pooling "max_tokens" is not supported/);
    rmSync(dir, { recursive: true });
  });

  it('names the missing files of an incomplete folder', () => {
    expect(() => loadModelFolder(at('org', 'broken'))).toThrow(/incomplete: missing model\.onnx/);
    const dir = at('no-config');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.onnx'), '');
    expect(() => loadModelFolder(dir)).toThrow(/missing config\.json, tokenizer\.json or vocab\.txt/);
    rmSync(dir, { recursive: true });
    expect(() => loadModelFolder(at('nothing-here'))).toThrow(/does not exist/);
  });

  it('resolves org/name, a bare name, and paths; null when absent', () => {
    expect(resolveModel('wendao/tiny-embedder', { modelsDir })?.id).toBe('wendao/tiny-embedder');
    expect(resolveModel('tiny-qa', { modelsDir })?.task).toBe('qa');
    // A bare name finds the one <org>/<name> folder that has it.
    expect(resolveModel('exported', { modelsDir })?.id).toBe('org/exported');
    expect(resolveModel(at('tiny-qa'), { modelsDir: '/nonexistent' })?.dir).toBe(at('tiny-qa'));
    const rel = relative(process.cwd(), at('tiny-qa'));
    expect(resolveModel(rel.startsWith('.') ? rel : `./${rel}`, { modelsDir: '/nonexistent' })?.task).toBe('qa');
    expect(resolveModel('no/such-model', { modelsDir })).toBeNull();
    expect(resolveModel('./no-such-folder', { modelsDir })).toBeNull();
    expect(() => resolveModel('broken', { modelsDir })).toThrow(/missing model\.onnx/);
  });

  it('lists every folder with sizes, incomplete ones with the reason', () => {
    const models = listModels(modelsDir);
    expect(models.map((m) => m.id)).toEqual([
      'org/broken',
      'org/exported',
      'tiny-qa',
      'wendao/tiny-cls',
      'wendao/tiny-embedder',
    ]);
    const embedder = models.find((m) => m.id === 'wendao/tiny-embedder');
    if (!embedder || embedder.error !== undefined) throw new Error('embedder should load');
    expect(embedder.task).toBe('embedder');
    expect(embedder.onnxBytes).toBe(statSync(embedder.onnxPath).size);
    expect(embedder.totalBytes).toBeGreaterThan(embedder.onnxBytes);
    const exported = models.find((m) => m.id === 'org/exported');
    // Two ONNX copies on disk, one counted as the model.
    if (!exported || exported.error !== undefined) throw new Error('export should load');
    expect(exported.totalBytes).toBeGreaterThan(2 * exported.onnxBytes);
    expect(models.find((m) => m.id === 'org/broken')?.error).toMatch(/missing model\.onnx/);
    expect(listModels(at('nothing-here'))).toEqual([]);
  });

  it('lists model folders (and org folders) that are symbolic links, as the server loads them', async () => {
    // An operator links models from a shared volume instead of copying them: `ln -s /srv/models/org org`.
    const shared = mkdtempSync(join(tmpdir(), 'wendao-shared-models-'));
    const linked = mkdtempSync(join(tmpdir(), 'wendao-linked-models-'));
    try {
      await writeTinyModel(join(shared, 'acme', 'tiny-linked-org'), { head: 'embedder', seed: 6 });
      await writeTinyModel(join(shared, 'tiny-linked'), { head: 'qa', seed: 7 });
      symlinkSync(join(shared, 'acme'), join(linked, 'acme'));
      symlinkSync(join(shared, 'tiny-linked'), join(linked, 'tiny-linked'));
      symlinkSync(join(shared, 'gone'), join(linked, 'dangling'));
      const models = listModels(linked);
      expect(models.map((m) => [m.id, m.task])).toEqual([
        ['acme/tiny-linked-org', 'embedder'],
        ['tiny-linked', 'qa'],
      ]);
      expect(models[1].totalBytes).toBeGreaterThan(0);
    } finally {
      rmSync(shared, { recursive: true, force: true });
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('opens an ONNX session with BERT inputs, rejecting bad thread counts and bad files', async () => {
    const session = await createSession(at('tiny-qa', 'model.onnx'), { threads: 1 });
    expect([...session.inputNames].sort()).toEqual(['attention_mask', 'input_ids', 'token_type_ids']);
    expect(session.outputNames).toContain('start_logits');
    await session.release();
    await expect(createSession(at('tiny-qa', 'model.onnx'), { threads: 0 })).rejects.toThrow(RangeError);
    await expect(createSession(at('tiny-qa', 'config.json'))).rejects.toThrow(/cannot load ONNX model .*config\.json/);
  });
});
