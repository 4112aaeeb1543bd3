/**
 * Customer-service questions of realistic FAQ length (10-60 characters, Chinese, English and
 * mixed), generated from a seeded phrase list so every run and every engine sees the same texts.
 */
import { SeededRandom } from '@wendao/random';

const ZH_OPENERS = ['请问', '你好，', '想问一下，', '麻烦问下', '客服你好，', '', '', ''];
const ZH_SUBJECTS = [
  '退货',
  '退款',
  '运费',
  '发票',
  '会员积分',
  '优惠券',
  '快递',
  '订单',
  '收货地址',
  '保修',
  '账户密码',
  '人工客服',
  '电子发票',
  '银行卡支付',
  '微信支付',
  '支付宝',
  '周末配送',
  '售后维修',
  '质量问题',
  '工作日',
];
const ZH_PREDICATES = [
  '需要多长时间？',
  '怎么申请？',
  '可以取消吗？',
  '由谁承担？',
  '在哪里查询？',
  '能不能修改？',
  '有什么要求？',
  '多久能到账？',
  '几点开始？',
  '要付多少钱？',
  '可以开专票吗？',
  '支持吗？',
  '怎么联系？',
  '会原路返回吗？',
];
const ZH_DETAILS = [
  '我上周下的订单还没有发货，',
  '商品签收后发现有质量问题，',
  '我在网上买了两件商品，',
  '快递显示已经送达但我没收到，',
  '下单时忘了填写发票信息，',
  '会员到期以后，',
  '如果我在周末下单，',
  '用优惠券付款的订单，',
];
const EN_QUESTIONS = [
  'How long does a refund take?',
  'Can I change my delivery address?',
  'Is shipping free for orders over 99 yuan?',
  'How do I reset my password?',
  'When will my order be shipped?',
  'Can I return an unused item without a reason?',
  'Do you open on the weekend?',
  'How can I contact customer service?',
  'Can I pay by card or cash?',
  'What is your return policy?',
  'How do I track my package?',
  'Can I get an invoice for my order?',
];
const EN_TAILS = [' Thanks.', ' Please help.', ' I have a receipt.', ' It was signed for.', '', ''];
const MIXED_TERMS = [
  'iPhone 15',
  'order #20931',
  'VIP',
  'App',
  'PayPal',
  'Apple Pay',
  'SF Express',
  'Wi-Fi',
  'email',
];

export interface FaqSentenceOptions {
  seed?: number;
  minChars?: number;
  maxChars?: number;
}

/** `count` distinct questions between minChars and maxChars characters (default 10..60), deterministic for a seed. */
export function faqSentences(count: number, opts: FaqSentenceOptions = {}): string[] {
  const minChars = opts.minChars ?? 10;
  const maxChars = opts.maxChars ?? 60;
  if (!(Number.isInteger(count) && count >= 0))
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!(minChars >= 1 && maxChars >= minChars))
    throw new RangeError(`bad length range ${minChars}..${maxChars}`);
  const random = new SeededRandom(opts.seed ?? 7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random.next() * list.length)];
  const out = new Set<string>();
  let attempts = 0;
  while (out.size < count) {
    if (++attempts > count * 1000 + 10_000) {
      throw new Error(
        `could not generate ${count} distinct sentences of ${minChars}..${maxChars} characters`,
      );
    }
    const kind = random.next();
    let text: string;
    if (kind < 0.5) {
      text =
        pick(ZH_OPENERS) +
        (random.next() < 0.5 ? pick(ZH_DETAILS) : '') +
        pick(ZH_SUBJECTS) +
        pick(ZH_PREDICATES);
    } else if (kind < 0.75) {
      text = pick(EN_QUESTIONS) + pick(EN_TAILS);
    } else {
      text = `${pick(ZH_OPENERS)}${pick(MIXED_TERMS)} 的${pick(ZH_SUBJECTS)}${pick(ZH_PREDICATES)}`;
    }
    // A numeric suffix keeps texts distinct, so no cache or dedup can skip the model.
    if (out.has(text) || random.next() < 0.3) text = `${text}（${1 + Math.floor(random.next() * 999)}）`;
    const length = [...text].length;
    if (length >= minChars && length <= maxChars) out.add(text);
  }
  return [...out];
}
