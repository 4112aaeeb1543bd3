/**
 * The int64 inputs a BERT-family ONNX graph takes for a batch of token sequences, right-padded to the
 * longest one: the encoder, the reader and the cross-encoder all feed their sessions through this.
 */
import { Tensor } from 'onnxruntime-node';

export interface FeedSequence {
  ids: ArrayLike<number>;
  /** Segment ids; all 0 when absent (a single sequence). */
  typeIds?: ArrayLike<number>;
  /** 1 for every real token when absent; padding positions are always 0. */
  attentionMask?: ArrayLike<number>;
}

export interface BertFeedsOptions {
  padId: number;
  /** Whether the graph has a token_type_ids input (RoBERTa-family exports often do not). */
  tokenTypeIds: boolean;
}

export interface BertFeeds {
  feeds: Record<string, Tensor>;
  /** The padded sequence length: outputs come back as [batch, seqLength, ...]. */
  seqLength: number;
  /** The attention_mask data, row-major [batch, seqLength], for pooling over real tokens. */
  attentionMask: BigInt64Array;
}

export function bertFeeds(batch: readonly FeedSequence[], opts: BertFeedsOptions): BertFeeds {
  if (batch.length === 0) throw new RangeError('bertFeeds needs at least one sequence');
  const seqLength = Math.max(...batch.map((s) => s.ids.length));
  const size = batch.length * seqLength;
  const ids = new BigInt64Array(size).fill(BigInt(opts.padId));
  const mask = new BigInt64Array(size);
  const types = opts.tokenTypeIds ? new BigInt64Array(size) : undefined;
  batch.forEach((s, b) => {
    const row = b * seqLength;
    for (let t = 0; t < s.ids.length; t++) {
      ids[row + t] = BigInt(s.ids[t]);
      mask[row + t] = s.attentionMask ? BigInt(s.attentionMask[t]) : 1n;
      if (types && s.typeIds) types[row + t] = BigInt(s.typeIds[t]);
    }
  });
  const dims = [batch.length, seqLength];
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', ids, dims),
    attention_mask: new Tensor('int64', mask, dims),
  };
  if (types) feeds.token_type_ids = new Tensor('int64', types, dims);
  return { feeds, seqLength, attentionMask: mask };
}
