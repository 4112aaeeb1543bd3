/**
 * Reads a BERT-family encoder's parameters back out of an ONNX graph, so Wendao can rebuild the
 * same model in another layout (buildPackedBertOnnx). Works on what exporters leave behind:
 * embeddings, LayerNorms and biases keep their checkpoint names (renamed per architecture as the
 * converter does), while projection matrices are often anonymous ("onnx::MatMul_1234") and are
 * found from the graph instead: the MatMul (or Gemm) whose output meets the layer's named bias.
 * Anything it cannot place is an error naming the parameter; callers fall back to the file as is.
 */
import { onnx } from 'onnx-proto';
import type { ArchitectureMapping } from './architecture-mapping';
import type { BertHead } from './bert-config';
import { bertWeightShapes, checkBertWeights, type BertWeights, type Tensor32 } from './bert-weights';
import { isFloatTensor, readFloatTensor, tensorDims, toNumber } from './onnx-tensor-data';

/** `head` 'qa' also reads qa_outputs; the mapping must have been made for the same head. */
export function liftBertWeights(
  model: onnx.IModelProto,
  mapping: ArchitectureMapping,
  head: Extract<BertHead, 'base' | 'qa'> = 'base',
): BertWeights {
  const graph = model.graph;
  if (!graph) throw new Error('the ONNX model has no graph');
  const initializers = new Map<string, onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) if (t.name && isFloatTensor(t)) initializers.set(t.name, t);
  const expected = bertWeightShapes(mapping.config, { head });
  const weights: BertWeights = new Map();
  const take = (name: string, tensor: Tensor32) => {
    const dims = expected.get(name);
    if (dims && sameDims(tensor.dims, dims) && !weights.has(name)) weights.set(name, tensor);
  };

  // Named parameters: every float initializer whose checkpoint name maps onto a BertModel weight.
  const sourceOf = new Map<string, string>(); // BertModel name -> initializer name
  for (const [name, tensor] of initializers) {
    const canonical = mapping.rename(name);
    if (canonical === undefined || !expected.has(canonical)) continue;
    sourceOf.set(canonical, name);
    take(canonical, { dims: tensorDims(tensor), data: readFloatTensor(tensor) });
  }

  // Projection matrices: found through the node that adds their (named) bias.
  const producer = new Map<string, onnx.INodeProto>();
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const node of graph.node ?? []) {
    for (const out of node.output ?? []) producer.set(out, node);
    for (const input of node.input ?? []) consumers.set(input, [...(consumers.get(input) ?? []), node]);
  }
  for (const [name, dims] of expected) {
    if (weights.has(name) || dims.length !== 2 || !name.endsWith('.weight') || name.startsWith('embeddings.')) continue;
    const bias = sourceOf.get(name.replace(/\.weight$/, '.bias'));
    if (!bias) continue;
    const [out, inp] = dims;
    for (const node of consumers.get(bias) ?? []) {
      const found = projectionWeight(node, bias, producer, initializers, out, inp);
      if (found) {
        take(name, found);
        break;
      }
    }
  }

  try {
    checkBertWeights(mapping.config, weights, { head });
  } catch (err) {
    throw new Error(`cannot read the encoder's weights from the graph: ${(err as Error).message}`);
  }
  return weights;
}

/** W as [out, in] from Add(MatMul(x, W), bias) or Gemm(x, W, bias); undefined for other patterns. */
function projectionWeight(
  node: onnx.INodeProto,
  bias: string,
  producer: Map<string, onnx.INodeProto>,
  initializers: Map<string, onnx.ITensorProto>,
  out: number,
  inp: number,
): Tensor32 | undefined {
  if (node.opType === 'Gemm' && node.input?.[2] === bias) {
    const w = initializers.get(node.input[1] ?? '');
    const transB = toNumber(node.attribute?.find((a) => a.name === 'transB')?.i as number | undefined);
    if (!w) return undefined;
    return transB === 1 ? asIs(w, out, inp) : transposed(w, out, inp);
  }
  if (node.opType !== 'Add') return undefined;
  const other = (node.input ?? []).find((i) => i !== bias);
  const matmul = other === undefined ? undefined : producer.get(other);
  if (!matmul || matmul.opType !== 'MatMul') return undefined;
  const w = initializers.get(matmul.input?.[1] ?? '');
  return w ? transposed(w, out, inp) : undefined;
}

function asIs(t: onnx.ITensorProto, out: number, inp: number): Tensor32 | undefined {
  return sameDims(tensorDims(t), [out, inp]) ? { dims: [out, inp], data: readFloatTensor(t) } : undefined;
}

/** An [in, out] MatMul operand as the checkpoint's [out, in]. */
function transposed(t: onnx.ITensorProto, out: number, inp: number): Tensor32 | undefined {
  if (!sameDims(tensorDims(t), [inp, out])) return undefined;
  const data = readFloatTensor(t);
  const flipped = new Float32Array(data.length);
  for (let i = 0; i < inp; i++) for (let o = 0; o < out; o++) flipped[o * inp + i] = data[i * out + o];
  return { dims: [out, inp], data: flipped };
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
