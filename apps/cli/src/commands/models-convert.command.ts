/**
 * `wendao models convert <folder>`: builds model.onnx from a Hugging Face checkpoint
 * (safetensors or pytorch_model.bin, read without Python and without unpickling code),
 * optionally quantizing it right after.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  convertCheckpoint,
  quantizeModelFolder,
  withModelFolderLock,
  type ConvertedModel,
} from '@wendao/hub';
import type { BertHead } from '@wendao/models';
import { parseLanguages } from './model-languages';
import { modelsCommandGroup } from './models-command-group';

export interface ModelsConvertOptions {
  folder: string;
  out?: string;
  head?: string;
  force?: boolean;
  quantize?: boolean;
  /** Comma-separated language codes the model serves (zh, en, ...), recorded in wendao.json. */
  languages?: string;
}

const HEADS: BertHead[] = ['base', 'embedder', 'qa', 'classifier'];

export async function modelsConvertCommand(
  opts: ModelsConvertOptions,
): Promise<{ output: string; converted: ConvertedModel }> {
  if (opts.head !== undefined && !HEADS.includes(opts.head as BertHead)) {
    throw new Error(`--head must be one of ${HEADS.join(', ')}, got "${opts.head}"`);
  }
  const languages = opts.languages === undefined ? undefined : parseLanguages(opts.languages);
  // The folder it writes, locked as a pull locks it: refused while a pull (or another convert) writes it.
  const target = resolve(opts.out ?? opts.folder);
  return withModelFolderLock(target, { model: target, wait: false }, async () => {
    const converted = await convertCheckpoint(opts.folder, {
      outDir: opts.out,
      head: opts.head as BertHead | undefined,
      force: opts.force,
      languages,
    });
    const lines = [
      `${converted.modelType} ${converted.head}${converted.pooling ? ` (${converted.pooling} pooling)` : ''}` +
        `${converted.numLabels ? `, ${converted.numLabels} labels` : ''} from ${converted.source.files.join(', ')} (${converted.source.format})`,
      `wrote ${converted.onnxPath}`,
    ];
    if (converted.unusedTensors.length > 0) {
      const shown = converted.unusedTensors.slice(0, 5).join(', ');
      const more =
        converted.unusedTensors.length > 5 ? ` and ${converted.unusedTensors.length - 5} more` : '';
      lines.push(`not used by the ${converted.head} graph: ${shown}${more}`);
    }
    if (opts.quantize) {
      const q = await quantizeModelFolder(converted.dir);
      lines.push(
        `wrote ${q.int8Path} (${(q.fp32Bytes / 1e6).toFixed(1)} MB -> ${(q.int8Bytes / 1e6).toFixed(1)} MB)`,
      );
    }
    return { output: lines.join('\n'), converted };
  });
}

export function registerModelsConvertCommand(program: Command): void {
  const models = modelsCommandGroup(program);
  models
    .command('convert')
    .description(
      'convert a BERT/RoBERTa/XLM-R/DistilBERT/ELECTRA checkpoint folder (safetensors or pytorch_model.bin) to ONNX',
    )
    .argument('<folder>', 'checkpoint folder with config.json and model.safetensors / pytorch_model.bin')
    .option('--out <dir>', 'write the model folder here instead of into the checkpoint folder')
    .option('--head <head>', 'override the head from config.json: base, embedder, qa, classifier')
    .option('--force', 'replace an existing model.onnx')
    .option('--quantize', 'also write model_quantized.onnx (INT8)')
    .option(
      '--languages <codes>',
      'languages the model serves, e.g. zh or zh,en (recorded in wendao.json: the server picks models per KB language)',
    )
    .action(async (folder: string, flags: Omit<ModelsConvertOptions, 'folder'>) => {
      console.log((await modelsConvertCommand({ folder, ...flags })).output);
    });
}
