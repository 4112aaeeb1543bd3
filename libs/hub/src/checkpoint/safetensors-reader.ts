/**
 * Reads the safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw data. Nothing in it can execute code.
 */
import { readFile } from 'node:fs/promises';
import {
  contiguousTensor,
  DTYPE_BYTES,
  type CheckpointDType,
  type CheckpointTensor,
} from './checkpoint-tensor';

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export async function readSafetensorsFile(path: string): Promise<Map<string, CheckpointTensor>> {
  return parseSafetensors(await readFile(path), path);
}

export function parseSafetensors(
  bytes: Uint8Array,
  label = 'safetensors data',
): Map<string, CheckpointTensor> {
  if (bytes.length < 8) throw new Error(`${label}: too short to be a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > 100_000_000 || 8 + headerLength > bytes.length) {
    throw new Error(
      `${label}: header length ${headerLength} does not fit the file (${bytes.length} bytes); not a safetensors file?`,
    );
  }
  let header: Record<string, HeaderEntry | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new Error(`${label}: the header is not JSON; not a safetensors file?`);
  }
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, CheckpointTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry as HeaderEntry;
    if (!(dtype in DTYPE_BYTES)) throw new Error(`${label}: tensor "${name}" has unsupported dtype ${dtype}`);
    if (!Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) {
      throw new Error(`${label}: tensor "${name}" has a malformed header entry`);
    }
    const [begin, end] = offsets;
    if (!(begin >= 0 && begin <= end && end <= data.length)) {
      throw new Error(
        `${label}: tensor "${name}" points outside the file (bytes ${begin}-${end} of ${data.length})`,
      );
    }
    tensors.set(name, contiguousTensor(dtype as CheckpointDType, shape, data.subarray(begin, end)));
  }
  return tensors;
}
