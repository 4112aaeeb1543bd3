/**
 * Benchmark models: random weights in the exact shapes of real checkpoints, since inference speed
 * depends on shapes, not values. The vocabulary is synthetic but tokenizes Chinese and English.
 */
import { BertHead, BertPreset, presetBertConfig } from './bert-config';
import { randomBertWeights } from './bert-weights';
import { tinyVocab } from './tiny-vocab';
import { writeModelFolder } from './write-model-folder';

export async function writeRandomModel(
  dir: string,
  opts: { preset: BertPreset; head: BertHead; seed?: number; pooling?: 'mean' | 'cls' },
): Promise<void> {
  const config = presetBertConfig(opts.preset);
  const seed = opts.seed ?? 42;
  await writeModelFolder(dir, {
    config,
    weights: randomBertWeights(config, { seed, head: opts.head }),
    head: opts.head,
    pooling: opts.pooling,
    vocab: syntheticVocab(config.vocab_size),
    modelId: `wendao/random-${opts.preset}-${opts.head}`,
    seed,
  });
}

/** tinyVocab first, then CJK Unified Ideographs in code-point order, then [unusedN] up to `size`. */
export function syntheticVocab(size: number): string[] {
  const vocab = tinyVocab();
  if (size < vocab.length) throw new Error(`vocab size ${size} is below the ${vocab.length} base tokens`);
  const seen = new Set(vocab);
  for (let cp = 0x4e00; cp <= 0x9fa5 && vocab.length < size; cp++) {
    const ch = String.fromCodePoint(cp);
    if (!seen.has(ch)) vocab.push(ch);
  }
  for (let i = 0; vocab.length < size; i++) vocab.push(`[unused${i}]`);
  return vocab;
}
