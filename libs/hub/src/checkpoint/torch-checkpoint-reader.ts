/**
 * Reads pytorch_model.bin in both torch.save formats: the zip archive (PyTorch >= 1.6) and the
 * legacy stream (a pickle followed by raw storages) that many older hub uploads still use. The
 * pickles are read with the restricted unpickler, which may only rebuild tensors and the
 * (ordered) dicts holding them.
 */
import { readFile } from 'node:fs/promises';
import { DTYPE_BYTES, stridedTensor, type CheckpointDType, type CheckpointTensor } from './checkpoint-tensor';
import { GlobalRef, unpickleAt, type AllowedGlobal, type PickleValue } from './restricted-unpickler';
import { ZipArchive } from './zip-archive';

const STORAGE_DTYPES: Record<string, CheckpointDType> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

/** torch.serialization.MAGIC_NUMBER, the first pickle of a legacy file. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

/** A storage named by the pickle; its bytes are located after the pickle is read. */
class StorageRef {
  constructor(
    /** The storage whose bytes are in the file. */
    readonly key: string,
    readonly dtype: CheckpointDType,
    /** Legacy files: the tensor's storage is a view (offset, size in elements) of that one. */
    readonly view?: { offset: number; size: number },
  ) {}
}

class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly strides: number[],
  ) {}
}

export async function readTorchCheckpointFile(path: string): Promise<Map<string, CheckpointTensor>> {
  return parseTorchCheckpoint(await readFile(path), path);
}

export function parseTorchCheckpoint(
  bytes: Uint8Array,
  label = 'pytorch checkpoint',
): Map<string, CheckpointTensor> {
  if (ZipArchive.isZip(bytes)) return parseZipCheckpoint(bytes, label);
  if (bytes[0] === 0x80) return parseLegacyCheckpoint(bytes, label);
  throw new Error(
    `${label}: not a PyTorch checkpoint (neither torch.save's zip nor its legacy pickle format)`,
  );
}

function parseZipCheckpoint(bytes: Uint8Array, label: string): Map<string, CheckpointTensor> {
  const zip = new ZipArchive(bytes, label);
  const pickles = zip.names.filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pickles.length !== 1)
    throw new Error(`${label}: expected one <archive>/data.pkl, found ${pickles.length}`);
  const prefix = pickles[0].slice(0, -'data.pkl'.length);
  const { value } = unpickleAt(zip.read(pickles[0]), 0, checkpointPickleOptions(`${label} (${pickles[0]})`));
  const storages = new Map<string, Uint8Array>();
  return materialize(collectTensors(value, label), (key) => {
    let data = storages.get(key);
    if (!data) {
      data = zip.read(`${prefix}data/${key}`);
      storages.set(key, data);
    }
    return data;
  });
}

/**
 * torch's _legacy_save: pickles of the magic number, protocol version and sys_info, then the
 * state dict (storages as persistent ids), then the sorted storage keys, then for each key an
 * int64 element count followed by the raw little-endian data.
 */
function parseLegacyCheckpoint(bytes: Uint8Array, label: string): Map<string, CheckpointTensor> {
  const plain = { label, globals: {} };
  const magic = unpickleAt(bytes, 0, plain);
  if (magic.value !== LEGACY_MAGIC) throw new Error(`${label}: not a PyTorch checkpoint (bad magic number)`);
  const protocol = unpickleAt(bytes, magic.end, plain);
  if (protocol.value !== 1001)
    throw new Error(`${label}: unsupported legacy protocol ${String(protocol.value)}`);
  const sysInfo = unpickleAt(bytes, protocol.end, plain);
  if (sysInfo.value instanceof Map && sysInfo.value.get('little_endian') === false) {
    throw new Error(`${label}: saved on a big-endian machine, which is not supported`);
  }
  const main = unpickleAt(bytes, sysInfo.end, checkpointPickleOptions(label));
  const keys = unpickleAt(bytes, main.end, plain);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) {
    throw new Error(`${label}: the storage key list after the state dict is missing`);
  }
  const tensors = collectTensors(main.value, label);
  const dtypeOf = new Map<string, CheckpointDType>();
  for (const t of tensors.values()) dtypeOf.set(t.storage.key, t.storage.dtype);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const located = new Map<string, Uint8Array>();
  let pos = keys.end;
  for (const key of keys.value as string[]) {
    if (pos + 8 > bytes.length) throw new Error(`${label}: truncated before storage ${key}`);
    const count = Number(view.getBigInt64(pos, true));
    // The count is in elements of the storage's type, known only from the tensors that use it.
    const dtype = dtypeOf.get(key);
    if (!dtype) throw new Error(`${label}: storage ${key} belongs to no tensor; cannot tell its size`);
    const length = count * DTYPE_BYTES[dtype];
    if (count < 0 || pos + 8 + length > bytes.length)
      throw new Error(`${label}: storage ${key} runs past the end of the file`);
    located.set(key, bytes.subarray(pos + 8, pos + 8 + length));
    pos += 8 + length;
  }
  return materialize(tensors, (key) => {
    const data = located.get(key);
    if (!data) throw new Error(`${label}: storage ${key} is not in the file`);
    return data;
  });
}

