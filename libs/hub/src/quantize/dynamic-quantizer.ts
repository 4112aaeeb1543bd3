/**
 * Dynamic INT8 quantization of an ONNX model, the way onnxruntime's quantize_dynamic does it:
 * constant MatMul/Gemm weights become int8 with one scale per output column and run through
 * onnxruntime's com.microsoft DynamicQuantizeMatMul (activations are quantized per call), and
 * large embedding tables become int8 rows with one scale per row, dequantized after the Gather.
 */
import { onnx } from 'onnx-proto';
import {
  isFloatTensor,
  makeTensor,
  readFloatTensor,
  tensorDims,
  toNumber,
  usesExternalData,
} from '@wendao/models';

export interface DynamicQuantizeOptions {
  /** One scale per output column (default) or one per weight matrix. */
  perChannel?: boolean;
  /**
   * 7-bit weights: avoids int16 saturation in the u8*s8 kernels of CPUs without VNNI
   * (onnxruntime's reduce_range). Costs a little accuracy; off by default.
   */
  reduceRange?: boolean;
  /** Also store embedding tables (Gather on a constant) as int8. Default true: they dominate model size. */
  quantizeEmbeddings?: boolean;
  /** Weights with fewer elements stay fp32 (tiny matrices gain nothing). Default 16. */
  minElements?: number;
  /** Node names to leave in fp32, e.g. a sensitive output head. */
  excludeNodes?: string[];
}

export interface QuantizedModel {
  bytes: Uint8Array;
  /** MatMul/Gemm nodes that now run DynamicQuantizeMatMul. */
  quantizedMatMuls: number;
  /** Gather nodes that now read an int8 table. */
  quantizedGathers: number;
  /** fp32 constant bytes before and after (everything else in the file is graph structure). */
  fp32WeightBytes: number;
  quantizedWeightBytes: number;
}

const MS_DOMAIN = 'com.microsoft';
const FLOAT = onnx.TensorProto.DataType.FLOAT;

interface QuantizedWeight {
  values: string;
  scale: string;
  zeroPoint: string;
}

