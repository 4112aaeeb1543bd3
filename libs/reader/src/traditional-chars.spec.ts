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

  it("folds OpenCC's Traditional characters, Hong Kong and Taiwan variants included, one for one", () => {
    // None of 購 確 認 遞 獲 記 補 貴 was in the former hand-written table of about 250 characters.
    const text = '購買後多久發貨？確認收貨後可以退貨嗎，快遞費誰付，積分怎麼獲得，記錄補發太貴了，裏面，臺灣';
    const folded = foldTraditional(text);
    expect(folded).toBe(
      '购买后多久发货？确认收货后可以退货吗，快递费谁付，积分怎么获得，记录补发太贵了，里面，台湾',
    );
    expect(folded.length).toBe(text.length);
  });

  it('returns a text without Traditional characters unchanged', () => {
    expect(foldTraditional('退货期限是多久？')).toBe('退货期限是多久？');
    expect(foldTraditional('')).toBe('');
    // 么 is itself a Simplified form (of 麼): OpenCC alone turns it into 幺, which would hide 什么
    // from the reader's cues.
    expect(foldTraditional('什么时候发货，怎么退货，多么')).toBe('什么时候发货，怎么退货，多么');
  });
});
