/**
 * A pickle reader that cannot run code. Python's pickle calls whatever callable a file names
 * (GLOBAL + REDUCE), so a downloaded checkpoint is untrusted input; this reader knows only the
 * opcodes for data (numbers, strings, tuples, lists, dicts) and resolves GLOBAL against an
 * explicit allowlist of harmless rebuild functions, refusing everything else.
 */

/** What an allowlisted global does when the pickle calls it (REDUCE); a plain value if it is only referenced. */
export interface AllowedGlobal {
  call?: (args: PickleValue[]) => PickleValue;
  /** BUILD on the call's result (e.g. an OrderedDict's _metadata): return true to accept and ignore it. */
  acceptsState?: boolean;
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | Map<PickleValue, PickleValue>
  | GlobalRef
  | object;

export class GlobalRef {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly allowed: AllowedGlobal,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

export interface UnpickleOptions {
  /** "module.name" -> behaviour; anything not listed is refused. */
  globals: Record<string, AllowedGlobal>;
  /** Resolves BINPERSID references (PyTorch uses them for tensor storages). */
  persistentLoad?: (pid: PickleValue) => PickleValue;
  label?: string;
}

export class UnsafePickleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePickleError';
  }
}

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

/** Objects built by allowlisted calls, so BUILD can tell which accept state. */
const builtBy = new WeakMap<object, GlobalRef>();

export function unpickle(bytes: Uint8Array, options: UnpickleOptions): PickleValue {
  return unpickleAt(bytes, 0, options).value;
}

/** Reads one pickle starting at `start`; `end` is where the next one (or other data) begins. */
export function unpickleAt(
  bytes: Uint8Array,
  start: number,
  options: UnpickleOptions,
): { value: PickleValue; end: number } {
  const label = options.label ?? 'pickle';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  let pos = start;

  const fail = (message: string): never => {
    throw new Error(`${label}: ${message} (at byte ${pos})`);
  };
  const need = (n: number) => {
    if (pos + n > bytes.length) fail('truncated pickle');
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    pos += 8;
    const v = view.getBigUint64(pos - 8, true);
    if (v > BigInt(bytes.length)) fail('length field larger than the pickle');
    return Number(v);
  };
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('unterminated text field');
    const text = new TextDecoder().decode(bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined) fail('stack underflow');
    if (v === MARK) fail('unexpected MARK');
    return v as PickleValue;
  };
  const popMark = (): PickleValue[] => {
    const items: PickleValue[] = [];
    for (;;) {
      const v = stack.pop();
      if (v === undefined) fail('MARK not found');
      if (v === MARK) return items.reverse();
      items.push(v as PickleValue);
    }
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail('stack underflow');
    return v as PickleValue;
  };
  const resolveGlobal = (module: string, name: string): GlobalRef => {
    const qualified = `${module}.${name}`;
    const allowed = options.globals[qualified];
    if (!allowed) {
      throw new UnsafePickleError(
        `${label}: refusing to load "${qualified}": a checkpoint may only contain tensors and dictionaries, ` +
          'and this pickle names other Python code (it could run commands on this machine)',
      );
    }
    return new GlobalRef(module, name, allowed);
  };
  const setItems = (target: PickleValue, items: PickleValue[]) => {
    if (!(target instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    if (items.length % 2) fail('odd number of items for SETITEMS');
    for (let i = 0; i < items.length; i += 2)
      (target as Map<PickleValue, PickleValue>).set(items[i], items[i + 1]);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME: a length prefix, the framed opcodes follow inline
        u64();
        break;
      case 0x2e: // STOP
        return { value: pop(), end: pos };
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        stack.pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(littleEndianSigned(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(littleEndianSigned(take(u32())));
        break;
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(decoder.decode(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(decoder.decode(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(decoder.decode(take(u64())));
        break;
      case 0x54: // BINSTRING
        stack.push(new TextDecoder('latin1').decode(take(i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(new TextDecoder('latin1').decode(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()));
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) fail('APPEND to something that is not a list');
        (list as PickleValue[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) fail('APPENDS to something that is not a list');
        (list as PickleValue[]).push(...items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const map = new Map<PickleValue, PickleValue>();
        setItems(map, popMark());
        stack.push(map);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(resolveGlobal(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        stack.push(resolveGlobal(module as string, name as string));
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!options.persistentLoad) fail('persistent id in a pickle that should have none');
        stack.push(options.persistentLoad!(pid));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        if (!(callable instanceof GlobalRef) || !callable.allowed.call) {
          throw new UnsafePickleError(
            `${label}: refusing to call ${describe(callable)}: only allowlisted rebuild functions may be called`,
          );
        }
        if (!Array.isArray(args)) fail('REDUCE arguments are not a tuple');
        const result = callable.allowed.call(args as PickleValue[]);
        if (result !== null && typeof result === 'object') builtBy.set(result, callable);
        stack.push(result);
        break;
      }
      case 0x62: {
        // BUILD
        pop();
        const target = top();
        const maker = target !== null && typeof target === 'object' ? builtBy.get(target) : undefined;
        if (!maker?.allowed.acceptsState) {
          throw new UnsafePickleError(`${label}: refusing BUILD (setstate) on ${describe(target)}`);
        }
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const key = op === 0x68 ? u8() : u32();
        if (!memo.has(key)) fail(`memo key ${key} was never stored`);
        stack.push(memo.get(key)!);
        break;
      }
      case 0x81: // NEWOBJ
      case 0x92: // NEWOBJ_EX
      case 0x69: // INST
      case 0x6f: // OBJ
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw new UnsafePickleError(
          `${label}: refusing opcode 0x${op.toString(16)} (builds arbitrary Python objects)`,
        );
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16)}`);
    }
  }
}

function littleEndianSigned(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

function describe(value: PickleValue): string {
  if (value instanceof GlobalRef) return value.qualifiedName;
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'a tuple';
  if (value instanceof Map) return 'a dict';
  return typeof value;
}
