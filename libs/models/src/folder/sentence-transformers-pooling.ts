/**
 * The pooling a sentence-transformers folder declares (modules.json -> the Pooling module's
 * config.json): the model folder loader and the checkpoint converter must read it the same way.
 */
import { join } from 'node:path';
import type { PoolingMode } from './model-folder';
import { readJsonFile } from './read-json-file';

/** undefined when the folder has no pooling config; an error for modes Wendao cannot pool (max ...). */
export function sentenceTransformersPooling(
  dir: string,
  modules: unknown = readJsonFile(join(dir, 'modules.json')),
): PoolingMode | undefined {
  const entry = Array.isArray(modules)
    ? modules.find((m) => typeof m?.type === 'string' && m.type.endsWith('models.Pooling'))
    : undefined;
  const path = join(dir, typeof entry?.path === 'string' ? entry.path : '1_Pooling', 'config.json');
  const pooling = readJsonFile(path);
  if (!pooling) return undefined;
  if (pooling.pooling_mode_mean_tokens === true) return 'mean';
  if (pooling.pooling_mode_cls_token === true) return 'cls';
  const modes = Object.entries(pooling)
    .filter(([k, v]) => k.startsWith('pooling_mode_') && v === true)
    .map(([k]) => k.replace('pooling_mode_', ''));
  throw new Error(`${path}: pooling "${modes.join('+') || 'none'}" is not supported (Wendao pools mean or cls)`);
}