export function quantizeOnnxModel(
  modelBytes: Uint8Array,
  options: DynamicQuantizeOptions = {},
): QuantizedModel {
  const perChannel = options.perChannel ?? true;
  const qmax = options.reduceRange ? 63 : 127;
  const quantizeEmbeddings = options.quantizeEmbeddings ?? true;
  const minElements = options.minElements ?? 16;
  const excluded = new Set(options.excludeNodes ?? []);

  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(modelBytes);
  } catch (err) {
    throw new Error(`not an ONNX model (protobuf decode failed: ${(err as Error).message})`);
  }
  if (!model.graph || !model.graph.node?.length) throw new Error('ONNX model has an empty graph');
  const graph = normalizeGraph(model.graph);

  const initializers = new Map<string, onnx.ITensorProto>();
  for (const tensor of graph.initializer) initializers.set(tensor.name ?? '', tensor);
  const usedNames = new Set<string>();
  for (const tensor of graph.initializer) usedNames.add(tensor.name ?? '');
  for (const node of graph.node) for (const name of [...node.input, ...node.output]) usedNames.add(name);
  for (const value of graph.input) usedNames.add(value.name ?? '');

  const consumers = new Map<string, GraphNode[]>();
  for (const node of graph.node) {
    for (const input of node.input) {
      const list = consumers.get(input) ?? [];
      list.push(node);
      consumers.set(input, list);
    }
  }
  const graphOutputs = new Set(graph.output.map((o) => o.name ?? ''));

  const fresh = (base: string): string => {
    let name = base;
    for (let i = 1; usedNames.has(name); i++) name = `${base}_${i}`;
    usedNames.add(name);
    return name;
  };

  const newInitializers: onnx.ITensorProto[] = [];
  const matmulWeights = new Map<string, QuantizedWeight>();
  const embeddingTables = new Map<string, { values: string; rowScale: string }>();
  const fusedAdds = new Set<GraphNode>();
  const nodes: GraphNode[] = [];
  let quantizedMatMuls = 0;
  let quantizedGathers = 0;

  const constFloat = (name: string): onnx.ITensorProto | undefined => {
    const t = initializers.get(name);
    return t && isFloatTensor(t) && !usesExternalData(t) ? t : undefined;
  };

  /** Weight [K, N] (already in MatMul layout) -> int8 values + per-column (or single) scale. */
  const quantizeMatMulWeight = (weightName: string, transpose: boolean): QuantizedWeight => {
    const key = `${weightName}|${transpose}`;
    const cached = matmulWeights.get(key);
    if (cached) return cached;
    const tensor = initializers.get(weightName)!;
    let [k, n] = tensorDims(tensor);
    let w = readFloatTensor(tensor);
    if (transpose) {
      w = transpose2d(w, k, n);
      [k, n] = [n, k];
    }
    const scales = new Float32Array(perChannel ? n : 1);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < n; j++) {
        const a = Math.abs(w[i * n + j]);
        const s = perChannel ? j : 0;
        if (a > scales[s]) scales[s] = a;
      }
    }
    for (let s = 0; s < scales.length; s++) scales[s] = scales[s] > 0 ? scales[s] / qmax : 1;
    const q = new Int8Array(k * n);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < n; j++) {
        const v = Math.round(w[i * n + j] / scales[perChannel ? j : 0]);
        q[i * n + j] = v > qmax ? qmax : v < -qmax ? -qmax : v;
      }
    }
    const base = transpose ? `${weightName}_transposed` : weightName;
    const result: QuantizedWeight = {
      values: fresh(`${base}_quantized`),
      scale: fresh(`${base}_scale`),
      zeroPoint: fresh(`${base}_zero_point`),
    };
    const scaleDims = perChannel ? [n] : [];
    newInitializers.push(makeTensor(result.values, 'int8', [k, n], q));
    newInitializers.push(makeTensor(result.scale, 'float32', scaleDims, scales));
    newInitializers.push(makeTensor(result.zeroPoint, 'int8', scaleDims, new Int8Array(scales.length)));
    matmulWeights.set(key, result);
    return result;
  };

  /** A bias Add right after the MatMul folds into DynamicQuantizeMatMul's optional bias input. */
  const fusibleBias = (matmulOutput: string, n: number): { add: GraphNode; bias: string } | undefined => {
    if (graphOutputs.has(matmulOutput)) return undefined;
    const users = consumers.get(matmulOutput) ?? [];
    if (users.length !== 1) return undefined;
    const add = users[0];
    if (add.opType !== 'Add' || (add.domain ?? '') !== '' || add.input.length !== 2) return undefined;
    const other = add.input[0] === matmulOutput ? add.input[1] : add.input[0];
    const bias = constFloat(other);
    if (!bias) return undefined;
    const dims = tensorDims(bias);
    if (dims.length !== 1 || dims[0] !== n) return undefined;
    return { add, bias: other };
  };

  for (const node of graph.node) {
    if (fusedAdds.has(node)) continue;
    const domain = node.domain ?? '';
    if (domain !== '' || excluded.has(node.name ?? '')) {
      nodes.push(node);
      continue;
    }

    if (node.opType === 'MatMul' && node.input.length === 2) {
      const weight = constFloat(node.input[1]);
      const dims = weight ? tensorDims(weight) : [];
      if (
        weight &&
        dims.length === 2 &&
        !initializers.has(node.input[0]) &&
        dims[0] * dims[1] >= minElements
      ) {
        const q = quantizeMatMulWeight(node.input[1], false);
        const fused = fusibleBias(node.output[0], dims[1]);
        const inputs = [node.input[0], q.values, q.scale, q.zeroPoint];
        let output = node.output[0];
        if (fused) {
          inputs.push(fused.bias);
          output = fused.add.output[0];
          fusedAdds.add(fused.add);
        }
        nodes.push(dynamicQuantizeMatMul(node.name ?? output, inputs, output));
        quantizedMatMuls++;
        continue;
      }
    }

    if (node.opType === 'Gemm' && node.input.length >= 2) {
      const attr = attributeMap(node);
      const alpha = attr.get('alpha')?.f ?? 1;
      const beta = attr.get('beta')?.f ?? 1;
      const transA = toNumber(attr.get('transA')?.i as number | undefined);
      const transB = toNumber(attr.get('transB')?.i as number | undefined);
      const weight = constFloat(node.input[1]);
      const dims = weight ? tensorDims(weight) : [];
      if (weight && dims.length === 2 && transA === 0 && alpha === 1 && dims[0] * dims[1] >= minElements) {
        const q = quantizeMatMulWeight(node.input[1], transB === 1);
        const n = transB === 1 ? dims[0] : dims[1];
        const inputs = [node.input[0], q.values, q.scale, q.zeroPoint];
        const c = node.input[2] ?? '';
        const bias = c && beta === 1 ? constFloat(c) : undefined;
        if (!c || beta === 0) {
          nodes.push(dynamicQuantizeMatMul(node.name ?? node.output[0], inputs, node.output[0]));
        } else if (bias && tensorDims(bias).length === 1 && tensorDims(bias)[0] === n) {
          nodes.push(dynamicQuantizeMatMul(node.name ?? node.output[0], [...inputs, c], node.output[0]));
        } else {
          // A general C (2-D or computed) broadcasts, which the bias input cannot; keep it as an Add.
          const product = fresh(`${node.output[0]}_product`);
          let addend = c;
          if (beta !== 1) {
            const betaName = fresh(`${node.name ?? 'gemm'}_beta`);
            newInitializers.push(makeTensor(betaName, 'float32', [], Float32Array.of(beta)));
            addend = fresh(`${c}_scaled`);
            nodes.push({
              opType: 'Mul',
              domain: '',
              name: fresh('gemm_beta_mul'),
              input: [c, betaName],
              output: [addend],
              attribute: [],
            });
          }
          nodes.push(dynamicQuantizeMatMul(node.name ?? product, inputs, product));
          nodes.push({
            opType: 'Add',
            domain: '',
            name: fresh('gemm_bias_add'),
            input: [product, addend],
            output: [node.output[0]],
            attribute: [],
          });
        }
        quantizedMatMuls++;
        continue;
      }
    }

    if (quantizeEmbeddings && node.opType === 'Gather' && node.input.length === 2) {
      const table = constFloat(node.input[0]);
      const dims = table ? tensorDims(table) : [];
      const axis = toNumber(attributeMap(node).get('axis')?.i as number | undefined);
      if (table && dims.length === 2 && axis === 0 && dims[0] * dims[1] >= minElements) {
        let q = embeddingTables.get(node.input[0]);
        if (!q) {
          q = quantizeEmbeddingTable(
            node.input[0],
            readFloatTensor(table),
            dims[0],
            dims[1],
            qmax,
            fresh,
            newInitializers,
          );
          embeddingTables.set(node.input[0], q);
        }
        const base = node.name || node.output[0];
        const rows = fresh(`${base}_int8_rows`);
        const scales = fresh(`${base}_row_scales`);
        const asFloat = fresh(`${base}_rows_float`);
        nodes.push({ ...node, input: [q.values, node.input[1]], output: [rows] });
        nodes.push({
          opType: 'Gather',
          domain: '',
          name: fresh(`${base}_scale_gather`),
          input: [q.rowScale, node.input[1]],
          output: [scales],
          attribute: [],
        });
        nodes.push({
          opType: 'Cast',
          domain: '',
          name: fresh(`${base}_cast`),
          input: [rows],
          output: [asFloat],
          attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }],
        });
        nodes.push({
          opType: 'Mul',
          domain: '',
          name: fresh(`${base}_dequantize`),
          input: [asFloat, scales],
          output: [node.output[0]],
          attribute: [],
        });
        quantizedGathers++;
        continue;
      }
    }

    nodes.push(node);
  }

  if (quantizedMatMuls === 0 && quantizedGathers === 0) {
    throw new Error('nothing to quantize: the model has no MatMul/Gemm/Gather with a constant float weight');
  }

  // Keep only constants something still reads (tied weights may feed both a quantized and an fp32 node).
  const stillRead = new Set<string>(graph.output.map((o) => o.name ?? ''));
  for (const node of nodes) for (const input of node.input) stillRead.add(input);
  const allInitializers = [...graph.initializer, ...newInitializers];
  const kept = allInitializers.filter((t) => stillRead.has(t.name ?? ''));
  const keptNames = new Set(kept.map((t) => t.name ?? ''));
  const removed = new Set(graph.initializer.map((t) => t.name ?? '').filter((n) => !keptNames.has(n)));

  const fp32WeightBytes = graph.initializer.reduce((sum, t) => sum + tensorByteLength(t), 0);
  graph.node = nodes;
  graph.initializer = kept;
  // Old IR versions also list initializers as graph inputs.
  graph.input = graph.input.filter((v) => !removed.has(v.name ?? ''));
  graph.valueInfo = (graph.valueInfo ?? []).filter((v) => !removed.has(v.name ?? ''));
  if (!model.opsetImport.some((o) => o.domain === MS_DOMAIN)) {
    model.opsetImport.push(onnx.OperatorSetIdProto.create({ domain: MS_DOMAIN, version: 1 }));
  }
  model.metadataProps = (model.metadataProps ?? []).filter((p) => p.key !== 'wendao.quantization');
  model.metadataProps.push(
    onnx.StringStringEntryProto.create({
      key: 'wendao.quantization',
      value: JSON.stringify({
        method: 'dynamic-int8',
        perChannel,
        reduceRange: !!options.reduceRange,
        quantizeEmbeddings,
      }),
    }),
  );

  return {
    bytes: onnx.ModelProto.encode(model).finish(),
    quantizedMatMuls,
    quantizedGathers,
    fp32WeightBytes,
    quantizedWeightBytes: kept.reduce((sum, t) => sum + tensorByteLength(t), 0),
  };
}

