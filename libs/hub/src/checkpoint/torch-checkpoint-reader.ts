/**
 * Reads pytorch_model.bin (torch.save's zip format, PyTorch >= 1.6): data.pkl is unpickled with
 * the restricted reader, which may only rebuild tensors from the archive's storages and the
 * (ordered) dicts holding them.
 */
import { readFile } from 'node:fs/promises';
import { stridedTensor, type CheckpointDType, type CheckpointTensor } from './checkpoint-tensor';
import { GlobalRef, unpickle, type AllowedGlobal, type PickleValue } from './restricted-unpickler';
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

class StorageRef {
  constructor(
    readonly dtype: CheckpointDType,
    readonly bytes: Uint8Array,
  ) {}
}

class TensorRef {
  constructor(readonly tensor: CheckpointTensor) {}
}

export async function readTorchCheckpointFile(path: string): Promise<Map<string, CheckpointTensor>> {
  return parseTorchCheckpoint(await readFile(path), path);
}

export function parseTorchCheckpoint(
  bytes: Uint8Array,
  label = 'pytorch checkpoint',
): Map<string, CheckpointTensor> {
  if (!ZipArchive.isZip(bytes)) {
    throw new Error(
      `${label}: not a zip-format PyTorch checkpoint; files saved before PyTorch 1.6 (or with _use_new_zipfile_serialization=False) ` +
        'are not supported: re-save it with a current torch, or use its safetensors version',
    );
  }
  const zip = new ZipArchive(bytes, label);
  const pickles = zip.names.filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pickles.length !== 1)
    throw new Error(`${label}: expected one <archive>/data.pkl, found ${pickles.length}`);
  const prefix = pickles[0].slice(0, -'data.pkl'.length);

  const storages = new Map<string, StorageRef>();
  const globals: Record<string, AllowedGlobal> = {
    'collections.OrderedDict': { call: () => new Map(), acceptsState: true },
    'torch._utils._rebuild_tensor_v2': { call: (args) => rebuildTensor(args, label) },
    'torch._utils._rebuild_parameter': { call: (args) => args[0] },
    'torch._utils._rebuild_parameter_with_state': { call: (args) => args[0] },
  };
  for (const name of Object.keys(STORAGE_DTYPES)) globals[`torch.${name}`] = {};

  const root = unpickle(zip.read(pickles[0]), {
    label: `${label} (${pickles[0]})`,
    globals,
    persistentLoad: (pid) => {
      // ('storage', torch.XStorage, key, location, numel)
      if (
        !Array.isArray(pid) ||
        pid[0] !== 'storage' ||
        !(pid[1] instanceof GlobalRef) ||
        typeof pid[2] !== 'string'
      ) {
        throw new Error(`${label}: unexpected persistent id in data.pkl`);
      }
      const dtype = STORAGE_DTYPES[pid[1].name];
      const key = pid[2];
      let storage = storages.get(key);
      if (!storage) {
        storage = new StorageRef(dtype, zip.read(`${prefix}data/${key}`));
        storages.set(key, storage);
      }
      return storage;
    },
  });
  return collectTensors(root, label);
}

function rebuildTensor(args: PickleValue[], label: string): TensorRef {
  const [storage, offset, size, stride] = args;
  if (
    !(storage instanceof StorageRef) ||
    typeof offset !== 'number' ||
    !isNumberList(size) ||
    !isNumberList(stride)
  ) {
    throw new Error(`${label}: malformed tensor record in data.pkl`);
  }
  return new TensorRef(stridedTensor(storage.dtype, size, stride, offset, storage.bytes));
}

function isNumberList(value: PickleValue): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

/** A state dict, or a training checkpoint that wraps one under "state_dict" / "model". */
function collectTensors(root: PickleValue, label: string): Map<string, CheckpointTensor> {
  if (!(root instanceof Map)) throw new Error(`${label}: data.pkl does not hold a state dict`);
  for (const wrapper of ['state_dict', 'model', 'module']) {
    const inner = root.get(wrapper);
    if (inner instanceof Map && [...inner.values()].some((v) => v instanceof TensorRef))
      return collectTensors(inner, label);
  }
  const tensors = new Map<string, CheckpointTensor>();
  for (const [key, value] of root) {
    if (typeof key === 'string' && value instanceof TensorRef) tensors.set(key, value.tensor);
  }
  if (tensors.size === 0) throw new Error(`${label}: the state dict holds no tensors`);
  return tensors;
}
