import { describe, expect, it } from 'vitest';
import { QuestionTerms } from './question-terms';
import { TypedSpanFinder } from './typed-span-finder';

/** The span the finder picks in one sentence, as text. */
const span = (question: string, sentence: string) => {
  const found = TypedSpanFinder.forQuestion(question).find(
    sentence,
    QuestionTerms.from(question).coverage(sentence).hits,
  );
  return found && sentence.slice(found.start, found.end);
};

describe('TypedSpanFinder', () => {
  it('asks for a count when the question names a counted noun, and keeps that noun', () => {
    expect(TypedSpanFinder.forQuestion('多少积分抵1元？').types).toEqual(['count']);
    expect(span('多少积分抵1元？', '积分可在下单时抵现，每100积分抵1元。')).toBe('100积分');
    expect(span('How many points make a $10 reward?', 'Every 200 points becomes a $10 reward.')).toBe(
      '200 points',
    );
  });

  it('says when the question does not choose between spans of its type (contested)', () => {
    const delivery = '江浙沪一般1-2天送达，其他地区3-5天，偏远地区7天左右。';
    const found = (question: string) =>
      TypedSpanFinder.forQuestion(question).find(
        delivery,
        QuestionTerms.from(question).coverage(delivery).hits,
      );
    expect(found('要几天？')).toMatchObject({ answerType: 'duration', contested: true });
    expect(found('偏远地区要几天？')).toMatchObject({ start: delivery.indexOf('7天'), contested: false });
    // One duration alone, or "1-2天" with the "2天" inside it, is not contested.
    const one = '签收后7天内可申请无理由退货。';
    expect(TypedSpanFinder.forQuestion('要几天？').find(one, [])).toMatchObject({ contested: false });
    expect(TypedSpanFinder.forQuestion('要几天？').find('一般1-2天送达。', [])).toMatchObject({
      contested: false,
    });
  });

  it('keeps the bare number for things counted in English (SQuAD answers them so)', () => {
    expect(span('How many stores does the company have?', 'The company runs 42 stores.')).toBe('42');
  });

  it('gives the end of a range for a closing time and its start for an opening time', () => {
    const hours = '门店营业时间为每天10:00-22:00。';
    expect(span('门店几点关门？', hours)).toBe('22:00');
    expect(span('门店几点开门？', hours)).toBe('10:00');
    expect(span('门店营业时间是几点？', hours)).toBe('10:00-22:00');
    expect(span('What time do you close?', 'We are open 9 am-6 pm PT daily.')).toBe('6 pm PT');
  });

  it('tells an opening time from a closing one by the word beside each, not by the place named first', () => {
    const zh = '深圳旗舰店每天10:00开门，21:30关门。';
    expect(span('深圳旗舰店几点关门？', zh)).toBe('21:30');
    expect(span('深圳旗舰店几点开门？', zh)).toBe('10:00');
    const en = 'Our flagship store in Shenzhen opens at 10:00 and closes at 21:30 every day.';
    expect(span('When does the Shenzhen store close?', en)).toBe('21:30');
    expect(span('When does the Shenzhen store open?', en)).toBe('10:00');
  });

  it('prefers the amount whose clause holds the question’s qualifier', () => {
    const fees = '普通地区运费10元，偏远地区运费25元。';
    expect(span('偏远地区运费多少钱？', fees)).toBe('25元');
    expect(span('普通地区运费多少钱？', fees)).toBe('10元');
  });

  it('tells a free-shipping threshold from the fee paid below it', () => {
    const text = 'Shipping is free on orders over $50, and orders under that pay $4.99.';
    expect(span('What is the minimum order for free shipping?', text)).toBe('$50');
    expect(span('How much is shipping on orders under the limit?', text)).toBe('$4.99');
  });

  it('takes a duration in the scale the question asks for, and none in another', () => {
    const text = '维修周期为7-10个工作日，保修期1年。';
    expect(span('保修期一般是几年？', text)).toBe('1年');
    expect(span('保修期一般是几年？', '维修周期为7-10个工作日。')).toBeNull();
    expect(span('维修要几天？', text)).toBe('7-10个工作日');
    // Days and hours answer each other: 发货要几天 → 48小时内.
    expect(span('发货要几天？', '付款后48小时内发货。')).toBe('48小时内');
    expect(
      span('How many hours until it ships?', 'Orders ship within 2 business days; returns take 1 month.'),
    ).toBe('within 2 business days');
  });

  it('reads "when" as asking for a time only as a question word', () => {
    // As a conjunction it asks for none: the neural demo answered 'can I pay when it arrives' with
    // 'within 30 minutes' from the policy's payment section.
    const when = ['date', 'time', 'duration'];
    for (const question of [
      'When does live chat close?',
      "When's my order arriving?",
      'If I order today when would I get it?',
      'ordered on saturday, when does it go out',
      'the medium is sold out, any idea when more are coming',
      "will i know roughly when they're turning up",
      'Until when is the coupon valid?',
      'so it ships when?',
    ])
      expect(TypedSpanFinder.answerTypes(question), question).toEqual(expect.arrayContaining(when));
    for (const question of [
      'can I pay when it arrives',
      "I keep getting 'incorrect password' when I sign in",
      "Can you email me when it's restocked?",
      'Is VAT included when shipping to Ireland?',
      'When I return an item, who pays the postage?',
      'Who pays the postage when I send something back?',
    ])
      for (const type of when) expect(TypedSpanFinder.answerTypes(question), question).not.toContain(type);
  });

  it('reads "pay" as asking for an amount only where it asks how much, not whether or how one can pay', () => {
    for (const question of [
      'How much do I pay for shipping?',
      'Do I pay shipping if I spend 3 grand?',
      'What does assembly cost?',
      'Is there a fee to cancel?',
    ])
      expect(TypedSpanFinder.answerTypes(question), question).toEqual(['money']);
    for (const question of [
      'can I pay when it arrives',
      'Can I check out with Apple Pay?',
      'can I use google pay at checkout',
      'Do you do buy now pay later?',
      'can a gift card pay for a service',
    ])
      expect(TypedSpanFinder.answerTypes(question), question).toEqual([]);
  });

  it('reads a why question as asking for a reason, none of the types, in English and Chinese', () => {
    // The neural demo answered "why can't I pay?" with '¥10'.
    for (const question of [
      "why can't I pay?",
      'Why is shipping so expensive, how much is it?',
      'how come my card was charged twice',
      '为什么运费这么贵？',
      '为什么要收10元运费',
      '为啥退款还没到，要几天？',
    ]) {
      expect(TypedSpanFinder.answerTypes(question), question).toEqual([]);
      expect(TypedSpanFinder.forQuestion(question).types, question).toEqual([]);
    }
    expect(TypedSpanFinder.answerTypes('运费多少钱？')).toEqual(['money']);
  });
});