function checkpointPickleOptions(label: string) {
  const globals: Record<string, AllowedGlobal> = {
    'collections.OrderedDict': { call: () => new Map(), acceptsState: true },
    'torch._utils._rebuild_tensor_v2': { call: (args) => rebuildTensor(args, label) },
    'torch._utils._rebuild_parameter': { call: (args) => args[0] },
    'torch._utils._rebuild_parameter_with_state': { call: (args) => args[0] },
  };
  for (const name of Object.keys(STORAGE_DTYPES)) globals[`torch.${name}`] = {};
  return {
    label,
    globals,
    // zip: ('storage', torch.XStorage, key, location, numel)
    // legacy: ('storage', torch.XStorage, key, location, numel, view_metadata | None)
    persistentLoad: (pid: PickleValue): PickleValue => {
      if (
        !Array.isArray(pid) ||
        pid[0] !== 'storage' ||
        !(pid[1] instanceof GlobalRef) ||
        typeof pid[2] !== 'string'
      ) {
        throw new Error(`${label}: unexpected persistent id in the state dict pickle`);
      }
      const dtype = STORAGE_DTYPES[pid[1].name];
      const viewMeta = pid[5]; // (view_key, offset, size): a slice of the root storage pid[2]
      if (Array.isArray(viewMeta) && typeof viewMeta[1] === 'number' && typeof viewMeta[2] === 'number') {
        return new StorageRef(pid[2], dtype, { offset: viewMeta[1], size: viewMeta[2] });
      }
      return new StorageRef(pid[2], dtype);
    },
  };
}

function rebuildTensor(args: PickleValue[], label: string): TensorRef {
  const [storage, offset, size, stride] = args;
  if (
    !(storage instanceof StorageRef) ||
    typeof offset !== 'number' ||
    !isNumberList(size) ||
    !isNumberList(stride)
  ) {
    throw new Error(`${label}: malformed tensor record in the state dict pickle`);
  }
  return new TensorRef(storage, offset, size, stride);
}

function isNumberList(value: PickleValue): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

/** A state dict, or a training checkpoint that wraps one under "state_dict" / "model". */
function collectTensors(root: PickleValue, label: string): Map<string, TensorRef> {
  if (!(root instanceof Map)) throw new Error(`${label}: the pickle does not hold a state dict`);
  for (const wrapper of ['state_dict', 'model', 'module']) {
    const inner = root.get(wrapper);
    if (inner instanceof Map && [...inner.values()].some((v) => v instanceof TensorRef))
      return collectTensors(inner, label);
  }
  const tensors = new Map<string, TensorRef>();
  for (const [key, value] of root) {
    if (typeof key === 'string' && value instanceof TensorRef) tensors.set(key, value);
  }
  if (tensors.size === 0) throw new Error(`${label}: the state dict holds no tensors`);
  return tensors;
}

function materialize(
  tensors: Map<string, TensorRef>,
  storageBytes: (key: string) => Uint8Array,
): Map<string, CheckpointTensor> {
  const out = new Map<string, CheckpointTensor>();
  for (const [name, t] of tensors) {
    let data = storageBytes(t.storage.key);
    if (t.storage.view) {
      const size = DTYPE_BYTES[t.storage.dtype];
      data = data.subarray(
        t.storage.view.offset * size,
        (t.storage.view.offset + t.storage.view.size) * size,
      );
    }
    out.set(name, stridedTensor(t.storage.dtype, t.shape, t.strides, t.offset, data));
  }
  return out;
}
