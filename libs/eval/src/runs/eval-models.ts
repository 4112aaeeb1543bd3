/**
 * Which models an eval runs with: the embedder and extractive-QA reader found in the models folder
 * (or named explicitly), else the lexical mode. Every record says which one produced its numbers.
 */
import { existsSync } from 'node:fs';
import { SentenceEncoder } from '@wendao/encoder';
import { listModels, type ModelSummary } from '@wendao/models';
import { LexicalReader, NeuralReader, type Reader } from '@wendao/reader';
import { CrossEncoderReranker } from '@wendao/retriever';
import type { ModelUsed } from '../report/eval-record';

export interface EvalModelOptions {
  /** Folder of model folders; absent or empty means lexical mode. */
  modelsDir?: string;
  /** Force lexical mode even when models exist. */
  lexical?: boolean;
  /** Model ids (as listed by `wendao models list`) to use instead of the first of each kind. */
  embedder?: string;
  reader?: string;
  /** A sequence-classification (cross-encoder) model id for "hybrid + rerank". */
  reranker?: string;
  /** Use int8 exports where a folder has both (default true, as the product does). */
  preferInt8?: boolean;
  threads?: number;
}

export interface EvalModels {
  embedder?: SentenceEncoder;
  reranker?: CrossEncoderReranker;
  reader: Reader;
  /** Models actually loaded, for the record. */
  used: ModelUsed[];
  close(): Promise<void>;
}

type LoadedSummary = Extract<ModelSummary, { error?: undefined }>;

const KIND = {
  qa: 'an extractive QA reader',
  embedder: 'an embedder',
  classifier: 'a cross-encoder (classifier)',
};

function pick(
  models: LoadedSummary[],
  task: 'embedder' | 'qa' | 'classifier',
  wanted: string | undefined,
  dir: string,
) {
  if (wanted) {
    const found = models.find((m) => m.id === wanted || m.dir === wanted);
    if (!found)
      throw new Error(
        `model "${wanted}" not found in ${dir} (have: ${models.map((m) => m.id).join(', ') || 'none'})`,
      );
    if (found.task !== task && !(task === 'embedder' && found.task === 'base'))
      throw new Error(`model "${wanted}" is a ${found.task} model, not ${KIND[task]}`);
    return found;
  }
  return models.find((m) => m.task === task);
}

/** Loads what `needs` asks for; missing models fall back to lexical (the record says so). */
export async function loadEvalModels(
  options: EvalModelOptions,
  needs: { embedder?: boolean; reader?: boolean; reranker?: boolean },
): Promise<EvalModels> {
  const used: ModelUsed[] = [];
  let embedder: SentenceEncoder | undefined;
  let reranker: CrossEncoderReranker | undefined;
  let reader: Reader = new LexicalReader();
  if (!options.lexical && options.modelsDir) {
    if (!existsSync(options.modelsDir)) throw new Error(`models folder ${options.modelsDir} does not exist`);
    const preferInt8 = options.preferInt8 ?? true;
    const models = listModels(options.modelsDir, { preferInt8 }).filter((m): m is LoadedSummary => !m.error);
    const embedderModel = needs.embedder
      ? pick(models, 'embedder', options.embedder, options.modelsDir)
      : undefined;
    const readerModel = needs.reader ? pick(models, 'qa', options.reader, options.modelsDir) : undefined;
    if (embedderModel) {
      embedder = await SentenceEncoder.load(embedderModel, {
        preferInt8,
        threads: options.threads,
        cacheSize: 0,
      });
      used.push({ id: embedderModel.id, quantized: embedderModel.quantized, role: 'embedder' });
    }
    // A reranker only reorders hybrid candidates, so it is loaded only alongside an embedder.
    const rerankerModel =
      needs.reranker && embedderModel
        ? pick(models, 'classifier', options.reranker, options.modelsDir)
        : undefined;
    if (rerankerModel) {
      reranker = await CrossEncoderReranker.load(rerankerModel, { threads: options.threads });
      used.push({ id: rerankerModel.id, quantized: rerankerModel.quantized, role: 'reranker' });
    }
    if (readerModel) {
      reader = await NeuralReader.load(readerModel.dir, { preferInt8, threads: options.threads });
      used.push({ id: readerModel.id, quantized: readerModel.quantized, role: 'reader' });
    }
  }
  return {
    embedder,
    reranker,
    reader,
    used,
    async close() {
      await embedder?.close();
      await reranker?.close();
    },
  };
}
