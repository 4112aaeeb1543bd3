import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpointFolder } from './checkpoint-folder';
import { unpickle, UnsafePickleError } from './restricted-unpickler';
import { parseSafetensors } from './safetensors-reader';
import { ZipArchive } from './zip-archive';
import { parseTorchCheckpoint, readTorchCheckpointFile } from './torch-checkpoint-reader';

const FIXTURES = resolve(__dirname, '../../test/fixtures/checkpoints');
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function safetensors(
  entries: Array<{ name: string; dtype: string; shape: number[]; bytes: Uint8Array }>,
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.length] };
    offset += e.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const e of entries) {
    out.set(e.bytes, at);
    at += e.bytes.length;
  }
  return out;
}

describe('safetensors reader', () => {
  it('widens F32, F16 and BF16 tensors to float32', () => {
    const f32 = new Float32Array([1.5, -2.25, 3]);
    // 1.0, -2.0, 0.5 in IEEE half; 1.0, -3.0 in bfloat16 (the top 16 bits of the float32).
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x3800]);
    const bf16 = new Uint16Array([0x3f80, 0xc040]);
    const tensors = parseSafetensors(
      safetensors([
        { name: 'a', dtype: 'F32', shape: [3], bytes: new Uint8Array(f32.buffer) },
        { name: 'b', dtype: 'F16', shape: [3, 1], bytes: new Uint8Array(f16.buffer) },
        { name: 'c', dtype: 'BF16', shape: [2], bytes: new Uint8Array(bf16.buffer) },
      ]),
    );
    expect([...tensors.keys()]).toEqual(['a', 'b', 'c']);
    expect(Array.from(tensors.get('a')!.toFloat32())).toEqual([1.5, -2.25, 3]);
    expect(tensors.get('b')!.shape).toEqual([3, 1]);
    expect(Array.from(tensors.get('b')!.toFloat32())).toEqual([1, -2, 0.5]);
    expect(Array.from(tensors.get('c')!.toFloat32())).toEqual([1, -3]);
  });

  it('rejects truncated or lying files with a clear message', () => {
    expect(() => parseSafetensors(new Uint8Array([1, 2, 3]))).toThrow(/too short/);
    const good = safetensors([{ name: 'a', dtype: 'F32', shape: [4], bytes: new Uint8Array(16) }]);
    expect(() => parseSafetensors(good.subarray(0, good.length - 4))).toThrow(/points outside the file/);
    const wrongShape = safetensors([{ name: 'a', dtype: 'F32', shape: [5], bytes: new Uint8Array(16) }]);
    expect(() => parseSafetensors(wrongShape)).toThrow(/needs 20 bytes/);
  });
});

describe('restricted unpickler', () => {
  const globals = { 'collections.OrderedDict': { call: () => new Map(), acceptsState: true } };

  it('reads plain data: dicts, lists, ints, strings', () => {
    const value = unpickle(
      latin1('\x80\x02}q\x00(X\x01\x00\x00\x00aK\x01X\x01\x00\x00\x00b]q\x01(K\x02M\x00\x01eu.'),
      { globals },
    );
    expect(value).toEqual(
      new Map<unknown, unknown>([
        ['a', 1],
        ['b', [2, 256]],
      ]),
    );
  });

  it('refuses any callable that is not allowlisted, by GLOBAL or STACK_GLOBAL', () => {
    const viaGlobal = latin1('\x80\x02cbuiltins\neval\nX\x03\x00\x00\x001+1\x85R.');
    expect(() => unpickle(viaGlobal, { globals })).toThrow(UnsafePickleError);
    expect(() => unpickle(viaGlobal, { globals })).toThrow(/refusing to load "builtins\.eval"/);
    const viaStack = latin1('\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x02id\x85R.');
    expect(() => unpickle(viaStack, { globals })).toThrow(/refusing to load "os\.system"/);
  });

  it('refuses object construction and setstate on anything but an OrderedDict', () => {
    expect(() => unpickle(latin1('\x80\x02ccollections\nOrderedDict\n)\x81.'), { globals })).toThrow(
      /refusing opcode 0x81/,
    );
    expect(() => unpickle(latin1('\x80\x02}}b.'), { globals })).toThrow(/refusing BUILD/);
    // OrderedDict state (PyTorch's _metadata) is accepted and ignored.
    expect(unpickle(latin1('\x80\x02ccollections\nOrderedDict\n)R}b.'), { globals })).toEqual(new Map());
  });

  it('fails cleanly on truncated input', () => {
    expect(() => unpickle(latin1('\x80\x02}X\xff\x00\x00\x00ab'), { globals })).toThrow(/truncated pickle/);
  });
});

describe('zip archives', () => {
  it('reads stored and deflated entries', async () => {
    const zip = new ZipArchive(await readFile(resolve(FIXTURES, 'deflated.zip')), 'deflated.zip');
    expect(zip.names.sort()).toEqual(['archive/stored.bin', 'archive/text.txt']);
    expect(new TextDecoder().decode(zip.read('archive/text.txt'))).toBe('问道 wendao '.repeat(200));
    expect(Array.from(zip.read('archive/stored.bin'))).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(() => zip.read('archive/missing')).toThrow(/no entry "archive\/missing"/);
    expect(() => new ZipArchive(new Uint8Array(100), 'zeros')).toThrow(/not a zip file/);
  });
});

describe('PyTorch zip checkpoints', () => {
  it('rebuilds tensors of every dtype from their storages', async () => {
    const { format, tensors } = await readCheckpointFolder(resolve(FIXTURES, 'distilbert-qa-bin'));
    expect(format).toBe('pytorch');
    const words = tensors.get('distilbert.embeddings.word_embeddings.weight')!;
    expect(words.dtype).toBe('BF16');
    expect(words.shape).toEqual([50, 32]);
    expect(words.toFloat32().every(Number.isFinite)).toBe(true);

    const embedder = await readCheckpointFolder(resolve(FIXTURES, 'bert-embedder-bin'));
    const positions = embedder.tensors.get('embeddings.position_ids')!;
    expect(positions.dtype).toBe('I64');
    expect(Array.from(positions.toFloat32().subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads the legacy (pre-1.6) stream format and notices truncation', async () => {
    const path = resolve(FIXTURES, 'bert-qa-legacy-bin/pytorch_model.bin');
    const tensors = await readTorchCheckpointFile(path);
    expect(tensors.get('bert.encoder.layer.1.attention.self.query.weight')!.shape).toEqual([32, 32]);
    expect(Array.from(tensors.get('bert.embeddings.position_ids')!.toFloat32().subarray(0, 3))).toEqual([
      0, 1, 2,
    ]);
    const bytes = await readFile(path);
    expect(() => parseTorchCheckpoint(bytes.subarray(0, bytes.length - 100), 'cut.bin')).toThrow(
      /cut\.bin: storage \d+ runs past the end/,
    );
    expect(() => parseTorchCheckpoint(new TextEncoder().encode('hello'), 'text.bin')).toThrow(
      /not a PyTorch checkpoint/,
    );
  });

  it('merges sharded safetensors through the index', async () => {
    const { format, files, tensors } = await readCheckpointFolder(
      resolve(FIXTURES, 'roberta-classifier-sharded'),
    );
    expect(format).toBe('safetensors-sharded');
    expect(files).toHaveLength(3);
    expect(tensors.get('classifier.out_proj.weight')!.shape).toEqual([3, 32]);
    expect(tensors.get('roberta.encoder.layer.1.output.LayerNorm.bias')!.dtype).toBe('F16');
  });
});
