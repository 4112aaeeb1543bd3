/**
 * Turns a Hugging Face checkpoint folder (safetensors or pytorch_model.bin) into the model
 * folder format: model.onnx built by the project's BERT graph builder from the checkpoint's
 * weights, plus wendao.json saying what it was converted from. The folder's own config and
 * tokenizer files are kept as they are; they describe the same model.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, copyFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Tensor, InferenceSession } from 'onnxruntime-node';
import {
  bertWeightShapes,
  buildBertOnnx,
  sentenceTransformersPooling,
  type BertHead,
  type BertWeights,
} from '@wendao/models';
import { readCheckpointFolder, type CheckpointFormat } from '../checkpoint/checkpoint-folder';
import { MODEL_METADATA_FILES } from '../pull/model-puller';
import { architectureMapping } from '@wendao/models';

export interface ConvertCheckpointOptions {
  /** Write the model folder here instead of into the checkpoint folder (config/tokenizer files are copied). */
  outDir?: string;
  /** Override the head read from config.json architectures / modules.json. */
  head?: BertHead;
  /** Replace an existing model.onnx. */
  force?: boolean;
  /** Languages the model serves, recorded in wendao.json (default: what wendao.json said before, if anything). */
  languages?: string[];
  log?: (line: string) => void;
}

export interface ConvertedModel {
  dir: string;
  onnxPath: string;
  modelType: string;
  head: BertHead;
  pooling?: 'mean' | 'cls';
  numLabels?: number;
  source: { format: CheckpointFormat; files: string[] };
  /** Checkpoint tensors the graph does not use (language-model heads, buffers ...). */
  unusedTensors: string[];
}

export async function convertCheckpoint(
  folder: string,
  options: ConvertCheckpointOptions = {},
): Promise<ConvertedModel> {
  const source = resolve(folder);
  const target = resolve(options.outDir ?? source);
  const onnxPath = join(target, 'model.onnx');
  if (existsSync(onnxPath) && !options.force) {
    throw new Error(`${onnxPath} already exists; pass force (--force) to replace it`);
  }
  const hf = readJson(join(source, 'config.json'));
  if (!hf) throw new Error(`${source} has no config.json; a checkpoint folder needs the model's config`);

  const detected = options.head
    ? { head: options.head, pooling: sentenceTransformersPooling(source) }
    : detectHead(source, hf);
  const head = detected.head;
  // An embedder without a pooling config gets sentence-transformers' default, mean pooling.
  const pooling = head === 'embedder' ? (detected.pooling ?? 'mean') : undefined;
  const mapping = architectureMapping(hf, head);
  const checkpoint = await readCheckpointFolder(source);

  const renamed = new Map<string, string>(); // BertModel name -> checkpoint name
  const unused: string[] = [];
  for (const name of checkpoint.tensors.keys()) {
    const mapped = mapping.rename(name);
    if (mapped === undefined) unused.push(name);
    else if (renamed.has(mapped))
      throw new Error(`checkpoint tensors "${renamed.get(mapped)}" and "${name}" both map to "${mapped}"`);
    else renamed.set(mapped, name);
  }
  const numLabels =
    head === 'classifier'
      ? checkpoint.tensors.get(renamed.get('classifier.weight') ?? '')?.shape[0]
      : undefined;
  if (head === 'classifier' && !numLabels)
    throw new Error('the checkpoint has no classifier weights for a classification head');
  if (head === 'qa' && !renamed.has('qa_outputs.weight')) {
    throw new Error('config.json says question answering, but the checkpoint has no qa_outputs weights');
  }

  const weights: BertWeights = new Map();
  const needed = bertWeightShapes(mapping.config, { head, numLabels });
  for (const [name, dims] of needed) {
    const tensor = checkpoint.tensors.get(renamed.get(name) ?? '');
    if (!tensor)
      throw new Error(
        `the checkpoint lacks "${name}" (shape [${dims}]) for a ${mapping.modelType} ${head} model`,
      );
    if (tensor.shape.length !== dims.length || tensor.shape.some((d, i) => d !== dims[i])) {
      throw new Error(
        `checkpoint tensor "${renamed.get(name)}" has shape [${tensor.shape}], config.json implies [${dims}]`,
      );
    }
    weights.set(name, { dims, data: tensor.toFloat32() });
  }
  for (const [mapped, original] of renamed) if (!needed.has(mapped)) unused.push(original);

  const model = buildBertOnnx(mapping.config, weights, { head, pooling, numLabels });
  await mkdir(target, { recursive: true });
  if (target !== source) await copyCompanions(source, target);
  await smokeTest(model, mapping.config.type_vocab_size > 0);
  await writeFile(`${onnxPath}.tmp`, model);
  await rename(`${onnxPath}.tmp`, onnxPath);
  const previous = readJson(join(target, 'wendao.json'));
  const languages = options.languages ?? previous?.languages;
  const wendaoJson = {
    modelId: previous?.modelId ?? undefined,
    ...(languages ? { languages } : {}),
    head,
    ...(pooling ? { pooling } : {}),
    convertedFrom: { format: checkpoint.format, files: checkpoint.files, modelType: mapping.modelType },
    generatedBy: 'wendao models convert',
  };
  await writeFile(join(target, 'wendao.json'), `${JSON.stringify(wendaoJson, null, 2)}\n`);
  options.log?.(
    `converted ${mapping.modelType} (${head}${pooling ? `, ${pooling} pooling` : ''}) from ${checkpoint.files.join(', ')} -> ${onnxPath}`,
  );
  return {
    dir: target,
    onnxPath,
    modelType: mapping.modelType,
    head,
    pooling,
    numLabels,
    source: { format: checkpoint.format, files: checkpoint.files },
    unusedTensors: unused.sort(),
  };
}

/** QA / classification from the HF architecture name; an embedder when sentence-transformers pooling is configured. */
function detectHead(dir: string, hf: Record<string, unknown>): { head: BertHead; pooling?: 'mean' | 'cls' } {
  const architectures = Array.isArray(hf.architectures) ? hf.architectures.map(String) : [];
  if (architectures.some((a) => a.endsWith('ForQuestionAnswering'))) return { head: 'qa' };
  if (architectures.some((a) => a.endsWith('ForSequenceClassification'))) return { head: 'classifier' };
  const pooling = sentenceTransformersPooling(dir);
  return pooling ? { head: 'embedder', pooling } : { head: 'base' };
}

function readJson(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

async function copyCompanions(source: string, target: string): Promise<void> {
  // The same files a pull fetches: everything besides the weights that describes the model.
  for (const file of MODEL_METADATA_FILES) {
    if (!existsSync(join(source, file))) continue;
    await mkdir(dirname(join(target, file)), { recursive: true });
    await copyFile(join(source, file), join(target, file));
  }
}

/** A model that onnxruntime cannot load or run must not replace anything on disk. */
async function smokeTest(model: Uint8Array, hasTokenTypes: boolean): Promise<void> {
  const session = await InferenceSession.create(model);
  try {
    const ids = new Tensor('int64', BigInt64Array.from([1n, 2n, 3n]), [1, 3]);
    const feeds: Record<string, Tensor> = {
      input_ids: ids,
      attention_mask: new Tensor('int64', BigInt64Array.from([1n, 1n, 1n]), [1, 3]),
    };
    if (hasTokenTypes) feeds.token_type_ids = new Tensor('int64', new BigInt64Array(3), [1, 3]);
    await session.run(feeds);
  } finally {
    await session.release();
  }
}
