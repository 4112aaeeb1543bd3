import { describe, expect, it } from 'vitest';
import { LexicalReader } from './lexical-reader';

const reader = new LexicalReader();

/** The best span, checked to point exactly into its passage. */
async function best(question: string, passages: string[]) {
  const result = await reader.answer(question, passages);
  expect(result.mode).toBe('lexical');
  const span = result.spans[0];
  expect(span, `no answer for ${question}`).toBeDefined();
  expect(passages[span.passageIndex].slice(span.start, span.end)).toBe(span.text);
  return span;
}

describe('LexicalReader', () => {
  it('answers the seed question with exactly 7天内', async () => {
    const passage = '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。';
    const span = await best('退货期限是多久？', [passage]);
    expect(span).toMatchObject({
      text: '7天内',
      start: 11,
      end: 14,
      passageIndex: 0,
      answerType: 'duration',
    });
    expect(span.probability).toBeGreaterThan(0.3);
    expect(span.probability).toBeLessThanOrEqual(1);
  });

  it('answers a free-shipping threshold with the amount (99元, not the 10元 fee)', async () => {
    const span = await best('满多少钱包邮？', ['订单满99元包邮，不满收取10元运费。']);
    expect(span).toMatchObject({ text: '99元', start: 3, end: 6, answerType: 'money' });
    // the fee is the amount nearest the words 运费/收取
    expect((await best('运费多少钱？', ['订单满99元包邮，不满收取10元运费。'])).text).toBe('10元');
  });

  it('answers an English return-window question with the duration and its qualifier', async () => {
    const passage =
      'You can return most items within 30 days of delivery. Refunds are issued to the original payment method.';
    const span = await best('How long do I have to return an item?', [passage]);
    expect(span).toMatchObject({ text: 'within 30 days', start: 26, end: 40, answerType: 'duration' });
  });

  it.each([
    [
      '客服工作时间是几点？',
      '如有问题请拨打客服电话400-123-4567，客服工作时间为周一至周五9:00-18:00。',
      '9:00-18:00',
      'time',
    ],
    ['门店几点开门？', '门店每天上午9点开门，晚上10点关门。', '上午9点', 'time'],
    ['What time do you open?', 'Our store opens at 9:30 am and closes at 6 pm every day.', '9:30 am', 'time'],
    ['客服电话是多少？', '如有问题请拨打客服电话400-123-4567，我们会尽快处理。', '400-123-4567', 'phone'],
    [
      'What is the phone number for support?',
      'Support: call +1 800 555 0199 or write to us.',
      '+1 800 555 0199',
      'phone',
    ],
    [
      '投诉邮箱是什么？',
      '投诉请发送邮件至 complaints@wendao.example.cn ，我们两个工作日内回复。',
      'complaints@wendao.example.cn',
      'email',
    ],
    [
      'What is your support email?',
      'For help, email support@example.com or call us.',
      'support@example.com',
      'email',
    ],
    [
      '官网网址是什么？',
      '更多信息请访问官网 https://www.example.cn/help 。',
      'https://www.example.cn/help',
      'url',
    ],
    ['会员打几折？', '会员购物可享85折优惠，非会员原价购买。', '85折', 'percentage'],
    ['会员打几折？', '会员购物一律八五折。', '八五折', 'percentage'],
    ['What discount do members get?', 'Members get 15% off all orders.', '15% off', 'percentage'],
    [
      '门店在哪里？',
      '我们的门店位于北京市朝阳区建国路88号，地铁1号线直达。',
      '北京市朝阳区建国路88号',
      'place',
    ],
    [
      'Where is your office?',
      'Our office is located at 221 Baker Street, London. We are open 9am to 5pm.',
      '221 Baker Street, London',
      'place',
    ],
    ['活动哪天开始？', '双十一活动于2024年11月1日开始，持续到11月11日。', '2024年11月1日', 'date'],
    ['退款要几天到账？', '退款审核通过后，3-5个工作日内原路退回。', '3-5个工作日内', 'duration'],
    [
      'How many days does shipping take?',
      'Standard shipping takes 3-5 business days.',
      '3-5 business days',
      'duration',
    ],
    ['How much is express shipping?', 'Express shipping costs $20 per order.', '$20', 'money'],
    ['会员年费多少钱？', '会员年费为¥99，可随时取消。', '¥99', 'money'],
    ['发票多久能开出来？', '电子发票将在24小时内发送到您的邮箱。', '24小时内', 'duration'],
    ['一个账号可以绑定几台设备？', '每个账号最多可绑定5台设备。', '5台', 'count'],
  ])('%s', async (question, passage, answer, type) => {
    const span = await best(question, [passage]);
    expect(span.text).toBe(answer);
    expect(span.answerType).toBe(type);
  });

  it.each([
    [
      '《战国无双3》是由哪家公司开发的？',
      '《战国无双3》是由光荣开发的动作游戏，于2009年发售。',
      '光荣',
      'phrase',
    ],
    ['这款游戏的主角是谁？', '这款游戏的主角是赵云，玩家可以在第二章选择其他武将。', '赵云', 'phrase'],
    ['广三铁路在哪年建成？', '广三铁路于1903年建成通车，全长49公里。', '1903年', 'date'],
    ['北土城站有几个出入口？', '北土城站于2008年启用，车站共设有6个出入口。', '6个', 'count'],
    ['退貨期限是多久？', '我們的退貨政策是簽收後7天內可申請無理由退貨。', '7天內', 'duration'],
    ['客服電話是多少？', '如有問題請撥打客服電話400-123-4567。', '400-123-4567', 'phone'],
    [
      'Who founded the company?',
      'The company was founded by Jane Smith in 1998 in Boston.',
      'Jane Smith',
      'person',
    ],
    [
      'In what year was the company founded?',
      'The company was founded by Jane Smith in 1998 in Boston.',
      '1998',
      'date',
    ],
    [
      'How many stores does the company have?',
      'Today the company runs 42 stores across the country.',
      '42',
      'count',
    ],
  ])('%s (aligned, traditional and wiki-style questions)', async (question, passage, answer, type) => {
    const span = await best(question, [passage]);
    expect(span.text).toBe(answer);
    expect(span.answerType).toBe(type);
  });

  describe("span boundaries: a number keeps its unit, the question's qualifier picks the number", () => {
    const fees = '订单满99元包邮，未满99元收取运费10元，偏远地区加收运费15元。';
    const points =
      '每实付1元获得1积分；评价商品可得10积分，带图评价额外再得5积分。积分可在下单时抵现，每100积分抵1元。';
    const hours = '客服工作时间为周一至周五9:00-18:00，法定节假日休息。';

    it.each([
      ['偏远地区加多少运费？', fees, '15元'],
      ['多少积分抵1元？', points, '100积分'],
      ['评价商品送多少积分？', points, '10积分'],
      ['带图评价额外加多少积分？', points, '5积分'],
      ['客服几点下班？', hours, '18:00'],
      ['客服几点上班？', hours, '9:00'],
      ['客服工作时间是几点到几点？', hours, '9:00-18:00'],
    ])('%s', async (question, passage, answer) => {
      expect((await best(question, [passage])).text).toBe(answer);
    });

    const threshold = '全场满88元包邮，不满88元的订单收取运费6元。';
    it.each([
      ['满多少包邮？', threshold, '88元'],
      ['不满包邮的话运费多少？', threshold, '6元'],
      ['金卡每月送几张免运费券？', '金卡会员消费满2000元，每月赠送3张免运费券。', '3张'],
      ['积分最多抵扣订单金额的百分之几？', '积分抵扣不超过订单金额的30%，每100积分抵1元。', '30%'],
      ['优惠券有效期到什么时候？', '优惠券有效期30天，最晚使用到2026年12月31日。', '2026年12月31日'],
    ])('%s (the question word decides the type)', async (question, passage, answer) => {
      expect((await best(question, [passage])).text).toBe(answer);
    });

    const shipping =
      'Standard shipping is $7.95. Orders to Alaska and Hawaii ship by Priority Mail for a flat $15 extra and do not qualify for free shipping.';
    const service = 'Our phone line is open Monday to Friday 8 am-8 pm ET and Saturday 9 am-5 pm ET.';
    it.each([
      ['How much extra is shipping to Alaska?', shipping, '$15'],
      ['What time do you close on Saturday?', service, '5 pm ET'],
      ['What time does the phone line open on Monday?', service, '8 am'],
      [
        'What time does phone support close on weekends?',
        'Phone support: Monday to Friday 8 am-8 pm ET, Saturday and Sunday 9 am-5 pm ET.',
        '5 pm ET',
      ],
      ['周末客服几点下班？', '客服时间为周一至周五9:00-21:00，周六和周日10:00-18:00。', '18:00'],
      [
        'Where is your returns warehouse?',
        'Returns go to our warehouse in Portland, Oregon.',
        'Portland, Oregon',
      ],
      [
        'How many points do I get for a review?',
        'Members earn 50 points for each product review.',
        '50 points',
      ],
    ])('%s', async (question, passage, answer) => {
      expect((await best(question, [passage])).text).toBe(answer);
    });
  });

  it('answers how/why questions with the whole sentence, not a fragment', async () => {
    const passage = '您可以在订单详情页点击申请退货，审核通过后寄回商品即可。';
    const span = await best('如何申请退货？', [passage]);
    expect(span).toMatchObject({ answerType: 'sentence', text: passage });
  });

  it.each([
    [
      'What is your return policy?',
      'Our return policy: you can return most items within 30 days for a full refund.',
    ],
    [
      'Where can I find my order number?',
      'Your order number is in the confirmation email we sent after checkout.',
    ],
    [
      'What is the warranty on laptops?',
      'All laptops come with a one-year limited warranty covering defects.',
    ],
    ['支持哪些支付方式？', '我们支持支付宝、微信支付和银行卡付款。'],
    ['会员有什么权益？', '会员可享受全场95折、生日礼包和免费退换货服务。'],
  ])(
    'keeps the whole sentence for the FAQ question %s rather than guess a fragment',
    async (question, passage) => {
      const span = await best(question, [passage]);
      expect(span).toMatchObject({ text: passage, answerType: 'sentence' });
    },
  );

  it('narrows to a list of names when the question asks which ones', async () => {
    const span = await best('Which carriers do you ship with?', [
      'Orders ship with UPS or FedEx depending on your location.',
    ]);
    expect(span).toMatchObject({ text: 'UPS or FedEx', answerType: 'phrase' });
  });

  it('reads full-width digits as numbers and keeps offsets into the original text', async () => {
    const passage = '签收后７天内可以退货。';
    const span = await best('退货期限是多久', [passage]);
    expect(span).toMatchObject({ text: '７天内', start: 3, end: 6 });
  });

  it('picks the passage that matches the question among several', async () => {
    const passages = [
      '会员购物可享85折优惠。',
      '订单满99元包邮，不满收取10元运费。',
      '我们的退货政策是签收后7天内可申请无理由退货。',
    ];
    const result = await reader.answer('退货期限是多久？', passages);
    expect(result.spans[0]).toMatchObject({ passageIndex: 2, text: '7天内' });
    expect(result.windows).toBe(3);
    const english = await best('How long is the warranty?', [
      'Shipping is free on orders over $50.',
      'Every device comes with a two-year warranty; the warranty covers manufacturing defects for 2 years.',
    ]);
    expect(english.passageIndex).toBe(1);
    expect(english.answerType).toBe('duration');
  });

  it('answers with the whole sentence when the question asks for no particular type', async () => {
    const passage = '积分不能兑换现金。积分可用于抵扣订单金额，100积分抵1元。';
    const span = await best('积分可以抵扣吗？', [passage]);
    expect(span).toMatchObject({
      text: '积分可用于抵扣订单金额，100积分抵1元。',
      answerType: 'sentence',
      start: 9,
    });
  });

  it('reads past a heading to the sentence it introduces', async () => {
    const span = await best('退货政策是什么', ['退货政策：\n签收后7天内可申请。']);
    expect(span.text).toBe('退货政策：\n签收后7天内可申请。');
  });

  it('never answers with a section heading, only with the text under it', async () => {
    const section =
      'Store Pickup is free at all 12 stores.\n\n## International orders\n\n' +
      'We ship to Canada and the United Kingdom for a flat $25. International orders take 7-14 business days.';
    for (const passage of [section, section.replace('## ', '')]) {
      const result = await reader.answer('and for international orders?', [passage]);
      expect(result.spans.map((s) => s.text)).not.toContain('International orders');
      expect(result.spans.map((s) => s.text)).not.toContain('## International orders');
      expect(result.spans[0].text).toBe('International orders take 7-14 business days.');
    }
    // The heading's words lead in to the sentence under it, which answers without repeating them.
    const zhPassage = '## 会员日\n\n每月18日全场商品享受会员价，积分双倍。';
    const zh = await reader.answer('会员日', [zhPassage]);
    expect(zh.spans.map((s) => s.text)).toEqual(['每月18日全场商品享受会员价，积分双倍。']);
  });

  it('returns no spans and a certain no-answer when nothing overlaps', async () => {
    const result = await reader.answer('天气怎么样？', ['订单满99元包邮，不满收取10元运费。']);
    expect(result.spans).toEqual([]);
    expect(result.noAnswer.probability).toBe(1);
    const english = await reader.answer('Do you sell bicycles?', ['Refunds are issued within 30 days.']);
    expect(english.spans).toEqual([]);
  });

  it('is less confident when only part of the question matches', async () => {
    const passage = '我们的退货政策是签收后7天内可申请无理由退货。';
    const full = await best('无理由退货政策', [passage]);
    const partial = await best('退货运费谁承担', [passage]);
    expect(full.probability).toBe(1);
    expect(partial.probability).toBeGreaterThan(0);
    expect(partial.probability).toBeLessThan(0.5);
  });

  it('rejects an empty question and a bad topK', async () => {
    await expect(reader.answer('  ', ['x'])).rejects.toThrow(/question is empty/);
    await expect(reader.answer('退货', ['退货'], { topK: 0 })).rejects.toThrow(/topK/);
  });
});
