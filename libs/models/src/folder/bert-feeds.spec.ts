import { describe, expect, it } from 'vitest';
import { bertFeeds } from './bert-feeds';

const values = (t: { data: unknown }) => Array.from(t.data as BigInt64Array, Number);

describe('bertFeeds', () => {
  it('right-pads to the longest sequence with the pad id and masks the padding', () => {
    const { feeds, seqLength, attentionMask } = bertFeeds(
      [{ ids: [101, 7, 102] }, { ids: [101, 102] }],
      { padId: 0, tokenTypeIds: false },
    );
    expect(seqLength).toBe(3);
    expect(feeds.input_ids.dims).toEqual([2, 3]);
    expect(values(feeds.input_ids)).toEqual([101, 7, 102, 101, 102, 0]);
    expect(values(feeds.attention_mask)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(Array.from(attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(feeds.token_type_ids).toBeUndefined();
  });

  it('carries segment ids and a given attention mask; a RoBERTa pad id fills the padding', () => {
    const { feeds } = bertFeeds(
      [
        { ids: [0, 5, 2, 2, 9, 2], typeIds: [0, 0, 0, 1, 1, 1], attentionMask: [1, 1, 1, 1, 1, 1] },
        { ids: [0, 5, 2], attentionMask: [1, 1, 0] },
      ],
      { padId: 1, tokenTypeIds: true },
    );
    expect(values(feeds.input_ids)).toEqual([0, 5, 2, 2, 9, 2, 0, 5, 2, 1, 1, 1]);
    expect(values(feeds.attention_mask)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(values(feeds.token_type_ids)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses an empty batch', () => {
    expect(() => bertFeeds([], { padId: 0, tokenTypeIds: true })).toThrow(/at least one sequence/);
  });
});
