/**
 * Sentence-transformers pooling done in TypeScript, for ONNX exports that only output
 * last_hidden_state: mean over real (unmasked) tokens, or the [CLS] token, then L2 normalisation.
 */
import type { PoolingMode } from '@wendao/models';

/**
 * Pools row `row` of a [batch, seqLen, dim] hidden-state tensor into a new vector.
 * `mask` is the [batch, seqLen] attention mask of the same batch.
 */
export function poolHiddenStates(
  hidden: Float32Array,
  mask: ArrayLike<bigint | number>,
  row: number,
  seqLen: number,
  dim: number,
  mode: PoolingMode,
): Float32Array {
  const out = new Float32Array(dim);
  const base = row * seqLen * dim;
  if (mode === 'cls') {
    out.set(hidden.subarray(base, base + dim));
    return out;
  }
  let count = 0;
  for (let t = 0; t < seqLen; t++) {
    if (Number(mask[row * seqLen + t]) === 0) continue;
    count++;
    const offset = base + t * dim;
    for (let d = 0; d < dim; d++) out[d] += hidden[offset + d];
  }
  // sentence-transformers clamps the token count at 1e-9; a row always has at least [CLS] here.
  const scale = 1 / Math.max(count, 1e-9);
  for (let d = 0; d < dim; d++) out[d] *= scale;
  return out;
}

/** Scales `v` in place to unit length; an all-zero vector stays zero rather than becoming NaN. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
