/**
 * From hub files to a model folder Wendao can load: pull, convert a checkpoint that has no ONNX
 * export, add the pooling config the catalog knows about, quantize to INT8, and record the files
 * made here in models.lock.json next to the pulled ones.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { convertCheckpoint } from './convert/checkpoint-converter';
import { detectCheckpointFormat } from './checkpoint/checkpoint-folder';
import { digestFile } from './pull/file-downloader';
import { withModelFolderLock, type AssertLockHeld } from './pull/model-folder-lock';
import {
  pullLockedModel,
  pullTarget,
  type ModelSource,
  type PullModelOptions,
  type PulledModel,
} from './pull/model-puller';
import { ModelsLock } from './pull/models-lock';
import { QUANTIZED_ONNX_NAME, quantizeModelFolder } from './quantize/quantize-model-folder';

export interface PrepareModelOptions {
  /** Convert a checkpoint when the folder has no ONNX model (default true). */
  convert?: boolean;
  /** Write model_quantized.onnx when absent (default true). */
  quantize?: boolean;
  /** Sentence-transformers pooling to record when the folder has no pooling config. */
  pooling?: 'mean' | 'cls';
  /** Languages the model serves (the catalog's), recorded in wendao.json so the server picks it per KB language. */
  languages?: string[];
  log?: (line: string) => void;
}

export interface PreparedModel {
  dir: string;
  /** Files written here, relative to dir, with what wrote them. */
  generated: Array<{ file: string; by: 'convert' | 'quantize' | 'pooling' | 'languages' }>;
}

function hasFp32Onnx(dir: string): boolean {
  return existsSync(join(dir, 'model.onnx')) || existsSync(join(dir, 'onnx', 'model.onnx'));
}

function hasInt8Onnx(dir: string): boolean {
  return existsSync(join(dir, QUANTIZED_ONNX_NAME)) || existsSync(join(dir, 'onnx', QUANTIZED_ONNX_NAME));
}

async function prepareModelFolder(dir: string, options: PrepareModelOptions = {}): Promise<PreparedModel> {
  const log = options.log ?? (() => undefined);
  const generated: PreparedModel['generated'] = [];
  if (!hasFp32Onnx(dir) && (options.convert ?? true)) {
    if (!detectCheckpointFormat(dir))
      throw new Error(`${dir} has neither an ONNX model nor a checkpoint to convert`);
    const converted = await convertCheckpoint(dir, { log });
    generated.push(
      { file: relative(dir, converted.onnxPath), by: 'convert' },
      { file: 'wendao.json', by: 'convert' },
    );
  }
  if (options.pooling && !existsSync(join(dir, '1_Pooling', 'config.json'))) {
    for (const file of await writePoolingConfig(dir, options.pooling))
      generated.push({ file, by: 'pooling' });
  }
  if (options.languages?.length && (await recordLanguages(dir, options.languages)))
    if (!generated.some((g) => g.file === 'wendao.json'))
      generated.push({ file: 'wendao.json', by: 'languages' });
  if (hasFp32Onnx(dir) && !hasInt8Onnx(dir) && (options.quantize ?? true)) {
    const quantized = await quantizeModelFolder(dir);
    log(
      `quantized ${relative(dir, quantized.fp32Path)} -> ${relative(dir, quantized.int8Path)} ` +
        `(${(quantized.fp32Bytes / 1e6).toFixed(1)} MB -> ${(quantized.int8Bytes / 1e6).toFixed(1)} MB)`,
    );
    generated.push({ file: relative(dir, quantized.int8Path), by: 'quantize' });
  }
  return { dir, generated };
}

export interface InstallModelOptions extends PullModelOptions, PrepareModelOptions {}

export interface InstalledModel extends PulledModel {
  generated: PreparedModel['generated'];
}

/** Pulls and prepares with the folder's download lock held, waiting for another process that holds it. */
export async function installModel(
  sources: ModelSource | ModelSource[],
  options: InstallModelOptions,
): Promise<InstalledModel> {
  const { folder, dir } = pullTarget(sources, options);
  return withModelFolderLock(
    dir,
    { model: folder, log: options.log, staleMs: options.lockStaleMs },
    (assertHeld) => installLockedModel(sources, options, assertHeld),
  );
}

/** installModel for a caller that already holds the folder's download lock. */
export async function installLockedModel(
  sources: ModelSource | ModelSource[],
  options: InstallModelOptions,
  assertHeld: AssertLockHeld,
): Promise<InstalledModel> {
  const pulled = await pullLockedModel(sources, options, assertHeld);
  assertHeld();
  const prepared = await prepareModelFolder(pulled.dir, options);
  assertHeld();
  if (prepared.generated.length > 0) {
    const lock = await ModelsLock.load(options.modelsDir);
    for (const { file, by } of prepared.generated) {
      const digest = await digestFile(join(pulled.dir, file));
      lock.record(pulled.folder, { file, size: digest.size, sha256: digest.sha256, generatedBy: by });
    }
    await lock.save();
  }
  return { ...pulled, generated: prepared.generated };
}

/** Adds `languages` to the folder's wendao.json (kept as it is otherwise); false when it already said so. */
async function recordLanguages(dir: string, languages: string[]): Promise<boolean> {
  const path = join(dir, 'wendao.json');
  const current: Record<string, unknown> = existsSync(path) ? JSON.parse(await readFile(path, 'utf8')) : {};
  if (JSON.stringify(current.languages) === JSON.stringify(languages)) return false;
  await writeFile(path, `${JSON.stringify({ ...current, languages }, null, 2)}\n`);
  return true;
}

/** Returns the files it wrote. */
async function writePoolingConfig(dir: string, pooling: 'mean' | 'cls'): Promise<string[]> {
  const written: string[] = [];
  if (!existsSync(join(dir, 'modules.json'))) {
    written.push('modules.json');
    const modules = [
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    ];
    await writeFile(join(dir, 'modules.json'), `${JSON.stringify(modules, null, 2)}\n`);
  }
  await mkdir(join(dir, '1_Pooling'), { recursive: true });
  const config = {
    pooling_mode_cls_token: pooling === 'cls',
    pooling_mode_mean_tokens: pooling === 'mean',
    pooling_mode_max_tokens: false,
    pooling_mode_mean_sqrt_len_tokens: false,
  };
  await writeFile(join(dir, '1_Pooling', 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return [...written, '1_Pooling/config.json'];
}
