/**
 * A model folder as Hugging Face / sentence-transformers lay it out (model.onnx or onnx/model*.onnx,
 * config.json, tokenizer files, pooling config), read into one description the encoder and reader load.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { modelPullInProgress } from './model-pull-lock';
import { positionLimit } from './position-limit';
import { readJsonFile } from './read-json-file';
import { sentenceTransformersPooling } from './sentence-transformers-pooling';

export type ModelTask = 'embedder' | 'qa' | 'classifier' | 'base';
export type PoolingMode = 'mean' | 'cls';

export interface ModelFolder {
  /** "org/name" under a models directory, else the folder name (or wendao.json's modelId). */
  id: string;
  dir: string;
  onnxPath: string;
  /** The ONNX file is an int8/uint8 quantized export. */
  quantized: boolean;
  /** config.json as parsed. */
  config: Record<string, unknown>;
  task: ModelTask;
  /** Sentence-transformers pooling (1_Pooling/config.json); undefined when the folder names none. */
  pooling?: PoolingMode;
  /** Longest input in tokens the model was built for (special tokens included). */
  maxLength: number;
  /** sentence_bert_config.json `do_lower_case`: sentence-transformers lowercases texts before tokenizing. */
  lowercaseInput: boolean;
  /**
   * config_sentence_transformers.json's default prompt (e5's "query: "): sentence-transformers puts
   * it before every text it encodes, so the encoder does too. Absent when the folder names none.
   */
  inputPrompt?: string;
  /**
   * Languages the model was trained for (wendao.json `languages`, written by `wendao models pull`
   * from the catalog): "zh", "en", ... Absent when the folder does not say; such a model is taken to
   * serve every language.
   */
  languages?: string[];
}

export interface LoadModelFolderOptions {
  /** Pick model_quantized.onnx / model_int8.onnx / model_qint8*.onnx over model.onnx when present (default true). */
  preferInt8?: boolean;
  /** Overrides the id (resolveModel passes the name it was asked for). */
  id?: string;
  /** Load a folder whose pull lock is held: only for the puller that holds it. */
  ignorePullLock?: boolean;
}

const INT8_NAMES = ['model_quantized.onnx', 'model_int8.onnx', 'model_uint8.onnx'];

function isInt8OnnxName(file: string): boolean {
  return INT8_NAMES.includes(file) || /^model_qint8.*\.onnx$/.test(file);
}

/** All ONNX candidates, root first then onnx/, in a stable order. */
function onnxCandidates(dir: string): string[] {
  const found: string[] = [];
  for (const sub of ['', 'onnx']) {
    const d = join(dir, sub);
    if (!existsSync(d) || !statSync(d).isDirectory()) continue;
    const files = readdirSync(d)
      .filter((f) => /^model.*\.onnx$/.test(f))
      .sort();
    found.push(...files.map((f) => join(d, f)));
  }
  return found;
}

/** Chooses the ONNX file: model.onnx (fp32) or an int8 export, by preference; any model*.onnx last. */
function pickOnnx(dir: string, preferInt8: boolean): string | undefined {
  const candidates = onnxCandidates(dir);
  const int8 = candidates
    .filter((p) => isInt8OnnxName(basename(p)))
    .sort((a, b) => rank(basename(a)) - rank(basename(b)));
  const fp32 = candidates.filter((p) => basename(p) === 'model.onnx');
  const ordered = preferInt8 ? [...int8, ...fp32] : [...fp32, ...int8];
  return ordered[0] ?? candidates[0];

  function rank(name: string): number {
    const i = INT8_NAMES.indexOf(name);
    return i >= 0 ? i : INT8_NAMES.length;
  }
}

