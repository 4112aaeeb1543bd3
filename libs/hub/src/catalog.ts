/**
 * The default model catalog: what `npm start` pulls on first run and `wendao models pull` pulls
 * with no arguments. Overridable with a JSON file of the same shape. Where an ONNX export exists
 * on the hub (Xenova/*) it is pulled instead of the PyTorch weights; tokenizer and pooling
 * files come from the original repo when the export lacks them.
 */
import { readFileSync } from 'node:fs';
import type { ModelSource } from './pull/model-puller';

export type CatalogRole = 'embedder-zh' | 'embedder-multilingual' | 'reader-zh' | 'reader-en';

export interface CatalogModel {
  /** The original model id; also the folder under the models directory. */
  id: string;
  role: CatalogRole;
  task: 'embedder' | 'qa';
  languages: string[];
  /** Sentence-transformers pooling, written into the folder when the repos ship no 1_Pooling config. */
  pooling?: 'mean' | 'cls';
  license: string;
  /** Where the licence is stated, or why it needs checking. */
  licenseNote: string;
  /** Other ids users know it by (e.g. the hub's legacy id without owner). */
  aliases?: string[];
  sources: ModelSource[];
}

const TOKENIZER_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
];
const POOLING_FILES = ['modules.json', '1_Pooling/config.json', 'sentence_bert_config.json'];

export const DEFAULT_CATALOG: CatalogModel[] = [
  {
    id: 'BAAI/bge-small-zh-v1.5',
    role: 'embedder-zh',
    task: 'embedder',
    languages: ['zh'],
    pooling: 'cls',
    license: 'MIT',
    licenseNote: 'model card of BAAI/bge-small-zh-v1.5 (MIT); ONNX export by Xenova under the same licence',
    sources: [
      { repo: 'Xenova/bge-small-zh-v1.5', files: [...TOKENIZER_FILES, 'onnx/model.onnx'] },
      { repo: 'BAAI/bge-small-zh-v1.5', files: POOLING_FILES },
    ],
  },
  {
    id: 'sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2',
    role: 'embedder-multilingual',
    task: 'embedder',
    languages: ['zh', 'en', 'multilingual'],
    pooling: 'mean',
    license: 'Apache-2.0',
    licenseNote: 'model card of sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2',
    sources: [
      {
        repo: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2',
        files: [...TOKENIZER_FILES, 'onnx/model.onnx'],
      },
      { repo: 'sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2', files: POOLING_FILES },
    ],
  },
  {
    id: 'uer/roberta-base-chinese-extractive-qa',
    role: 'reader-zh',
    task: 'qa',
    languages: ['zh'],
    license: 'see model card',
    licenseNote:
      'the model card states no licence (UER-py, the training code, is Apache-2.0); check with the authors before commercial use',
    // Only pytorch_model.bin exists on the hub: converted to ONNX after download.
    sources: [
      { repo: 'uer/roberta-base-chinese-extractive-qa', files: [...TOKENIZER_FILES, 'pytorch_model.bin'] },
    ],
  },
  {
    id: 'distilbert/distilbert-base-cased-distilled-squad',
    role: 'reader-en',
    task: 'qa',
    languages: ['en'],
    license: 'Apache-2.0',
    licenseNote:
      'model card of distilbert/distilbert-base-cased-distilled-squad (formerly distilbert-base-cased-distilled-squad)',
    aliases: ['distilbert-base-cased-distilled-squad'],
    sources: [
      {
        repo: 'Xenova/distilbert-base-cased-distilled-squad',
        files: [...TOKENIZER_FILES, 'onnx/model.onnx'],
      },
    ],
  },
];

/** Reads a catalog override (a JSON array of CatalogModel) and checks its shape. */
export function loadCatalog(path: string): CatalogModel[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`model catalog ${path} cannot be read: ${(err as Error).message}`);
  }
  if (!Array.isArray(value)) throw new Error(`model catalog ${path} must be a JSON array of models`);
  value.forEach((m, i) => {
    const where = `model catalog ${path}, entry ${i}`;
    if (!m || typeof m.id !== 'string') throw new Error(`${where}: needs an "id"`);
    if (!['embedder', 'qa'].includes(m.task)) throw new Error(`${where}: "task" must be embedder or qa`);
    if (
      !Array.isArray(m.sources) ||
      m.sources.length === 0 ||
      m.sources.some((s: ModelSource) => typeof s?.repo !== 'string')
    ) {
      throw new Error(`${where}: needs "sources": [{ "repo": "owner/name", "files": [...] }]`);
    }
    if (m.pooling !== undefined && m.pooling !== 'mean' && m.pooling !== 'cls')
      throw new Error(`${where}: "pooling" must be mean or cls`);
  });
  return value as CatalogModel[];
}

export function findCatalogModel(catalog: CatalogModel[], id: string): CatalogModel | undefined {
  return catalog.find((m) => m.id === id || m.aliases?.includes(id) || m.sources.some((s) => s.repo === id));
}
