import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from './cosine-similarity';

describe('cosineSimilarity', () => {
  it('ignores length and sign-flips with direction', () => {
    const a = Float32Array.from([1, 2, 2]);
    expect(cosineSimilarity(a, Float32Array.from([2, 4, 4]))).toBeCloseTo(1, 6);
    expect(cosineSimilarity(a, Float32Array.from([-1, -2, -2]))).toBeCloseTo(-1, 6);
    expect(cosineSimilarity(Float32Array.from([1, 0]), Float32Array.from([1, 1]))).toBeCloseTo(
      Math.SQRT1_2,
      6,
    );
  });

  it('gives 0 for an all-zero vector instead of NaN, and refuses vectors of different lengths', () => {
    expect(cosineSimilarity(new Float32Array(3), Float32Array.from([1, 2, 3]))).toBe(0);
    expect(() => cosineSimilarity(new Float32Array(2), new Float32Array(3))).toThrow(/lengths differ/);
  });
});
