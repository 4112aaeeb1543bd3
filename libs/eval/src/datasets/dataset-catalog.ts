/**
 * Where each evaluation set lives under the datasets folder, its language, and the published
 * reference scores (from ../shared/datasets/SOURCES.md) that our numbers are reported next to.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type Language = 'zh' | 'en';

/** A published number for the same set: who, what metric, what value (x100), where it is from. */
export interface ReferenceScore {
  model: string;
  metric: string;
  value: number;
  source: string;
  note?: string;
}

export interface CatalogEntry {
  name: string;
  language: Language;
  /** Path relative to the datasets folder (a file, or a folder for multi-file sets). */
  path: string;
  split: string;
  references: ReferenceScore[];
}

const CWBERT = 'ymcui/Chinese-BERT-wwm README';
const TEXT2VEC = 'shibing624/text2vec README';

export const READER_DATASETS: Record<string, CatalogEntry> = {
  squad: {
    name: 'squad',
    language: 'en',
    path: 'squad_v1.1/dev-v1.1.json',
    split: 'dev',
    references: [
      {
        model: 'distilbert-base-cased-distilled-squad',
        metric: 'EM',
        value: 79.55,
        source: 'HF evaluate re-run (autoevaluate model card)',
      },
      {
        model: 'distilbert-base-cased-distilled-squad',
        metric: 'F1',
        value: 86.81,
        source: 'HF evaluate re-run (autoevaluate model card)',
      },
      { model: 'bert-base-cased', metric: 'F1', value: 88.7, source: 'distilbert model card comparison' },
    ],
  },
  cmrc2018: {
    name: 'cmrc2018',
    language: 'zh',
    path: 'cmrc2018/cmrc2018_dev.json',
    split: 'dev',
    references: [
      { model: 'BERT-base Chinese (Google)', metric: 'EM', value: 65.5, source: CWBERT },
      { model: 'BERT-base Chinese (Google)', metric: 'F1', value: 84.5, source: CWBERT },
      { model: 'RoBERTa-wwm-ext', metric: 'EM', value: 67.4, source: CWBERT },
      { model: 'RoBERTa-wwm-ext', metric: 'F1', value: 87.2, source: CWBERT },
    ],
  },
  drcd: {
    name: 'drcd',
    language: 'zh',
    path: 'drcd/DRCD_dev.json',
    split: 'dev',
    references: [
      { model: 'BERT-base Chinese (Google)', metric: 'EM', value: 83.1, source: CWBERT },
      { model: 'BERT-base Chinese (Google)', metric: 'F1', value: 89.9, source: CWBERT },
      { model: 'RoBERTa-wwm-ext', metric: 'EM', value: 86.6, source: CWBERT },
      { model: 'RoBERTa-wwm-ext', metric: 'F1', value: 92.5, source: CWBERT },
    ],
  },
};

export const RETRIEVAL_DATASETS: Record<string, CatalogEntry> = {
  stackfaq: {
    name: 'stackfaq',
    language: 'en',
    path: 'stackfaq/stackExchange-FAQ.json',
    split: 'all',
    references: [],
  },
  lcqmc: {
    name: 'lcqmc',
    language: 'zh',
    path: 'lcqmc/dev.tsv',
    split: 'dev (positive pairs)',
    references: [],
  },
  bq: {
    name: 'bq',
    language: 'zh',
    path: 'bq_corpus/dev.tsv',
    split: 'dev (positive pairs)',
    references: [],
  },
  afqmc: {
    name: 'afqmc',
    language: 'zh',
    path: 'afqmc/dev.json',
    split: 'dev (positive pairs)',
    references: [],
  },
  banking77: {
    name: 'banking77',
    language: 'en',
    path: 'banking77',
    split: 'train as alternates / test as queries',
    references: [
      {
        model: 'BERT-large (classifier, full data)',
        metric: 'accuracy',
        value: 93.66,
        source: 'Casanueva et al. 2020 via secondary sources',
        note: 'a trained classifier, not retrieval',
      },
      {
        model: 'USE+ConveRT (10 per intent)',
        metric: 'accuracy',
        value: 85.19,
        source: 'Casanueva et al. 2020 via secondary sources',
        note: 'a trained classifier, not retrieval',
      },
    ],
  },
  clinc150: {
    name: 'clinc150',
    language: 'en',
    path: 'clinc150/data_full.json',
    split: 'train as alternates / in-scope test as queries',
    references: [
      {
        model: 'BERT (classifier, Full)',
        metric: 'in-scope accuracy',
        value: 96.9,
        source: 'Larson et al. 2019, Table 2',
        note: 'a trained classifier, not retrieval',
      },
      {
        model: 'BERT (classifier, Small: 50 per intent)',
        metric: 'in-scope accuracy',
        value: 96.4,
        source: 'Larson et al. 2019, Table 2',
        note: 'a trained classifier, not retrieval',
      },
      { model: 'FastText', metric: 'in-scope accuracy', value: 89.0, source: 'Larson et al. 2019, Table 2' },
    ],
  },
  smp2017: {
    name: 'smp2017',
    language: 'zh',
    path: 'smp2017_ecdt/Chinese_data.csv',
    split: 'fixed-seed stratified ~500 train / rest test',
    references: [],
  },
  cais: {
    name: 'cais',
    language: 'zh',
    path: 'cais',
    split: 'train as alternates / test as queries',
    references: [
      {
        model: 'CM-Net (joint intent + slot model, trained)',
        metric: 'intent accuracy',
        value: 94.56,
        source: 'Liu et al. 2019, via an aggregator listing (shared/datasets/SOURCES.md)',
        note: 'a trained classifier, not retrieval; PlayMusic is 86 % of test',
      },
    ],
  },
};

