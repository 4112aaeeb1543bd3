/**
 * Rebuilds a folder's fp32 model in the packed (unpadded) layout: reads the weights back out of
 * its ONNX file and writes them into buildPackedBertOnnx's graph, in memory. The caller checks
 * the result against the original file before trusting it (SentenceEncoder and NeuralReader do,
 * on load).
 */
import { readFileSync, statSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import type { InferenceSession } from 'onnxruntime-node';
import { architectureMapping } from '../onnx/architecture-mapping';
import { buildPackedBertOnnx, type PackedBertHead } from '../onnx/bert-graph';
import type { BertConfig } from '../onnx/bert-config';
import { positionOffsetOf } from '../onnx/bert-config';
import { liftBertWeights } from '../onnx/lift-bert-weights';
import type { FeedSequence } from './bert-feeds';
import { createSession } from './create-session';
import type { ModelFolder } from './model-folder';
import { packedBertFeeds, type PackedFeeds } from './packed-feeds';

/**
 * Rebuilding holds the decoded file, the lifted weights and the new graph in memory at once
 * (about 3x the file at peak): larger files are served as they are.
 */
export const MAX_PACKED_SOURCE_BYTES = 1024 ** 3;

export interface PackedBertModel {
  /** The packed graph, serialized: pass to InferenceSession.create. */
  bytes: Uint8Array;
  config: BertConfig;
  /** Position id of a sequence's first token. */
  positionOffset: number;
}

/** Throws a one-line reason when the folder's model cannot be rebuilt (quantized, unknown architecture, unmatched graph). */
export function packedBertModel(folder: ModelFolder, head: PackedBertHead = 'base'): PackedBertModel {
  if (folder.quantized) throw new Error(`${folder.onnxPath} is quantized; the packed layout is built from fp32 weights`);
  const size = statSync(folder.onnxPath).size;
  if (size > MAX_PACKED_SOURCE_BYTES) {
    throw new Error(`${folder.onnxPath} is ${(size / 1024 ** 2).toFixed(0)} MiB; the packed layout is rebuilt only from files up to 1 GiB`);
  }
  const mapping = architectureMapping(folder.config, head);
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(readFileSync(folder.onnxPath));
  } catch (err) {
    throw new Error(`cannot read ${folder.onnxPath}: ${(err as Error).message}`);
  }
  const weights = liftBertWeights(model, mapping, head);
  return {
    bytes: buildPackedBertOnnx(mapping.config, weights, { head }),
    config: mapping.config,
    positionOffset: positionOffsetOf(mapping.config),
  };
}

/** A packed model ready to run: its session and the inputs it takes for a batch. */
export interface PackedSession {
  session: InferenceSession;
  /** Tokens back to back with positions and head row indices; `starts` locate each sequence's rows. */
  feeds(batch: readonly FeedSequence[]): PackedFeeds;
}

/** packedBertModel + an onnxruntime session on it (throws the same one-line reasons). */
export async function openPackedSession(
  folder: ModelFolder,
  head: PackedBertHead,
  opts: { threads?: number } = {},
): Promise<PackedSession> {
  const model = packedBertModel(folder, head);
  const session = await createSession(model.bytes, { threads: opts.threads, label: `${folder.id} (packed)` });
  const layout = {
    numHeads: model.config.num_attention_heads,
    positionOffset: model.positionOffset,
    tokenTypeIds: session.inputNames.includes('token_type_ids'),
  };
  return { session, feeds: (batch) => packedBertFeeds(batch, layout) };
}

/**
 * openPackedSession, kept only if `difference(packed)` (the caller runs the same probe through the
 * file and the packed model) is within `tolerance`; otherwise the session is released and the
 * error says by how much the packed model's `what` differ from the file's.
 */
export async function openCheckedPackedSession(
  folder: ModelFolder,
  head: PackedBertHead,
  opts: { threads?: number; tolerance: number; what: string },
  difference: (packed: PackedSession) => Promise<number>,
): Promise<PackedSession> {
  const packed = await openPackedSession(folder, head, opts);
  try {
    const diff = await difference(packed);
    if (!(diff <= opts.tolerance)) {
      throw new Error(`the rebuilt model's ${opts.what} differ from ${folder.onnxPath}'s by ${diff.toExponential(1)}`);
    }
    return packed;
  } catch (err) {
    await packed.session.release();
    throw err;
  }
}
