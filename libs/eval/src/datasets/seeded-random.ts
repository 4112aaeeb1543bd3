/**
 * Deterministic sampling and shuffling so dataset splits, samples and replayed query logs are the
 * same on every run and every machine; the numbers come from the PRNG the tiny models are built with.
 */
import { SeededRandom } from '@wendao/random';

/** Returns a function giving uniform floats in [0, 1) from a 32-bit seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/** Fisher-Yates shuffle of a copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A deterministic sample of at most `limit` items, keeping their original order. */
export function sampleInOrder<T>(items: readonly T[], limit: number | undefined, seed = 13): T[] {
  if (limit === undefined || limit >= items.length) return [...items];
  const picked = shuffled(
    items.map((_, i) => i),
    seededRandom(seed),
  )
    .slice(0, limit)
    .sort((a, b) => a - b);
  return picked.map((i) => items[i]);
}
