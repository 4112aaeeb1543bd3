/**
 * A small, generic ONNX graph builder over onnx-proto's static protobuf messages.
 * The BERT graph, the INT8 quantizer and the checkpoint converter all emit models through it,
 * so initializer layout (raw little-endian data) and naming rules live in one place.
 */
import { onnx } from 'onnx-proto';

export type OnnxElementType = 'float32' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

/** A dimension is either fixed (number) or symbolic (dim_param, e.g. "batch"). */
export type OnnxDim = number | string;

export type OnnxAttributeValue = number | string | number[] | Float32Array | { float: number } | { floats: number[] };

export interface OnnxNodeOptions {
  name?: string;
  domain?: string;
  attributes?: Record<string, OnnxAttributeValue>;
}

export interface OnnxModelOptions {
  opset?: number;
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

const ELEMENT_TYPES: Record<OnnxElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

const BYTES_PER_ELEMENT: Record<OnnxElementType, number> = {
  float32: 4,
  int64: 8,
  int32: 4,
  int8: 1,
  uint8: 1,
  bool: 1,
};

// protobuf messages cannot exceed 2 GiB; bigger ONNX models need external data files.
const MAX_PROTOBUF_BYTES = 2 ** 31 - 1;

// ONNX raw_data is little-endian by spec; typed arrays use host order, so big-endian hosts would be wrong.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class OnnxGraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly names = new Set<string>(); // values: inputs, initializers, node outputs
  private readonly nodeNames = new Set<string>(); // ONNX keeps node names in their own namespace
  private readonly counters = new Map<string, number>();
  private readonly constants = new Map<string, string>();

  constructor(private readonly graphName = 'main_graph') {
    if (!HOST_IS_LITTLE_ENDIAN) throw new Error('OnnxGraphBuilder needs a little-endian host for raw tensor data');
  }

  /** Returns `base` if no value has that name yet, else `base_1`, `base_2`, ...; reserves it. */
  uniqueName(base: string): string {
    const name = this.freshName(base, this.names);
    this.names.add(name);
    return name;
  }

  /** True when a graph input, initializer or node output already has this name. */
  hasName(name: string): boolean {
    return this.names.has(name);
  }

  private freshName(base: string, taken: Set<string>): string {
    let name = base;
    while (taken.has(name)) {
      const n = (this.counters.get(base) ?? 0) + 1;
      this.counters.set(base, n);
      name = `${base}_${n}`;
    }
    return name;
  }

  private claim(name: string, what: string): void {
    if (!name) throw new Error(`${what} needs a non-empty name`);
    if (this.names.has(name)) throw new Error(`ONNX name "${name}" is already used (${what})`);
    this.names.add(name);
  }

  addInput(name: string, type: OnnxElementType, shape: OnnxDim[]): string {
    this.claim(name, 'graph input');
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Declares an existing value as a graph output (the value keeps its name). */
  addOutput(name: string, type: OnnxElementType, shape: OnnxDim[]): string {
    if (!this.names.has(name)) throw new Error(`graph output "${name}" is not produced by any node or input`);
    if (this.outputs.some((o) => o.name === name)) throw new Error(`graph output "${name}" declared twice`);
    this.outputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Adds a constant tensor; `data` is stored as raw little-endian bytes without copying the caller's array. */
  addInitializer(
    name: string,
    type: OnnxElementType,
    dims: number[],
    data: Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array,
  ): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`initializer "${name}": bad dims [${dims}]`);
    if (data.length !== count) {
      throw new Error(`initializer "${name}": ${data.length} values for dims [${dims}] (needs ${count})`);
    }
    if (data.BYTES_PER_ELEMENT !== BYTES_PER_ELEMENT[type]) {
      throw new Error(`initializer "${name}": array element size does not match ${type}`);
    }
    this.claim(name, 'initializer');
    this.initializers.push({
      name,
      dataType: ELEMENT_TYPES[type],
      dims,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  /**
   * Small constants (shapes, axes, scalars). Identical values are shared, so building a
   * 12-layer graph does not add 12 copies of the same reshape target; `hint` names the first one.
   */
  constFloat(hint: string, values: number[] | Float32Array, dims: number[] = [values.length]): string {
    return this.constant('float32', hint, Array.from(values), dims);
  }

  constInt64(hint: string, values: number[], dims: number[] = [values.length]): string {
    return this.constant('int64', hint, values, dims);
  }

  private constant(type: 'float32' | 'int64', hint: string, values: number[], dims: number[]): string {
    const key = `${type}|${dims.join(',')}|${values.join(',')}`;
    const cached = this.constants.get(key);
    if (cached) return cached;
    const name = this.freshName(hint, this.names);
    const data = type === 'float32' ? Float32Array.from(values) : BigInt64Array.from(values.map((v) => BigInt(v)));
    this.addInitializer(name, type, dims, data);
    this.constants.set(key, name);
    return name;
  }

  /**
   * Adds a node. `outputs` may be a count (names derived from the op type) or explicit names.
   * Returns the output names in order.
   */
  addNode(opType: string, inputs: string[], outputs: number | string[] = 1, options: OnnxNodeOptions = {}): string[] {
    for (const input of inputs) {
      // '' is ONNX's "optional input omitted" marker.
      if (input !== '' && !this.names.has(input)) throw new Error(`${opType} node: unknown input "${input}"`);
    }
    const outputNames =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.uniqueName(`${options.name ?? opType}_out`))
        : outputs.map((o) => (this.claim(o, `${opType} output`), o));
    const nodeName = this.freshName(options.name ?? opType, this.nodeNames);
    this.nodeNames.add(nodeName);
    this.nodes.push({
      opType,
      name: nodeName,
      domain: options.domain ?? '',
      input: inputs,
      output: outputNames,
      attribute: Object.entries(options.attributes ?? {}).map(([key, value]) => attribute(key, value)),
    });
    return outputNames;
  }

  /** Single-output shorthand for addNode. */
  op(opType: string, inputs: string[], options: OnnxNodeOptions & { output?: string } = {}): string {
    return this.addNode(opType, inputs, options.output ? [options.output] : 1, options)[0];
  }

  toModelProto(options: OnnxModelOptions = {}): onnx.ModelProto {
    if (this.outputs.length === 0) throw new Error('ONNX graph has no outputs');
    return onnx.ModelProto.create({
      // IR 8 pairs with opset 17 and is accepted by onnxruntime 1.x.
      irVersion: options.irVersion ?? 8,
      opsetImport: [{ domain: '', version: options.opset ?? 17 }],
      producerName: options.producerName ?? 'wendao',
      producerVersion: options.producerVersion ?? '0.1.0',
      docString: options.docString ?? '',
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.graphName,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      },
    });
  }

  serialize(options: OnnxModelOptions = {}): Uint8Array {
    const bytes = this.initializers.reduce((sum, t) => sum + (t.rawData?.length ?? 0), 0);
    if (bytes > MAX_PROTOBUF_BYTES) {
      throw new Error(
        `ONNX model weights are ${(bytes / 2 ** 30).toFixed(2)} GiB; a single protobuf file is limited to 2 GiB (external data is not supported)`,
      );
    }
    return onnx.ModelProto.encode(this.toModelProto(options)).finish();
  }
}

function valueInfo(name: string, type: OnnxElementType, shape: OnnxDim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[type],
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: OnnxAttributeValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; use { float: x }`);
    return { name, type: T.INT, i: value };
  }
  if (value instanceof Float32Array) return { name, type: T.FLOATS, floats: Array.from(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.FLOATS, floats: value.floats };
}
