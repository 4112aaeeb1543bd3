/**
 * One call for tests: a tiny random-weight BERT (tiny config, tiny vocab) written as a complete
 * model folder that the encoder and reader load like a real one.
 */
import { BertConfig, BertHead, tinyBertConfig } from './bert-config';
import { randomBertWeights } from './bert-weights';
import { tinyVocab } from './tiny-vocab';
import { writeModelFolder } from './write-model-folder';

export interface TinyModelOptions {
  head: BertHead;
  seed?: number;
  pooling?: 'mean' | 'cls';
  config?: Partial<BertConfig>;
  numLabels?: number;
  /** Std of the random matrices (default HF's 0.02). */
  scale?: number;
  /** The id wendao.json gives the model (default wendao/tiny-bert-<head>). */
  modelId?: string;
  /** Languages wendao.json says the model serves, as `wendao models pull` records a catalog model's. */
  languages?: string[];
}

export async function writeTinyModel(dir: string, opts: TinyModelOptions): Promise<void> {
  const config = tinyBertConfig(opts.config);
  const vocab = tinyVocab();
  if (config.vocab_size < vocab.length) {
    throw new Error(`tiny model vocab_size ${config.vocab_size} is smaller than the tiny vocab (${vocab.length} tokens)`);
  }
  // A larger vocab_size is padded the way BERT vocabularies reserve ids.
  for (let i = 0; vocab.length < config.vocab_size; i++) vocab.push(`[unused${i}]`);
  const seed = opts.seed ?? 42;
  await writeModelFolder(dir, {
    config,
    weights: randomBertWeights(config, { seed, head: opts.head, numLabels: opts.numLabels, scale: opts.scale }),
    head: opts.head,
    pooling: opts.pooling,
    vocab,
    modelId: opts.modelId ?? `wendao/tiny-bert-${opts.head}`,
    languages: opts.languages,
    seed,
  });
}
