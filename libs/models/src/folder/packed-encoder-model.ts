/**
 * Rebuilds a folder's fp32 encoder in the packed (unpadded) layout: reads the weights back out of
 * its ONNX file and writes them into buildPackedBertOnnx's graph, in memory. The caller checks
 * the result against the original file before trusting it (SentenceEncoder does, on load).
 */
import { readFileSync, statSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { architectureMapping } from '../onnx/architecture-mapping';
import { buildPackedBertOnnx } from '../onnx/bert-graph';
import type { BertConfig } from '../onnx/bert-config';
import { positionOffsetOf } from '../onnx/bert-config';
import { liftBertWeights } from '../onnx/lift-bert-weights';
import type { ModelFolder } from './model-folder';

/**
 * Rebuilding holds the decoded file, the lifted weights and the new graph in memory at once
 * (about 3x the file at peak): larger files are served as they are.
 */
export const MAX_PACKED_SOURCE_BYTES = 1024 ** 3;

export interface PackedEncoderModel {
  /** The packed graph, serialized: pass to InferenceSession.create. */
  bytes: Uint8Array;
  config: BertConfig;
  /** Position id of a sequence's first token. */
  positionOffset: number;
}

/** Throws a one-line reason when the folder's model cannot be rebuilt (quantized, unknown architecture, unmatched graph). */
export function packedEncoderModel(folder: ModelFolder): PackedEncoderModel {
  if (folder.quantized) throw new Error(`${folder.onnxPath} is quantized; the packed layout is built from fp32 weights`);
  const size = statSync(folder.onnxPath).size;
  if (size > MAX_PACKED_SOURCE_BYTES) {
    throw new Error(`${folder.onnxPath} is ${(size / 1024 ** 2).toFixed(0)} MiB; the packed layout is rebuilt only from files up to 1 GiB`);
  }
  const mapping = architectureMapping(folder.config, 'base');
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(readFileSync(folder.onnxPath));
  } catch (err) {
    throw new Error(`cannot read ${folder.onnxPath}: ${(err as Error).message}`);
  }
  const weights = liftBertWeights(model, mapping);
  return {
    bytes: buildPackedBertOnnx(mapping.config, weights),
    config: mapping.config,
    positionOffset: positionOffsetOf(mapping.config),
  };
}
