/**
 * INT8 against FP32 on task data: the same folder (or two folders) loaded once with its fp32 graph
 * and once with its int8 export, run on the same sentences or questions. Reports size, speed,
 * agreement (embedding cosine, top-1 span) and the task metric of each side.
 */
import { existsSync, statSync } from 'node:fs';
import { SentenceEncoder } from '@wendao/encoder';
import { loadModelFolder, type ModelFolder } from '@wendao/models';
import { NeuralReader } from '@wendao/reader';
import type { Language } from '../datasets/dataset-catalog';
import type { QaExample } from '../datasets/squad-dataset';
import type { StsPair } from '../datasets/sts-dataset';
import { evaluateReader, type ReaderEvalResult } from './reader-eval';
import { evaluateSimilarity } from './similarity-eval';

export interface Int8Side {
  id: string;
  onnxPath: string;
  bytes: number;
  /** Sentences (embedder) or questions (reader) per second. */
  perSecond: number;
  /** Spearman x100 (embedder on STS) or F1 x100 (reader). */
  quality: number;
  exactMatch?: number;
}

export interface Int8Comparison {
  task: 'embedder' | 'qa';
  n: number;
  fp32: Int8Side;
  int8: Int8Side;
  sizeRatio: number;
  speedup: number;
  /** Embedder: mean and minimum cosine between the two sides' vectors of the same sentence. */
  cosine?: { mean: number; min: number };
  /** Reader: share of questions whose best span has the same text. */
  top1Agreement?: number;
  /** int8 quality minus fp32 quality, in points. */
  qualityDelta: number;
}

function onnxBytes(folder: ModelFolder): number {
  const external = `${folder.onnxPath}_data`;
  return statSync(folder.onnxPath).size + (existsSync(external) ? statSync(external).size : 0);
}

/** Resolves the two sides; one folder must hold both an fp32 and an int8 graph. */
export function int8Folders(fp32Dir: string, int8Dir = fp32Dir): { fp32: ModelFolder; int8: ModelFolder } {
  const fp32 = loadModelFolder(fp32Dir, { preferInt8: false });
  const int8 = loadModelFolder(int8Dir, { preferInt8: true });
  if (fp32.quantized) throw new Error(`${fp32Dir} has no fp32 ONNX graph to compare against`);
  if (!int8.quantized)
    throw new Error(`${int8Dir} has no int8 ONNX export (run \`wendao models quantize ${int8Dir}\` first)`);
  if (fp32.task !== int8.task)
    throw new Error(`the two models differ in task (${fp32.task} vs ${int8.task})`);
  return { fp32, int8 };
}

export async function compareInt8Embedder(
  folders: { fp32: ModelFolder; int8: ModelFolder },
  pairs: readonly StsPair[],
  threads?: number,
): Promise<Int8Comparison> {
  const sentences = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const sides: Int8Side[] = [];
  const vectors: Float32Array[][] = [];
  for (const folder of [folders.fp32, folders.int8]) {
    const encoder = await SentenceEncoder.load(folder, { cacheSize: 0, threads });
    try {
      // One untimed run first: the first onnxruntime call pays for allocation and kernel selection.
      await encoder.embed(sentences.slice(0, 8));
      const started = process.hrtime.bigint();
      vectors.push((await encoder.embed(sentences)).vectors);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const quality = (await evaluateSimilarity(pairs, encoder)).spearman;
      sides.push({
        id: folder.id,
        onnxPath: folder.onnxPath,
        bytes: onnxBytes(folder),
        perSecond: sentences.length / seconds,
        quality,
      });
    } finally {
      await encoder.close();
    }
  }
  // Both sides are L2-normalised, so the dot product is the cosine.
  const cosines = sentences.map((_, i) => vectors[0][i].reduce((s, x, j) => s + x * vectors[1][i][j], 0));
  return {
    task: 'embedder',
    n: sentences.length,
    fp32: sides[0],
    int8: sides[1],
    sizeRatio: sides[1].bytes / sides[0].bytes,
    speedup: sides[1].perSecond / sides[0].perSecond,
    cosine: { mean: cosines.reduce((s, c) => s + c, 0) / cosines.length, min: Math.min(...cosines) },
    qualityDelta: sides[1].quality - sides[0].quality,
  };
}

export async function compareInt8Reader(
  dirs: { fp32: string; int8: string },
  examples: readonly QaExample[],
  language: Language,
  threads?: number,
): Promise<Int8Comparison> {
  const folders = int8Folders(dirs.fp32, dirs.int8);
  const results: ReaderEvalResult[] = [];
  for (const [dir, preferInt8] of [
    [dirs.fp32, false],
    [dirs.int8, true],
  ] as const) {
    const reader = await NeuralReader.load(dir, { preferInt8, threads });
    await reader.answer(examples[0].question, [examples[0].context]); // untimed warm-up run
    results.push(await evaluateReader(reader, examples, { language }));
  }
  const [a, b] = results;
  const agree = a.predictions.filter((p, i) => p.prediction === b.predictions[i].prediction).length;
  const side = (folder: ModelFolder, r: (typeof results)[number]): Int8Side => ({
    id: folder.id,
    onnxPath: folder.onnxPath,
    bytes: onnxBytes(folder),
    perSecond: r.questionsPerSecond,
    quality: r.f1,
    exactMatch: r.exactMatch,
  });
  return {
    task: 'qa',
    n: examples.length,
    fp32: side(folders.fp32, a),
    int8: side(folders.int8, b),
    sizeRatio: onnxBytes(folders.int8) / onnxBytes(folders.fp32),
    speedup: b.questionsPerSecond / a.questionsPerSecond,
    top1Agreement: agree / examples.length,
    qualityDelta: b.f1 - a.f1,
  };
}
