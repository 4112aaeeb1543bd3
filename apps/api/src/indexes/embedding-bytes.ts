/**
 * Embeddings are stored in PostgreSQL as float4 little-endian bytes (no pgvector here); these
 * convert explicitly so the bytes mean the same on any host.
 */

export function toFloat4Bytes(vector: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i], i * 4);
  return out;
}

export function fromFloat4Bytes(bytes: Buffer): Float32Array {
  if (bytes.length % 4 !== 0) throw new Error(`embedding has ${bytes.length} bytes, not a multiple of 4`);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
