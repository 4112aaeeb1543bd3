/**
 * A small hand-written customer-service FAQ set (Chinese and English) with paraphrased customer
 * questions that share few exact words with the FAQ they belong to. Used by the BM25 and hybrid tests
 * and by the `wendao search` CLI test.
 */

export interface SupportFaq {
  id: number;
  question: string;
  alternates: string[];
  answer: string;
}

export const SUPPORT_FAQS: SupportFaq[] = [
  {
    id: 1,
    question: '如何申请退货？',
    alternates: ['退货流程是什么'],
    answer: '自签收之日起7天内可无理由退货：在“我的订单”中点击“申请退货”，填写原因后将商品寄回即可。',
  },
  {
    id: 2,
    question: '退款多久能到账？',
    alternates: [],
    answer: '退款审核通过后1-3个工作日原路退回，信用卡可能需要5-7个工作日。',
  },
  {
    id: 3,
    question: '运费怎么收？',
    alternates: ['是否包邮'],
    answer: '订单满99元包邮，不满99元收取运费8元，偏远地区另计。',
  },
  {
    id: 4,
    question: '可以开发票吗？',
    alternates: ['发票怎么开'],
    answer: '支持开具电子普通发票和增值税专用发票，下单时在结算页填写发票抬头和税号。',
  },
  {
    id: 5,
    question: '商品的保修期是多久？',
    alternates: [],
    answer: '电子产品享受一年免费保修，保修期内非人为损坏可免费维修。',
  },
  {
    id: 6,
    question: '支持哪些支付方式？',
    alternates: [],
    answer: '支持微信支付、支付宝、银联卡和信用卡分期付款。',
  },
  {
    id: 7,
    question: '下单后能修改收货地址吗？',
    alternates: [],
    answer: '订单发货前可在订单详情页修改收货地址，发货后请联系快递员改派。',
  },
  {
    id: 8,
    question: '客服电话是多少？',
    alternates: ['怎么联系客服'],
    answer: '客服热线400-800-1234，服务时间每天9:00-21:00。',
  },
  {
    id: 9,
    question: '下单后多久发货？',
    alternates: [],
    answer: '现货商品48小时内发货，预售商品按页面标注的时间发货。',
  },
  {
    id: 10,
    question: '怎么查询物流信息？',
    alternates: ['快递到哪了'],
    answer: '在“我的订单”中点击“查看物流”，即可看到快递单号和配送进度。',
  },
  {
    id: 11,
    question: '如何取消订单？',
    alternates: [],
    answer: '未发货的订单可在订单详情页直接取消，已发货的订单请拒收后办理退款。',
  },
  {
    id: 12,
    question: '优惠券怎么使用？',
    alternates: [],
    answer: '结算时在优惠券栏选择可用的优惠券，每笔订单限用一张，不可叠加。',
  },
  {
    id: 13,
    question: '尺码不合适可以换吗？',
    alternates: [],
    answer: '签收7天内可免费换货一次，请在订单中申请换货并选择新的尺码。',
  },
  {
    id: 14,
    question: '积分有什么用？',
    alternates: [],
    answer: '积分可在结算时抵扣现金，100积分抵1元，也可以兑换礼品。',
  },
  {
    id: 15,
    question: '忘记密码怎么办？',
    alternates: [],
    answer: '在登录页点击“忘记密码”，用绑定的手机号接收验证码即可重置密码。',
  },
  {
    id: 16,
    question: '买完降价了能退差价吗？',
    alternates: ['价格保护'],
    answer: '签收后7天内商品降价，可申请价格保护，退还差价。',
  },
  {
    id: 17,
    question: 'iPhone 15 的保修政策',
    alternates: ['Apple 产品保修'],
    answer: 'Apple 产品由官方提供一年有限保修，可在 Apple Store 或授权服务商处检修。',
  },
  {
    id: 21,
    question: 'How do I return an item?',
    alternates: ['What is your return policy?'],
    answer: 'You can return any unused item within 30 days of delivery. Start a return from the Orders page.',
  },
  {
    id: 22,
    question: 'How long does shipping take?',
    alternates: [],
    answer: 'Standard shipping takes 3-5 business days; express orders arrive within 2 days.',
  },
  {
    id: 23,
    question: 'Do you ship internationally?',
    alternates: [],
    answer: 'We ship to over 50 countries, including Canada, Japan and the UK. Customs fees may apply.',
  },
  {
    id: 24,
    question: 'How can I reset my password?',
    alternates: ['I forgot my password'],
    answer: 'Click "Forgot password" on the sign-in page and follow the link we email you.',
  },
  {
    id: 25,
    question: 'What payment methods do you accept?',
    alternates: [],
    answer: 'We accept Visa, Mastercard, American Express, PayPal and Apple Pay.',
  },
  {
    id: 26,
    question: 'Can I change my delivery address?',
    alternates: [],
    answer: 'You can update the shipping address until the order has been dispatched.',
  },
];

/** Customer phrasings and the FAQ each one should find first. */
export const PARAPHRASES: Array<{ query: string; faqId: number }> = [
  { query: '东西不想要了怎么退', faqId: 1 },
  { query: '能开发票吗', faqId: 4 },
  { query: '包邮吗', faqId: 3 },
  { query: '运费多少钱', faqId: 3 },
  { query: '钱多久退回来', faqId: 2 },
  { query: '保修多长时间', faqId: 5 },
  { query: '坏了能免费修吗', faqId: 5 },
  { query: '可以用微信付款吗', faqId: 6 },
  { query: '地址填错了怎么改', faqId: 7 },
  { query: '人工客服的电话', faqId: 8 },
  { query: '什么时候发货', faqId: 9 },
  { query: '我的快递到哪了', faqId: 10 },
  { query: '不想买了怎么取消', faqId: 11 },
  { query: '优惠券怎么用', faqId: 12 },
  { query: '衣服小了能换大一号吗', faqId: 13 },
  { query: '积分能干嘛', faqId: 14 },
  { query: '密码忘了', faqId: 15 },
  { query: '降价了能补差价吗', faqId: 16 },
  { query: 'iphone15保修', faqId: 17 },
  { query: 'can I send back the shoes I bought', faqId: 21 },
  { query: 'when will my package arrive', faqId: 22 },
  { query: 'do you deliver to Canada', faqId: 23 },
  { query: 'forgot password', faqId: 24 },
  { query: 'do you take paypal', faqId: 25 },
  { query: 'update shipping address after ordering', faqId: 26 },
];

/** The text an FAQ is indexed on: its question, alternates and answer. */
export function faqText(faq: SupportFaq): string {
  return [faq.question, ...faq.alternates, faq.answer].join('\n');
}
