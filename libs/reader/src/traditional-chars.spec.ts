import { describe, expect, it } from 'vitest';
import { foldTraditional } from './traditional-chars';

describe('foldTraditional', () => {
  it('replaces the Traditional characters it knows, one for one, and keeps everything else', () => {
    const text = '請問幾點開門？電話號碼是多少錢 ABC 𠀋 already 简体';
    const folded = foldTraditional(text);
    expect(folded).toBe('请问几点开门？电话号码是多少钱 ABC 𠀋 already 简体');
    // Offsets into the folded text are offsets into the original.
    expect(folded.length).toBe(text.length);
  });

  it('returns a text without Traditional characters unchanged', () => {
    expect(foldTraditional('退货期限是多久？')).toBe('退货期限是多久？');
    expect(foldTraditional('')).toBe('');
  });
});