/** A decoded node/graph with the repeated fields protobufjs may leave undefined filled in. */
interface GraphNode extends onnx.INodeProto {
  opType: string;
  domain: string;
  name: string;
  input: string[];
  output: string[];
  attribute: onnx.IAttributeProto[];
}

interface Graph {
  node: GraphNode[];
  initializer: onnx.ITensorProto[];
  input: onnx.IValueInfoProto[];
  output: onnx.IValueInfoProto[];
  valueInfo: onnx.IValueInfoProto[];
}

function normalizeGraph(graph: onnx.IGraphProto): Graph {
  graph.node = (graph.node ?? []).map((n) =>
    Object.assign(n, {
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      name: n.name ?? '',
      input: n.input ?? [],
      output: n.output ?? [],
      attribute: n.attribute ?? [],
    }),
  );
  graph.initializer ??= [];
  graph.input ??= [];
  graph.output ??= [];
  graph.valueInfo ??= [];
  return graph as Graph;
}

function dynamicQuantizeMatMul(name: string, inputs: string[], output: string): GraphNode {
  return {
    opType: 'DynamicQuantizeMatMul',
    domain: MS_DOMAIN,
    name: `${name}_quant`,
    input: inputs,
    output: [output],
    attribute: [],
  };
}

function quantizeEmbeddingTable(
  name: string,
  table: Float32Array,
  rows: number,
  cols: number,
  qmax: number,
  fresh: (base: string) => string,
  out: onnx.ITensorProto[],
): { values: string; rowScale: string } {
  const q = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(table[r * cols + c]));
    const scale = max > 0 ? max / qmax : 1;
    scales[r] = scale;
    for (let c = 0; c < cols; c++) {
      const v = Math.round(table[r * cols + c] / scale);
      q[r * cols + c] = v > qmax ? qmax : v < -qmax ? -qmax : v;
    }
  }
  const values = fresh(`${name}_quantized`);
  const rowScale = fresh(`${name}_row_scale`);
  out.push(makeTensor(values, 'int8', [rows, cols], q));
  // [rows, 1] so that gathering it yields [..., 1], which broadcasts over the hidden axis.
  out.push(makeTensor(rowScale, 'float32', [rows, 1], scales));
  return { values, rowScale };
}

function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j];
  return t;
}

function attributeMap(node: GraphNode): Map<string, onnx.IAttributeProto> {
  return new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
}

function tensorByteLength(tensor: onnx.ITensorProto): number {
  if (tensor.rawData && tensor.rawData.length) return tensor.rawData.length;
  return (
    (tensor.floatData?.length ?? 0) * 4 +
    (tensor.int64Data?.length ?? 0) * 8 +
    (tensor.int32Data?.length ?? 0) * 4
  );
}
