/** Where scripts/reference-models.sh leaves sentence-transformers' reference vectors and the models they came from. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ReferenceItem {
  lang: 'zh' | 'en';
  source: string;
  text: string;
  vector: number[];
}

export interface ReferenceRecord {
  /** The folder under the models dir, e.g. "intfloat/multilingual-e5-small-q4". */
  model: string;
  /** Library versions that produced the vectors. */
  reference: string;
  defaultPrompt: string | null;
  /** The languages the model was trained for. */
  languages: ('zh' | 'en')[];
  items: ReferenceItem[];
}

const ROOT = resolve(__dirname, '../../..');

export function referenceDir(): string {
  return resolve(process.env.WENDAO_REFERENCE_DIR ?? join(ROOT, '.cache/reference-models/reference'));
}

export function referenceModelsDir(): string {
  return resolve(process.env.WENDAO_MODELS_DIR ?? join(ROOT, 'models'));
}

export function readReferenceRecords(): ReferenceRecord[] {
  const dir = referenceDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ReferenceRecord);
}
