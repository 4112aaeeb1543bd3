/**
 * Random-weight models of real shapes for the benchmarks, laid out so both Wendao and
 * transformers.js load the same files (config.json, tokenizer.json, onnx/model.onnx and, when
 * the INT8 quantizer is available, onnx/model_quantized.onnx). Built once and cached on disk.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { quantizeModelFolder } from '@wendao/hub';
import {
  buildBertTokenizerJson,
  parseVocabTxt,
  writeRandomModel,
  type BertHead,
  type BertPreset,
} from '@wendao/models';

export interface BenchModel {
  /** Folder name, which transformers.js uses as the model id under `root`. */
  id: string;
  root: string;
  dir: string;
  fp32Path: string;
  /** Absent when quantization failed; `int8Error` says why. */
  int8Path?: string;
  int8Error?: string;
}

interface ReadyMarker {
  preset: BertPreset;
  head: BertHead;
  seed: number;
  int8: boolean;
  int8Error?: string;
}

const MARKER = 'bench-model.json';

/** Default cache: ./data/bench-models (gitignored). */
export function defaultBenchModelsRoot(): string {
  return resolve('data', 'bench-models');
}

export async function prepareBenchModel(opts: {
  preset: BertPreset;
  head: BertHead;
  root?: string;
  seed?: number;
  log?: (message: string) => void;
}): Promise<BenchModel> {
  const root = resolve(opts.root ?? defaultBenchModelsRoot());
  const seed = opts.seed ?? 42;
  const id = `random-${opts.preset}-${opts.head}`;
  const dir = join(root, id);
  const fp32Path = join(dir, 'onnx', 'model.onnx');
  const int8Path = join(dir, 'onnx', 'model_quantized.onnx');
  const markerPath = join(dir, MARKER);

  if (existsSync(markerPath)) {
    const marker = JSON.parse(await readFile(markerPath, 'utf8')) as ReadyMarker;
    if (
      marker.preset === opts.preset &&
      marker.head === opts.head &&
      marker.seed === seed &&
      existsSync(fp32Path)
    ) {
      return { id, root, dir, fp32Path, ...(marker.int8 ? { int8Path } : { int8Error: marker.int8Error }) };
    }
  }

  opts.log?.(`building random-weight ${opts.preset} ${opts.head} model in ${dir}`);
  await rm(dir, { recursive: true, force: true });
  await writeRandomModel(dir, { preset: opts.preset, head: opts.head, seed });
  // transformers.js reads onnx/model*.onnx and tokenizer.json; Wendao reads either layout.
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await rename(join(dir, 'model.onnx'), fp32Path);
  const vocab = parseVocabTxt(await readFile(join(dir, 'vocab.txt'), 'utf8'));
  await writeFile(
    join(dir, 'tokenizer.json'),
    JSON.stringify(buildBertTokenizerJson(vocab, { lowercase: true })),
  );

  let int8Error: string | undefined;
  try {
    opts.log?.(`quantizing ${id} to INT8`);
    await quantizeModelFolder(dir);
  } catch (err) {
    int8Error = (err as Error).message;
  }
  const marker: ReadyMarker = { preset: opts.preset, head: opts.head, seed, int8: !int8Error, int8Error };
  await writeFile(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
  return { id, root, dir, fp32Path, ...(int8Error ? { int8Error } : { int8Path }) };
}
