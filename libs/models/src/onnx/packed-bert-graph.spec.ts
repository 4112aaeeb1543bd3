/**
 * The packed (unpadded) layout must compute exactly what the padded graph computes for every real
 * token: same weights, sequences of different lengths in one batch, every config variant the
 * builder supports. The padded graph itself is proven against an independent forward pass in
 * bert-graph.spec.ts, so agreement here carries that proof over.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  BertConfig,
  bertFeeds,
  buildBertOnnx,
  buildPackedBertOnnx,
  packedBertFeeds,
  positionOffsetOf,
  randomBertWeights,
  tinyBertConfig,
  type FeedSequence,
} from '@wendao/models';
import { SeededRandom } from '@wendao/random';

const LENGTHS = [5, 17, 1, 9, 17, 3];

function sequences(config: BertConfig, seed: number): FeedSequence[] {
  const rng = new SeededRandom(seed);
  return LENGTHS.map((length) => {
    const ids = Array.from({ length }, () => 5 + Math.floor(rng.next() * (config.vocab_size - 5)));
    // Pair-style segments where the model has them: the packed graph must carry them per token.
    const typeIds = ids.map((_, t) => (config.type_vocab_size > 1 && t >= length / 2 ? 1 : 0));
    return { ids, typeIds };
  });
}

async function compare(config: BertConfig, seed: number): Promise<number> {
  const weights = randomBertWeights(config, { seed, head: 'base' });
  const padded = await ort.InferenceSession.create(buildBertOnnx(config, weights, { head: 'base' }));
  const packed = await ort.InferenceSession.create(buildPackedBertOnnx(config, weights));
  try {
    const batch = sequences(config, seed);
    const hasTypes = config.type_vocab_size > 0;
    const a = bertFeeds(batch, { padId: config.pad_token_id, tokenTypeIds: hasTypes });
    const expected = (await padded.run(a.feeds)).last_hidden_state;
    const b = packedBertFeeds(batch, {
      numHeads: config.num_attention_heads,
      positionOffset: positionOffsetOf(config),
      tokenTypeIds: hasTypes,
    });
    const actual = (await packed.run(b.feeds)).last_hidden_state;
    const H = config.hidden_size;
    expect(actual.dims).toEqual([LENGTHS.reduce((x, y) => x + y, 0), H]);
    const e = expected.data as Float32Array;
    const p = actual.data as Float32Array;
    let worst = 0;
    batch.forEach((s, i) => {
      for (let t = 0; t < s.ids.length; t++) {
        for (let h = 0; h < H; h++) {
          worst = Math.max(worst, Math.abs(p[(b.starts[i] + t) * H + h] - e[(i * a.seqLength + t) * H + h]));
        }
      }
    });
    return worst;
  } finally {
    await padded.release();
    await packed.release();
  }
}

describe('buildPackedBertOnnx', () => {
  const variants: Array<[string, Partial<BertConfig>]> = [
    ['BERT, exact GELU', {}],
    ['RoBERTa positions (offset past the padding id)', { model_type: 'roberta', pad_token_id: 1 }],
    ['no token_type_ids (DistilBERT style)', { type_vocab_size: 0 }],
    ['gelu_new, 3 layers, 8 heads', { hidden_act: 'gelu_new', num_hidden_layers: 3, num_attention_heads: 8 }],
    ['relu, eps 1e-5', { hidden_act: 'relu', layer_norm_eps: 1e-5 }],
  ];
  it.each(variants)('matches the padded graph on every real token: %s', async (_, overrides) => {
    expect(await compare(tinyBertConfig(overrides), 11)).toBeLessThan(1e-5);
  });

  it('gives a sequence the same states alone as inside a batch', async () => {
    const config = tinyBertConfig();
    const weights = randomBertWeights(config, { seed: 3, head: 'base' });
    const session = await ort.InferenceSession.create(buildPackedBertOnnx(config, weights));
    const batch = sequences(config, 3);
    const opts = { numHeads: config.num_attention_heads, positionOffset: 0, tokenTypeIds: true };
    const together = await session.run(packedBertFeeds(batch, opts).feeds);
    const alone = await session.run(packedBertFeeds([batch[1]], opts).feeds);
    const H = config.hidden_size;
    const start = LENGTHS[0] * H;
    const inBatch = (together.last_hidden_state.data as Float32Array).subarray(start, start + LENGTHS[1] * H);
    const single = alone.last_hidden_state.data as Float32Array;
    expect(Math.max(...single.map((v, i) => Math.abs(v - inBatch[i])))).toBeLessThan(1e-5);
    await session.release();
  });
});

describe('packedBertFeeds', () => {
  const opts = { numHeads: 2, positionOffset: 2, tokenTypeIds: false };

  it('lays tokens back to back with restarting positions and head row indices', () => {
    const { feeds, starts } = packedBertFeeds([{ ids: [7, 8, 9] }, { ids: [4] }], opts);
    expect(starts).toEqual([0, 3, 4]);
    expect(Array.from(feeds.input_ids.data as BigInt64Array, Number)).toEqual([7, 8, 9, 4]);
    expect(Array.from(feeds.position_ids.data as BigInt64Array, Number)).toEqual([2, 3, 4, 2]);
    expect(feeds.attention_mask.dims).toEqual([2, 3]);
    expect(Array.from(feeds.attention_mask.data as BigInt64Array, Number)).toEqual([1, 1, 1, 1, 0, 0]);
    // Token 3 (the second sequence's only token), head 1: query row 3*3*2 + 1, key + 2, value + 4.
    const slot = (1 * 2 + 1) * 3 + 0;
    expect(Number((feeds.query_rows.data as BigInt64Array)[slot])).toBe(19);
    expect(Number((feeds.key_rows.data as BigInt64Array)[slot])).toBe(21);
    expect(Number((feeds.value_rows.data as BigInt64Array)[slot])).toBe(23);
    expect(Number((feeds.token_rows.data as BigInt64Array)[3 * 2 + 1])).toBe(slot);
    expect(feeds.token_type_ids).toBeUndefined();
  });

  it('rejects an empty batch and an empty sequence', () => {
    expect(() => packedBertFeeds([], opts)).toThrow(/at least one sequence/);
    expect(() => packedBertFeeds([{ ids: [1] }, { ids: [] }], opts)).toThrow(/empty sequence/);
  });
});

describe('buildPackedBertOnnx with the QA head', () => {
  it('gives the padded graph’s start and end logits on every real token', async () => {
    const config = tinyBertConfig({ model_type: 'roberta', pad_token_id: 1 });
    const weights = randomBertWeights(config, { seed: 13, head: 'qa' });
    const padded = await ort.InferenceSession.create(buildBertOnnx(config, weights, { head: 'qa' }));
    const packed = await ort.InferenceSession.create(buildPackedBertOnnx(config, weights, { head: 'qa' }));
    const batch = sequences(config, 13);
    const a = bertFeeds(batch, { padId: config.pad_token_id, tokenTypeIds: true });
    const b = packedBertFeeds(batch, { numHeads: config.num_attention_heads, positionOffset: 2, tokenTypeIds: true });
    const expected = await padded.run(a.feeds);
    const actual = await packed.run(b.feeds);
    for (const name of ['start_logits', 'end_logits']) {
      const e = expected[name].data as Float32Array;
      const p = actual[name].data as Float32Array;
      expect(actual[name].dims).toEqual([b.starts[batch.length]]);
      batch.forEach((s, i) => {
        for (let t = 0; t < s.ids.length; t++) {
          expect(Math.abs(p[b.starts[i] + t] - e[i * a.seqLength + t])).toBeLessThan(1e-5);
        }
      });
    }
    await padded.release();
    await packed.release();
  });

  it('refuses heads it does not have', () => {
    const config = tinyBertConfig();
    const weights = randomBertWeights(config, { seed: 1, head: 'classifier' });
    expect(() => buildPackedBertOnnx(config, weights, { head: 'classifier' as 'qa' })).toThrow(/unknown packed BERT head/);
  });
});
