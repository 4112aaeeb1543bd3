/**
 * Which models an eval runs with: the embedder and extractive-QA reader found in the models folder
 * (or named explicitly), else the lexical mode. Every record says which one produced its numbers.
 */
import { existsSync } from 'node:fs';
import { loadAnswerModels, type AnswerLanguage, type AnswerModels } from '@wendao/answer';
import type { ModelUsed } from '../report/eval-record';

export interface EvalModelOptions {
  /** Folder of model folders; absent means lexical mode unless a model is named by its path. */
  modelsDir?: string;
  /** Force lexical mode even when models exist. */
  lexical?: boolean;
  /** Model ids (as listed by `wendao models list`) or folder paths, instead of the first of each kind. */
  embedder?: string;
  reader?: string;
  /** A sequence-classification (cross-encoder) model id for "hybrid + rerank". */
  reranker?: string;
  /** Use int8 exports where a folder has both (default true, as the product does). */
  preferInt8?: boolean;
  threads?: number;
}

export interface EvalModels extends Omit<AnswerModels, 'used'> {
  /** Models actually loaded, for the record. */
  used: ModelUsed[];
  /** The models that answer a set in `language`: embedders and readers serving another language left out. */
  usedFor(language: AnswerLanguage): ModelUsed[];
}

/**
 * Loads what `needs` asks for through the product's loader (@wendao/answer): a model named but
 * missing or of the wrong task is an error; none found means lexical mode (the record says so).
 */
export async function loadEvalModels(
  options: EvalModelOptions,
  needs: { embedder?: boolean; reader?: boolean; reranker?: boolean },
): Promise<EvalModels> {
  if (!options.lexical && options.modelsDir && !existsSync(options.modelsDir))
    throw new Error(`models folder ${options.modelsDir} does not exist`);
  const models = await loadAnswerModels({
    modelsDir: options.modelsDir,
    lexical: options.lexical,
    encoder: needs.embedder ? (options.embedder ?? true) : false,
    reader: needs.reader ? (options.reader ?? true) : false,
    reranker: needs.reranker ? (options.reranker ?? true) : false,
    preferInt8: options.preferInt8 ?? true,
    threads: options.threads,
    // Every text of a set is embedded once; a cache would only hold memory.
    embeddingCacheSize: 0,
  });
  const record = (used: AnswerModels['used']) =>
    used.map(({ id, quantized, role }) => ({ id, quantized, role }));
  return {
    ...models,
    used: record(models.used),
    usedFor: (language) =>
      record(models.used.filter((m) => m.role === 'reranker' || m.serves?.includes(language))),
  };
}