export const PAIR_DATASETS: Record<string, CatalogEntry> = {
  lcqmc: {
    name: 'lcqmc',
    language: 'zh',
    path: 'lcqmc/dev.tsv',
    split: 'dev',
    references: [
      {
        model: 'BERT-base Chinese (fine-tuned cross-encoder)',
        metric: 'accuracy',
        value: 89.4,
        source: CWBERT,
      },
      {
        model: 'paraphrase-multilingual-MiniLM-L12-v2',
        metric: 'Spearman',
        value: 63.96,
        source: TEXT2VEC,
        note: 'off the shelf; test split, not dev',
      },
      {
        model: 'SBERT bert-base-chinese',
        metric: 'Spearman',
        value: 78.72,
        source: TEXT2VEC,
        note: 'trained on the LCQMC train split; test split, not dev',
      },
    ],
  },
  bq: {
    name: 'bq',
    language: 'zh',
    path: 'bq_corpus/dev.tsv',
    split: 'dev',
    references: [
      {
        model: 'BERT-base Chinese (fine-tuned cross-encoder)',
        metric: 'accuracy',
        value: 86.0,
        source: CWBERT,
      },
      {
        model: 'paraphrase-multilingual-MiniLM-L12-v2',
        metric: 'Spearman',
        value: 38.52,
        source: TEXT2VEC,
        note: 'off the shelf; test split, not dev',
      },
    ],
  },
  afqmc: {
    name: 'afqmc',
    language: 'zh',
    path: 'afqmc/dev.json',
    split: 'dev',
    references: [
      {
        model: 'bert-base-chinese (fine-tuned)',
        metric: 'accuracy',
        value: 73.1,
        source: 'bigjeager/afqmc README',
      },
    ],
  },
  pawsx: {
    name: 'pawsx',
    language: 'zh',
    path: 'paws_x_zh/dev.tsv',
    split: 'dev',
    references: [
      {
        model: 'paraphrase-multilingual-MiniLM-L12-v2',
        metric: 'Spearman',
        value: 10.14,
        source: TEXT2VEC,
        note: 'off the shelf; test split, not dev',
      },
    ],
  },
};

export const STS_DATASETS: Record<string, CatalogEntry> = {
  'stsb-en': {
    name: 'stsb-en',
    language: 'en',
    path: 'sts_b_en/stsbenchmark.tsv.gz',
    split: 'test',
    references: [
      {
        model: 'SBERT-NLI-base',
        metric: 'Spearman',
        value: 77.03,
        source: 'Reimers & Gurevych 2019 (commonly quoted)',
      },
      {
        model: 'Universal Sentence Encoder',
        metric: 'Spearman',
        value: 74.92,
        source: 'sentence-transformers docs',
      },
      { model: 'Avg GloVe', metric: 'Spearman', value: 58.02, source: 'sentence-transformers docs' },
      {
        model: 'BERT CLS (no fine-tuning)',
        metric: 'Spearman',
        value: 16.5,
        source: 'sentence-transformers docs',
      },
    ],
  },
  'stsb-zh': {
    name: 'stsb-zh',
    language: 'zh',
    path: 'sts_b_zh/STS-B.test.data',
    split: 'test',
    references: [
      {
        model: 'paraphrase-multilingual-MiniLM-L12-v2',
        metric: 'Spearman',
        value: 78.9,
        source: TEXT2VEC,
        note: 'off the shelf',
      },
      {
        model: 'shibing624/text2vec-base-chinese',
        metric: 'Spearman',
        value: 79.3,
        source: TEXT2VEC,
        note: 'off the shelf',
      },
      {
        model: 'SBERT bert-base-chinese',
        metric: 'Spearman',
        value: 66.41,
        source: TEXT2VEC,
        note: 'trained on the STS-B train split',
      },
    ],
  },
};

/** Absolute path of a catalog entry, with a clear error when the datasets folder lacks it. */
export function datasetPath(datasetsDir: string, entry: CatalogEntry): string {
  const path = join(datasetsDir, entry.path);
  if (!existsSync(path))
    throw new Error(
      `dataset "${entry.name}" not found at ${path} (set --datasets-dir or WENDAO_DATASETS_DIR)`,
    );
  return path;
}

/** Looks a name up in one of the tables above, listing the valid names when it is not there. */
export function catalogEntry(table: Record<string, CatalogEntry>, name: string, task: string): CatalogEntry {
  const entry = table[name];
  if (!entry)
    throw new Error(`unknown ${task} dataset "${name}"; choose one of: ${Object.keys(table).join(', ')}`);
  return entry;
}
