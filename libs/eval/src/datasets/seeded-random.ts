/**
 * A small deterministic PRNG (mulberry32) so dataset splits, samples and replayed query logs are the
 * same on every run and every machine.
 */

/** Returns a function giving uniform floats in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
