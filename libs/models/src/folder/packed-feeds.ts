/**
 * Inputs of the packed (unpadded) encoder graph from buildPackedBertOnnx for a batch of token
 * sequences: the real tokens back to back, their positions, and the row indices that let the graph
 * gather each layer's heads into padded attention blocks and back.
 */
import { Tensor } from 'onnxruntime-node';
import { PACKED_INPUTS } from '../onnx/bert-graph';
import type { FeedSequence } from './bert-feeds';

export interface PackedFeedsOptions {
  numHeads: number;
  /** Position id of each sequence's first token (0 for BERT, pad_token_id + 1 for RoBERTa). */
  positionOffset: number;
  /** Whether the graph has a token_type_ids input. */
  tokenTypeIds: boolean;
}

export interface PackedFeeds {
  feeds: Record<string, Tensor>;
  /** Row of last_hidden_state where sequence i starts; starts[i + 1] - starts[i] is its length. */
  starts: number[];
}

export function packedBertFeeds(batch: readonly FeedSequence[], opts: PackedFeedsOptions): PackedFeeds {
  if (batch.length === 0) throw new RangeError('packedBertFeeds needs at least one sequence');
  const heads = opts.numHeads;
  const rows = batch.length;
  const seqLength = Math.max(...batch.map((s) => s.ids.length));
  const starts = [0];
  for (const s of batch) {
    if (s.ids.length === 0) throw new RangeError('packedBertFeeds got an empty sequence');
    starts.push(starts[starts.length - 1] + s.ids.length);
  }
  const tokens = starts[rows];

  const ids = new BigInt64Array(tokens);
  const positions = new BigInt64Array(tokens);
  const types = opts.tokenTypeIds ? new BigInt64Array(tokens) : undefined;
  const mask = new BigInt64Array(rows * seqLength);
  // Padding slots of the attention blocks read token 0's rows: the mask hides them as keys, and
  // what they produce as queries is never gathered back.
  const queryRows = new BigInt64Array(rows * heads * seqLength);
  const keyRows = new BigInt64Array(rows * heads * seqLength);
  const valueRows = new BigInt64Array(rows * heads * seqLength);
  const tokenRows = new BigInt64Array(tokens * heads);

  batch.forEach((s, b) => {
    for (let t = 0; t < s.ids.length; t++) {
      const token = starts[b] + t;
      ids[token] = BigInt(s.ids[t]);
      positions[token] = BigInt(opts.positionOffset + t);
      if (types && s.typeIds) types[token] = BigInt(s.typeIds[t]);
      const attended = s.attentionMask ? s.attentionMask[t] : 1;
      mask[b * seqLength + t] = BigInt(attended);
      for (let h = 0; h < heads; h++) {
        const slot = (b * heads + h) * seqLength + t;
        // The fused projection's row t is [q heads | k heads | v heads], head_dim values each.
        queryRows[slot] = BigInt(token * 3 * heads + h);
        keyRows[slot] = BigInt(token * 3 * heads + heads + h);
        valueRows[slot] = BigInt(token * 3 * heads + 2 * heads + h);
        tokenRows[token * heads + h] = BigInt(slot);
      }
    }
  });

  const blocks = [rows, heads, seqLength];
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', ids, [tokens]),
    attention_mask: new Tensor('int64', mask, [rows, seqLength]),
    [PACKED_INPUTS.positionIds]: new Tensor('int64', positions, [tokens]),
    [PACKED_INPUTS.queryRows]: new Tensor('int64', queryRows, blocks),
    [PACKED_INPUTS.keyRows]: new Tensor('int64', keyRows, blocks),
    [PACKED_INPUTS.valueRows]: new Tensor('int64', valueRows, blocks),
    [PACKED_INPUTS.tokenRows]: new Tensor('int64', tokenRows, [tokens, heads]),
  };
  if (types) feeds.token_type_ids = new Tensor('int64', types, [tokens]);
  return { feeds, starts };
}
