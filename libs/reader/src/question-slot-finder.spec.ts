import { describe, expect, it } from 'vitest';
import { QuestionSlotFinder } from './question-slot-finder';

const slot = (question: string, sentence: string) => {
  const span = QuestionSlotFinder.find(question, sentence);
  return span && sentence.slice(span.start, span.end);
};

describe('QuestionSlotFinder', () => {
  it('takes what sits between the words on both sides of the question word', () => {
    expect(
      slot('《战国无双3》是由哪两个公司合作开发的？', '《战国无双3》是由光荣和ω-force合作开发的。'),
    ).toBe('光荣和ω-force');
  });

  it('runs to the end of the clause when only the words before the question word reappear', () => {
    expect(slot('法国的首都是什么？', '法国的首都是巴黎，也是其最大城市。')).toBe('巴黎');
  });

  it('runs back to the start of the clause when only the words after it reappear', () => {
    expect(slot('谁发明了电话？', '1876年，贝尔发明了电话。')).toBe('贝尔');
  });

  it('works on Traditional text with offsets into the original', () => {
    expect(slot('這款遊戲的主角是誰？', '這款遊戲的主角是趙雲，玩家可以選擇其他武將。')).toBe('趙雲');
  });

  it('gives nothing for questions without a slot, or when only the question repeats', () => {
    expect(slot('可以退货吗？', '签收后7天内可以退货。')).toBeNull();
    expect(slot('如何申请退货？', '在订单页申请退货。')).toBeNull();
    expect(slot('会员是什么？', '会员是什么')).toBeNull();
    expect(slot('天气是什么？', '订单满99元包邮。')).toBeNull();
  });
});
