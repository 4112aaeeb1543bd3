/**
 * `wendao models quantize <folder>`: writes model_quantized.onnx (dynamic INT8) next to the fp32
 * model and reports what it costs and gains: size, speed, and agreement with fp32.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  compareQuantized,
  quantizeModelFolder,
  withModelFolderLock,
  type QuantizationReport,
  type QuantizedFolder,
} from '@wendao/hub';
import { modelsCommandGroup } from './models-command-group';

export interface ModelsQuantizeOptions {
  folder: string;
  perTensor?: boolean;
  reduceRange?: boolean;
  /** Keep embedding tables in fp32. */
  keepEmbeddings?: boolean;
  /** Compare with fp32 after quantizing (default true). */
  report?: boolean;
  /** Timed passes for the speed comparison; 0 skips it. */
  speedRuns?: number;
  threads?: number;
  json?: boolean;
}

export async function modelsQuantizeCommand(
  opts: ModelsQuantizeOptions,
): Promise<{ output: string; quantized: QuantizedFolder; report?: QuantizationReport }> {
  for (const [name, value] of [
    ['--speed-runs', opts.speedRuns],
    ['--threads', opts.threads],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      throw new Error(`${name} must be a whole number, got ${value}`);
  }
  // Locked as a pull locks the folder: refused while a pull (or a convert) writes it.
  const dir = resolve(opts.folder);
  const quantized = await withModelFolderLock(dir, { model: dir, wait: false }, () =>
    quantizeModelFolder(opts.folder, {
      perChannel: !opts.perTensor,
      reduceRange: opts.reduceRange,
      quantizeEmbeddings: !opts.keepEmbeddings,
    }),
  );
  const report =
    opts.report === false
      ? undefined
      : await compareQuantized(quantized.fp32Path, quantized.int8Path, {
          dir: opts.folder,
          speedRuns: opts.speedRuns ?? 3,
          threads: opts.threads || undefined,
        });
  if (opts.json) return { output: JSON.stringify({ quantized, report }, null, 2), quantized, report };
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  const lines = [
    `wrote ${quantized.int8Path}: ${quantized.quantizedMatMuls} matrix multiplications and ${quantized.quantizedGathers} embedding tables in INT8`,
    `size: ${mb(quantized.fp32Bytes)} fp32 -> ${mb(quantized.int8Bytes)} int8 (${((100 * quantized.int8Bytes) / quantized.fp32Bytes).toFixed(1)} %)`,
  ];
  if (report) {
    if (report.speedup !== undefined) {
      lines.push(
        `speed: ${report.fp32.sequencesPerSecond!.toFixed(1)} -> ${report.int8.sequencesPerSecond!.toFixed(1)} ${report.task === 'qa' ? 'windows' : 'sentences'}/s ` +
          `(${report.speedup.toFixed(2)}x, batch ${report.inputs.batchSize}, ${report.inputs.sequenceLength} tokens)`,
      );
    }
    lines.push(
      `agreement on ${report.inputs.samples} ${report.inputs.source === 'tokenizer' ? 'sample sentences' : 'random token sequences'}: ` +
        `embedding cosine mean ${report.embeddingCosine.mean.toFixed(4)}, min ${report.embeddingCosine.min.toFixed(4)}` +
        (report.top1Agreement !== undefined
          ? `; top-1 agreement ${(100 * report.top1Agreement).toFixed(0)} %`
          : '') +
        (report.maxLogitDiff !== undefined ? `; max logit difference ${report.maxLogitDiff.toFixed(4)}` : ''),
    );
  }
  return { output: lines.join('\n'), quantized, report };
}

const whole = (v: string) => Number(v);

export function registerModelsQuantizeCommand(program: Command): void {
  const models = modelsCommandGroup(program);
  models
    .command('quantize')
    .description('write an INT8 model_quantized.onnx next to model.onnx and compare it with fp32')
    .argument('<folder>', 'model folder with model.onnx or onnx/model.onnx')
    .option('--per-tensor', 'one scale per weight matrix instead of per output column')
    .option(
      '--reduce-range',
      '7-bit weights (default: only on x86 CPUs without VNNI, where 8-bit products can saturate)',
    )
    .option('--keep-embeddings', 'leave embedding tables in fp32 (larger file)')
    .option('--no-report', 'skip the fp32 comparison')
    .option('--speed-runs <n>', 'timed passes for the speed comparison (0: none)', whole)
    .option('--threads <n>', 'onnxruntime intra-op threads for the comparison', whole)
    .option('--json', 'print the result as JSON')
    .action(async (folder: string, flags: Omit<ModelsQuantizeOptions, 'folder'>) => {
      console.log((await modelsQuantizeCommand({ folder, ...flags })).output);
    });
}
