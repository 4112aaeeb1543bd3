/**
 * Lists the model folders under a models directory (one or two levels: "<name>" or "<org>/<name>"),
 * with sizes; an incomplete folder is listed with the reason rather than hidden.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelFolder, type ModelFolder } from './model-folder';

export type ModelSummary =
  | (ModelFolder & { onnxBytes: number; totalBytes: number; error?: undefined })
  | {
      id: string;
      dir: string;
      totalBytes: number;
      error: string;
      // Absent on a broken folder; declared so `m.task === 'qa'` reads naturally on any summary.
      task?: undefined;
      quantized?: undefined;
      pooling?: undefined;
      onnxPath?: undefined;
      onnxBytes?: undefined;
    };

const MODEL_FILES = ['config.json', 'model.onnx', 'onnx', 'tokenizer.json', 'vocab.txt'];

function looksLikeModel(dir: string): boolean {
  return MODEL_FILES.some((f) => existsSync(join(dir, f)));
}

/** Whether a symbolic link leads to a directory (false when it leads nowhere). */
function linksToDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Subfolders, linked ones included: the loader follows links, so a linked model folder is served. */
function subdirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .filter((e) => e.isDirectory() || (e.isSymbolicLink() && linksToDir(join(dir, e.name))))
    .map((e) => e.name)
    .sort();
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
    else if (entry.isSymbolicLink()) {
      // A linked file counts at its target's size (a Hugging Face cache snapshot links every file).
      const target = statSync(path, { throwIfNoEntry: false });
      if (target?.isFile()) total += target.size;
    }
  }
  return total;
}

function summarize(dir: string, id: string, preferInt8: boolean): ModelSummary {
  const totalBytes = folderBytes(dir);
  try {
    const folder = loadModelFolder(dir, { id, preferInt8 });
    // Large exports keep their weights beside the graph in <file>_data.
    const external = `${folder.onnxPath}_data`;
    const onnxBytes = statSync(folder.onnxPath).size + (existsSync(external) ? statSync(external).size : 0);
    return { ...folder, onnxBytes, totalBytes };
  } catch (err) {
    return { id, dir, totalBytes, error: (err as Error).message };
  }
}

export function listModels(modelsDir: string, opts: { preferInt8?: boolean } = {}): ModelSummary[] {
  if (!existsSync(modelsDir) || !statSync(modelsDir).isDirectory()) return [];
  const preferInt8 = opts.preferInt8 ?? true;
  const found: ModelSummary[] = [];
  for (const name of subdirs(modelsDir)) {
    const dir = join(modelsDir, name);
    if (looksLikeModel(dir)) {
      found.push(summarize(dir, name, preferInt8));
      continue;
    }
    for (const inner of subdirs(dir)) {
      if (looksLikeModel(join(dir, inner))) found.push(summarize(join(dir, inner), `${name}/${inner}`, preferInt8));
    }
  }
  return found;
}
