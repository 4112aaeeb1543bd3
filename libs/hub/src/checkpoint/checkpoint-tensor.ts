/**
 * A tensor read from a checkpoint file, kept as raw bytes until the converter asks for it:
 * checkpoints carry buffers and heads the ONNX graph never uses, and fp16/bf16 weights would
 * double in memory if every tensor were widened up front.
 */

export type CheckpointDType = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Record<CheckpointDType, number> = {
  F32: 4,
  F16: 2,
  BF16: 2,
  F64: 8,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export interface CheckpointTensor {
  dtype: CheckpointDType;
  shape: number[];
  /** Values widened to float32 in row-major order. */
  toFloat32(): Float32Array;
}

/** A contiguous little-endian tensor stored in `bytes` (a view into the file). */
export function contiguousTensor(
  dtype: CheckpointDType,
  shape: number[],
  bytes: Uint8Array,
): CheckpointTensor {
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * DTYPE_BYTES[dtype]) {
    throw new Error(
      `tensor of shape [${shape}] ${dtype} needs ${count * DTYPE_BYTES[dtype]} bytes, the file holds ${bytes.length}`,
    );
  }
  return { dtype, shape, toFloat32: () => widen(dtype, bytes, count) };
}

/** A strided view (PyTorch storages may hold views of a larger buffer). */
export function stridedTensor(
  dtype: CheckpointDType,
  shape: number[],
  strides: number[],
  offset: number,
  storage: Uint8Array,
): CheckpointTensor {
  if (strides.length !== shape.length || strides.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new Error(`tensor view [${shape}] has invalid strides [${strides}]`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const contiguous = shape.every(
    (_, i) => shape[i] === 1 || strides[i] === shape.slice(i + 1).reduce((a, b) => a * b, 1),
  );
  const size = DTYPE_BYTES[dtype];
  let last = offset;
  for (let i = 0; i < shape.length; i++) last += (shape[i] - 1) * strides[i];
  if (count > 0 && (offset < 0 || (last + 1) * size > storage.length)) {
    throw new Error(
      `tensor view [${shape}] at offset ${offset} runs past its storage (${storage.length / size} elements)`,
    );
  }
  if (contiguous)
    return contiguousTensor(dtype, shape, storage.subarray(offset * size, (offset + count) * size));
  return {
    dtype,
    shape,
    toFloat32: () => {
      const all = widen(dtype, storage, storage.length / size);
      const out = new Float32Array(count);
      const index = new Array(shape.length).fill(0);
      for (let n = 0; n < count; n++) {
        let at = offset;
        for (let d = 0; d < shape.length; d++) at += index[d] * strides[d];
        out[n] = all[at];
        for (let d = shape.length - 1; d >= 0; d--) {
          if (++index[d] < shape[d]) break;
          index[d] = 0;
        }
      }
      return out;
    },
  };
}

function widen(dtype: CheckpointDType, bytes: Uint8Array, count: number): Float32Array {
  // Copy first: file offsets are not necessarily aligned to the element size.
  const copy = new Uint8Array(count * DTYPE_BYTES[dtype]);
  copy.set(bytes.subarray(0, copy.length));
  const buffer = copy.buffer;
  switch (dtype) {
    case 'F32':
      return new Float32Array(buffer);
    case 'F64':
      return Float32Array.from(new Float64Array(buffer));
    case 'F16':
      return Float32Array.from(new Uint16Array(buffer), halfToFloat);
    case 'BF16': {
      const halves = new Uint16Array(buffer);
      const bits = new Uint32Array(count);
      for (let i = 0; i < count; i++) bits[i] = halves[i] << 16;
      return new Float32Array(bits.buffer);
    }
    case 'I64':
      return Float32Array.from(new BigInt64Array(buffer), (v) => Number(v));
    case 'I32':
      return Float32Array.from(new Int32Array(buffer));
    case 'I16':
      return Float32Array.from(new Int16Array(buffer));
    case 'I8':
      return Float32Array.from(new Int8Array(buffer));
    case 'U8':
    case 'BOOL':
      return Float32Array.from(new Uint8Array(buffer));
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
