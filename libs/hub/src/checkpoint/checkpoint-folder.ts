/**
 * Finds and reads the weights of a Hugging Face checkpoint folder, in the order the hub's own
 * loader prefers: model.safetensors, sharded safetensors (index.json), pytorch_model.bin, sharded .bin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CheckpointTensor } from './checkpoint-tensor';
import { readSafetensorsFile } from './safetensors-reader';
import { readTorchCheckpointFile } from './torch-checkpoint-reader';

export type CheckpointFormat = 'safetensors' | 'safetensors-sharded' | 'pytorch' | 'pytorch-sharded';

export interface CheckpointWeights {
  format: CheckpointFormat;
  files: string[];
  tensors: Map<string, CheckpointTensor>;
}

export function detectCheckpointFormat(dir: string): CheckpointFormat | undefined {
  if (existsSync(join(dir, 'model.safetensors'))) return 'safetensors';
  if (existsSync(join(dir, 'model.safetensors.index.json'))) return 'safetensors-sharded';
  if (existsSync(join(dir, 'pytorch_model.bin'))) return 'pytorch';
  if (existsSync(join(dir, 'pytorch_model.bin.index.json'))) return 'pytorch-sharded';
  return undefined;
}

export async function readCheckpointFolder(dir: string): Promise<CheckpointWeights> {
  const format = detectCheckpointFormat(dir);
  if (!format) {
    throw new Error(
      `${dir} holds no checkpoint: expected model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json`,
    );
  }
  const read = format.startsWith('safetensors') ? readSafetensorsFile : readTorchCheckpointFile;
  const files =
    format === 'safetensors'
      ? ['model.safetensors']
      : format === 'pytorch'
        ? ['pytorch_model.bin']
        : shardFiles(
            join(
              dir,
              format === 'safetensors-sharded'
                ? 'model.safetensors.index.json'
                : 'pytorch_model.bin.index.json',
            ),
          );
  const tensors = new Map<string, CheckpointTensor>();
  for (const file of files) {
    for (const [name, tensor] of await read(join(dir, file))) {
      if (tensors.has(name)) throw new Error(`${dir}: tensor "${name}" appears in more than one shard`);
      tensors.set(name, tensor);
    }
  }
  return { format, files, tensors };
}

function shardFiles(indexPath: string): string[] {
  let index: { weight_map?: Record<string, string> };
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch (err) {
    throw new Error(`${indexPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (!index.weight_map || typeof index.weight_map !== 'object')
    throw new Error(`${indexPath} has no weight_map`);
  const files = [...new Set(Object.values(index.weight_map))].sort();
  for (const file of files) {
    if (basename(file) !== file) throw new Error(`${indexPath} names a shard outside the folder: "${file}"`);
    if (!existsSync(join(indexPath, '..', file)))
      throw new Error(`${indexPath} lists shard ${file}, which is missing`);
  }
  return files;
}