function taskOf(
  config: Record<string, unknown>,
  wendao: Record<string, unknown> | undefined,
  modules: unknown,
): ModelTask {
  const declared = wendao?.task ?? wendao?.head;
  const hasPooling =
    Array.isArray(modules) &&
    modules.some((m) => typeof m?.type === 'string' && m.type.endsWith('models.Pooling'));
  if (declared === 'qa' || declared === 'classifier' || declared === 'embedder') return declared;
  if (hasPooling) return 'embedder';
  if (declared === 'base') return 'base';
  const architectures = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  if (architectures.some((a) => a.endsWith('ForQuestionAnswering'))) return 'qa';
  if (architectures.some((a) => a.endsWith('ForSequenceClassification'))) return 'classifier';
  return 'base';
}

function languagesOf(wendao: Record<string, unknown> | undefined): string[] | undefined {
  const languages = wendao?.languages;
  if (!Array.isArray(languages)) return undefined;
  const codes = languages.filter((l): l is string => typeof l === 'string' && l.trim() !== '');
  return codes.length > 0 ? codes.map((l) => l.trim().toLowerCase()) : undefined;
}

function defaultPromptOf(dir: string): string | undefined {
  const st = readJsonFile(join(dir, 'config_sentence_transformers.json'));
  const name = st?.default_prompt_name;
  const prompts = st?.prompts;
  if (typeof name !== 'string' || !prompts || typeof prompts !== 'object') return undefined;
  const prompt = (prompts as Record<string, unknown>)[name];
  return typeof prompt === 'string' && prompt !== '' ? prompt : undefined;
}

function maxLengthOf(dir: string, config: Record<string, unknown>): number {
  const limits: number[] = [];
  const positions = positionLimit(config);
  if (positions !== undefined) limits.push(positions);
  const tokenizerMax = readJsonFile(join(dir, 'tokenizer_config.json'))?.model_max_length;
  // HF writes 1e30 when a tokenizer has no limit of its own.
  if (typeof tokenizerMax === 'number' && tokenizerMax > 0 && tokenizerMax < 1e6) limits.push(tokenizerMax);
  const seqMax = readJsonFile(join(dir, 'sentence_bert_config.json'))?.max_seq_length;
  if (typeof seqMax === 'number' && seqMax > 0) limits.push(seqMax);
  return limits.length > 0 ? Math.min(...limits) : 512;
}

export function loadModelFolder(dir: string, opts: LoadModelFolderOptions = {}): ModelFolder {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`model folder ${root} does not exist`);
  // Its files may all be there already while the puller still converts, quantizes or replaces one.
  if (!opts.ignorePullLock && modelPullInProgress(root))
    throw new Error(`model folder ${root} is being downloaded by a Wendao process; it is used once that pull finishes`);
  const missing: string[] = [];
  const onnxPath = pickOnnx(root, opts.preferInt8 ?? true);
  if (!onnxPath) missing.push('model.onnx (or onnx/model*.onnx)');
  const config = readJsonFile(join(root, 'config.json'));
  if (!config) missing.push('config.json');
  if (!existsSync(join(root, 'tokenizer.json')) && !existsSync(join(root, 'vocab.txt'))) {
    missing.push('tokenizer.json or vocab.txt');
  }
  if (missing.length > 0 || !onnxPath || !config) {
    throw new Error(`model folder ${root} is incomplete: missing ${missing.join(', ')}`);
  }
  const wendao = readJsonFile(join(root, 'wendao.json'));
  const modules = readJsonFile(join(root, 'modules.json'));
  const task = taskOf(config, wendao, modules);
  return {
    id: opts.id ?? (typeof wendao?.modelId === 'string' ? wendao.modelId : basename(root)),
    dir: root,
    onnxPath,
    quantized: isInt8OnnxName(basename(onnxPath)),
    config,
    task,
    pooling: sentenceTransformersPooling(root, modules),
    maxLength: maxLengthOf(root, config),
    lowercaseInput: readJsonFile(join(root, 'sentence_bert_config.json'))?.do_lower_case === true,
    inputPrompt: defaultPromptOf(root),
    languages: languagesOf(wendao),
  };
}
