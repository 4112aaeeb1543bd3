/**
 * A small BERT WordPiece vocabulary (a few hundred entries) covering the Chinese and English
 * FAQ text used in tests, so tiny random-weight models tokenize real sentences without [UNK].
 */

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

// Every character of the test FAQ sentences must be present.
const TEST_TEXT =
  '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。退货期限是多久？订单满99元包邮满多少钱运费发票保修几点客服电话';

// Common characters of customer-service text beyond the test sentences.
const COMMON_CJK =
  '一不了人在有他这为之大来以个中上到说国和地也子时道出而要于就下得你年生自会那能对着事其里所去行过家十用发如然作方成者多日都三小二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知问答帮助查询取消更换修改地址账户密码登录注册支付宝微信银行卡现金付款快递物流发货到货送达配送时间工作周末节假日上午下午晚全国省市区免费价格优惠券积分会员开具电子纸质专票普票质量问题售后维修换新退款原路返回个工作日小时分钟号码联系人工在线留言邮箱您好谢谢请稍等抱歉明白';

const ENGLISH_WORDS = [
  'the', 'a', 'an', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'and', 'or', 'but', 'not', 'no', 'yes',
  'is', 'are', 'was', 'were', 'be', 'been', 'do', 'does', 'did', 'can', 'could', 'will', 'would', 'should', 'may',
  'i', 'you', 'we', 'they', 'it', 'my', 'your', 'our', 'their', 'me', 'us', 'this', 'that', 'these', 'there', 'here',
  'what', 'how', 'when', 'where', 'why', 'who', 'which', 'long', 'much', 'many', 'after', 'before', 'within', 'over',
  'return', 'returns', 'policy', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'hour', 'hours',
  'minute', 'minutes', 'time', 'order', 'orders', 'refund', 'refunds', 'shipping', 'ship', 'shipped', 'free',
  'delivery', 'deliver', 'invoice', 'warranty', 'customer', 'service', 'support', 'phone', 'number', 'call', 'email',
  'contact', 'help', 'open', 'close', 'price', 'cost', 'costs', 'fee', 'yuan', 'dollars', 'money', 'pay', 'payment',
  'card', 'cash', 'cancel', 'change', 'address', 'track', 'tracking', 'package', 'item', 'items', 'product',
  'products', 'unused', 'complete', 'receipt', 'receive', 'received', 'signed', 'apply', 'reason', 'without', 'any',
  'all', 'if', 'have', 'has', 'get', 'more', 'less', 'than', 'up', 'out', 'about', 'please', 'make', 'sure', 'account',
  'password', 'reset', 'login', 'store', 'online', 'back', 'standard', 'express', 'monday', 'friday', 'weekend', 'am',
  'pm', 'period', 'limit', 'free', 'answer', 'question', 'know', 'don', 'human', 'agent',
];

const WORDPIECE_SUFFIXES = ['s', 'es', 'ed', 'ing', 'er', 'ly', 'ment', 'tion', 'able', 'al', 'y'];

// ASCII and full-width punctuation are split into single tokens by BERT's basic tokenizer.
const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const FULLWIDTH_PUNCTUATION = '，。？！：；（）“”、《》';

export function tinyVocab(): string[] {
  const tokens: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(tokens);
  const add = (t: string) => {
    if (!seen.has(t)) {
      seen.add(t);
      tokens.push(t);
    }
  };
  for (const ch of '0123456789') add(ch);
  for (const ch of ASCII_PUNCTUATION) add(ch);
  for (const ch of FULLWIDTH_PUNCTUATION) add(ch);
  for (const ch of TEST_TEXT) add(ch);
  for (const ch of COMMON_CJK) add(ch);
  for (const w of ENGLISH_WORDS) add(w);
  // Single letters and ##letters let WordPiece spell any lower-case word instead of emitting [UNK].
  for (const ch of 'abcdefghijklmnopqrstuvwxyz') add(ch);
  for (const ch of 'abcdefghijklmnopqrstuvwxyz') add(`##${ch}`);
  for (const ch of '0123456789') add(`##${ch}`);
  for (const s of WORDPIECE_SUFFIXES) add(`##${s}`);
  return tokens;
}
