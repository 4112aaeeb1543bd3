/**
 * Reads what a model folder says about its tokenizer (tokenizer.json, or vocab.txt plus
 * tokenizer_config.json / special_tokens_map.json) into one description TextTokenizer can load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBertTokenizerJson, parseVocabTxt } from './bert-tokenizer-json';

export interface TokenizerFiles {
  /** tokenizer.json content, read from the folder or built from vocab.txt. */
  tokenizerJson: string;
  /** Where tokenizerJson came from, for messages. */
  source: 'tokenizer.json' | 'vocab.txt';
  /** Special tokens named by tokenizer_config.json / special_tokens_map.json (surface strings). */
  specialTokens: { cls?: string; sep?: string; pad?: string; unk?: string; mask?: string };
  /** tokenizer_config.json `model_max_length` when it is a real limit (HF writes 1e30 for "none"). */
  modelMaxLength?: number;
  /** config.json, or {} when absent. */
  modelConfig: Record<string, unknown>;
}

function readJson(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  throw new Error(`${path} does not hold a JSON object`);
}

/** Special tokens are stored either as strings or as serialized AddedToken objects. */
function tokenString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

export function readTokenizerFiles(dir: string): TokenizerFiles {
  const tokenizerConfig = readJson(join(dir, 'tokenizer_config.json')) ?? {};
  const specialMap = readJson(join(dir, 'special_tokens_map.json')) ?? {};
  const modelConfig = readJson(join(dir, 'config.json')) ?? {};
  const pick = (key: string) => tokenString(tokenizerConfig[key]) ?? tokenString(specialMap[key]);
  const specialTokens = {
    cls: pick('cls_token'),
    sep: pick('sep_token'),
    pad: pick('pad_token'),
    unk: pick('unk_token'),
    mask: pick('mask_token'),
  };
  const maxRaw = tokenizerConfig.model_max_length;
  const modelMaxLength =
    typeof maxRaw === 'number' && Number.isFinite(maxRaw) && maxRaw > 0 && maxRaw < 1e6 ? maxRaw : undefined;

  const jsonPath = join(dir, 'tokenizer.json');
  if (existsSync(jsonPath)) {
    return {
      tokenizerJson: readFileSync(jsonPath, 'utf8'),
      source: 'tokenizer.json',
      specialTokens,
      modelMaxLength,
      modelConfig,
    };
  }
  const vocabPath = join(dir, 'vocab.txt');
  if (!existsSync(vocabPath)) {
    throw new Error(`no tokenizer in ${dir}: expected tokenizer.json or vocab.txt`);
  }
  const lowercase = typeof tokenizerConfig.do_lower_case === 'boolean' ? tokenizerConfig.do_lower_case : true;
  const stripAccents = typeof tokenizerConfig.strip_accents === 'boolean' ? tokenizerConfig.strip_accents : null;
  const tokenizeChineseChars =
    typeof tokenizerConfig.tokenize_chinese_chars === 'boolean' ? tokenizerConfig.tokenize_chinese_chars : true;
  const json = buildBertTokenizerJson(parseVocabTxt(readFileSync(vocabPath, 'utf8')), {
    lowercase,
    stripAccents,
    tokenizeChineseChars,
    unkToken: specialTokens.unk,
    clsToken: specialTokens.cls,
    sepToken: specialTokens.sep,
    padToken: specialTokens.pad,
    maskToken: specialTokens.mask,
  });
  return { tokenizerJson: JSON.stringify(json), source: 'vocab.txt', specialTokens, modelMaxLength, modelConfig };
}
