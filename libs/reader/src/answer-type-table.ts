/**
 * The lexical reader's knowledge as data: which question cues ask for which answer type, and which
 * text patterns are answers of that type. Edit this table to teach the reader new phrasing.
 */

export type AnswerType =
  | 'duration'
  | 'money'
  | 'time'
  | 'date'
  | 'count'
  | 'percentage'
  | 'place'
  | 'phone'
  | 'email'
  | 'url'
  | 'person';

/** A question cue and the answer types it asks for, most likely first. Rows are tried in order. */
export interface AnswerTypeCue {
  cue: RegExp;
  types: AnswerType[];
}

// Building blocks for the span patterns (kept as strings so they compose into RegExps).
const ZH_DIGITS = '零〇一二两三四五六七八九十百千万半';
const NUM = `(?:\\d+(?:[.,]\\d+)*|[${ZH_DIGITS}]+)`;
const EN_NUM_WORD =
  '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|a few|several|a|an)';
const EN_CARDINAL =
  '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)';
const RANGE_SEP = '\\s*(?:-|~|～|–|—|至|到|to)\\s*';
const NUM_RANGE = `${NUM}(?:${RANGE_SEP}${NUM})?`;
const EN_COUNT = `(?:\\d+(?:\\.\\d+)?(?:${RANGE_SEP}\\d+(?:\\.\\d+)?)?|${EN_NUM_WORD}(?:${RANGE_SEP}${EN_NUM_WORD})?)`;
const ZH_DAY_PART = '(?:上午|下午|早上|早晨|晚上|中午|凌晨|傍晚|夜间|白天)';
const CLOCK = '\\d{1,2}[:：]\\d{2}';
const ZH_HOUR = `${ZH_DAY_PART}?[\\d一二三四五六七八九十两]{1,3}\\s*[点点時时](?:半|整|[\\d一二三四五六七八九十]{1,3}分)?`;
const EN_CLOCK = '\\d{1,2}(?::\\d{2})?\\s*(?:a\\.?m\\.?|p\\.?m\\.?)';
// A time zone after a clock time is part of the answer ("5 pm ET").
const TIME_ZONE = '(?:\\s+(?:ET|EST|EDT|CT|CST|CDT|MT|PT|PST|PDT|GMT|BST|UTC|CET|CEST)\\b)?';
const MONTHS =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const WEEKDAYS_EN = '(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day';
const WEEKDAYS_ZH = '(?:周|星期|礼拜)[一二三四五六日天]';
const STREET =
  '(?:Street|St\\.?|Road|Rd\\.?|Avenue|Ave\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Way|Plaza|Square)';
const ZH_MEASURE = '[个件次台张位人名家种款份本条项把只部套处队座所届层期支门篇首场枚颗]';
const ZH_PLACE_UNIT = '(?:省|自治区|市|区|县|镇|乡|路|街|大道|巷|弄|号|大厦|广场|中心|楼|层|室|门|栋|座)';

const EN_AUX =
  '(?:is|are|was|were|do|does|did|will|would|can|could|should|shall|might|may|must|has|have|had)';
const WHEN_ASKED = new RegExp(
  [
    `^\\s*when\\b(?!\\s+(?:i|we|you|he|she|it|they|my|our|your|the|a|an)\\b)`,
    `\\bwhen(?:['’]s|\\s+${EN_AUX})\\b`,
    `\\b(?:by|until|till|since)\\s+when\\b|\\bwhen\\s*[?？]*\\s*$`,
    `\\b(?:idea|know|knows|tell\\s+(?:me|us)|wonder|wondering|sure|ask|asking|find\\s+out|check|confirm|say)\\s+(?:[a-z]+ly\\s+)?when\\b`,
  ].join('|'),
  'i',
);

/**
 * A question asking why (why can't I pay?, 为什么付不了款) asks for a reason, none of the answer
 * types, whatever amount or time word it names: the demo answered 'why can't I pay?' with '¥10'.
 */
export const REASON_QUESTION = /\b(?:why|how\s+come)\b|为什么|为何|为啥|凭什么|怎么会/i;

/** Question cues (Chinese and English) -> answer types. More specific rows first. */
export const ANSWER_TYPE_CUES: AnswerTypeCue[] = [
  // Asking for a share or an end date outweighs a money or duration word elsewhere in the question
  // (积分最多能抵订单金额的百分之几 -> 20%; 积分有效期到什么时候 -> a date, not 有效期's duration).
  { cue: /百分之几|百分之多少|百分比|几成|\bwhat\s+(?:percent|percentage|share)\b/i, types: ['percentage'] },
  { cue: /到什么时候|到哪天|到几号|到哪一天|\bvalid\s+until\s+when\b/i, types: ['date', 'time'] },
  { cue: /\bcut-?off\b|截单时间|最晚几点/i, types: ['time'] },
  {
    cue: /多久|多长时间|多少天|几天|几个?小时|几个?工作日|几周|几个?星期|几个月|几年|多少个?工作日|时效|期限|有效期/,
    types: ['duration'],
  },
  {
    cue: /\bhow\s+(?:long|many\s+(?:days|hours|weeks|months|years|business\s+days|working\s+days))\b/i,
    types: ['duration'],
  },
  {
    cue: /多少钱|价格|价钱|费用|运费|收费|多少元|几块|满多少|多少块|花多少|售价|金额|消费多少|实付多少|充值多少/,
    types: ['money'],
  },
  {
    // "How do I pay?" asks how, not how much (the demo's 'how do I pay' got '¥10' from a shipping
    // sentence instead of the payment methods entry).
    // Nor does "can I pay when it arrives" or "can a gift card pay for it" (whether one can pay, not
    // how much), a wallet's name (Apple Pay, google pay) or "buy now pay later".
    cue: /\bhow\s+much\b|\b(?:cost|costs|price|prices|fee|fees|charge|charges)\b|(?<!\bhow\s+(?:do|can|could|should|may)\s+(?:i|we)\s+|\bhow\s+to\s+|\b(?:can|could|may|might)\b[^,;.!?]*|\b(?:apple|google|samsung|amazon|shop|union|wechat|android)\s+)\bpay\b(?!\s+(?:with|by|using|via|through|in|on|later|over)\b)|\bminimum\s+(?:order|spend|purchase)\b/i,
    types: ['money'],
  },
  { cue: /几点|什么时候开始|什么时候结束|营业时间|上班时间|工作时间|开门|关门|几时/, types: ['time'] },
  { cue: /\bwhat\s+time\b|\bopening\s+hours\b|\bhours\b|\bopen\b|\bclose\b/i, types: ['time'] },
  { cue: /哪天|哪一天|几号|几月|日期|什么日子|哪个月/, types: ['date'] },
  { cue: /\bwhat\s+(?:date|day)\b|\bwhich\s+day\b/i, types: ['date'] },
  { cue: /哪一?年|何年|哪个年|什么年份|哪个朝代/, types: ['date'] },
  { cue: /\b(?:what|which|in\s+what|in\s+which)\s+(?:year|century|decade)\b/i, types: ['date'] },
  { cue: /什么时候|何时/, types: ['date', 'time', 'duration'] },
  // 'when' as a question word only: opening the question (not "When I ..."), before a verb as in
  // "when will/does/is", after by/until/since, closing it ("it ships when?"), or after a word that
  // embeds a question ("any idea when", "know roughly when"). As a conjunction ("can I pay when it
  // arrives", "an error when I sign in", "email me when it's restocked") it asks for no time: the
  // demo answered the first with 'within 30 minutes' from the payment section.
  { cue: WHEN_ASKED, types: ['date', 'time', 'duration'] },
  { cue: /百分之|折扣|多少折|几折|打折|优惠多少|比例|利率|费率/, types: ['percentage'] },
  { cue: /\b(?:percent|percentage|discount|rate)\b/i, types: ['percentage'] },
  {
    cue: /几个|多少个|几件|多少件|几次|多少次|几台|几张|几位|几人|多少人|几家|几种|多少种|数量/,
    types: ['count'],
  },
  { cue: /\bhow\s+many\b|\bnumber\s+of\b/i, types: ['count'] },
  { cue: /电话|热线|手机号|号码|拨打|致电/, types: ['phone'] },
  { cue: /\b(?:phone|telephone|call|hotline|number)\b/i, types: ['phone'] },
  { cue: /邮箱|邮件|email|e-mail/i, types: ['email'] },
  { cue: /网址|网站|官网|链接|网页/, types: ['url'] },
  { cue: /\b(?:website|web\s*site|url|link|site)\b/i, types: ['url'] },
  { cue: /联系方式|怎么联系|如何联系|联系/, types: ['phone', 'email', 'url'] },
  { cue: /\bcontact\b|\breach\s+(?:you|us|support)\b/i, types: ['phone', 'email', 'url'] },
  { cue: /在哪|哪里|哪儿|地址|什么地方|位置|地点|在什么位置/, types: ['place'] },
  { cue: /\bwhere\b|\baddress\b|\blocation\b|\blocated\b/i, types: ['place'] },
  { cue: /^\s*(?:who|whom|whose)\b|\bby\s+whom\b/i, types: ['person'] },
];

/**
 * Less specific patterns, tried for a type only when none of its main patterns matched
 * (a bare number for "how many", a bare year for "when").
 */
export const ANSWER_TYPE_FALLBACKS: Partial<Record<AnswerType, RegExp[]>> = {
  // A bare number, but not one that another type owns (the 7 of 7天内, the 99 of 99元).
  count: [
    new RegExp(
      `\\b\\d+(?:,\\d{3})*(?:${RANGE_SEP}\\d+)?\\b(?!\\s*(?:个?工作日|天|日|周|个?月|年|个?小时|分钟|元|块|%|折))`,
      'gu',
    ),
  ],
  date: [
    /(?:公元前?)?\d{1,4}\s*年代?|\b(?:1[0-9]|20)\d{2}s?\b/gu,
    // Reign-era years as Chinese histories write them: 顺治十一年, 光绪三十年.
    /[\u4e00-\u9fff]{2}[元一二三四五六七八九十]{1,3}年/gu,
  ],
};

/**
 * Answer patterns per type. A named group `ans` narrows the span to part of the match (e.g. the
 * address after 位于); otherwise the whole match is the span. Money spans leave out the 满 of
 * 满99元 (the question 满多少钱包邮 asks for the amount); duration spans keep 内/以内/之内 and
 * "within", which change the meaning of the number.
 */
export const ANSWER_TYPE_PATTERNS: Record<AnswerType, RegExp[]> = {
  duration: [
    new RegExp(
      `${NUM_RANGE}\\s*(?:个)?(?:多)?(?:工作日|自然日|个?小时|分钟|秒钟?|天|日|周|星期|个?月|年)(?:内|以内|之内|左右|以上|后)?`,
      'gu',
    ),
    new RegExp(
      `(?:within\\s+|in\\s+|up\\s+to\\s+|about\\s+|around\\s+|at\\s+least\\s+)?${EN_COUNT}\\s*(?:business\\s+|working\\s+|calendar\\s+)?(?:days?|hours?|minutes?|weeks?|months?|years?)\\b`,
      'giu',
    ),
  ],
  money: [
    new RegExp(`[¥￥$€£]\\s*${NUM}(?:${RANGE_SEP}[¥￥$€£]?\\s*${NUM})?`, 'gu'),
    new RegExp(`${NUM_RANGE}\\s*(?:元|块钱|块|角|美元|欧元|英镑|港币|人民币)`, 'gu'),
    new RegExp(`\\d+(?:[.,]\\d+)*\\s*(?:RMB|CNY|USD|EUR|GBP|dollars?|yuan|euros?|pounds?)\\b`, 'giu'),
    /免费|free of charge|\bfree\b/giu,
  ],
  time: [
    new RegExp(`${ZH_DAY_PART}?\\s*${CLOCK}(?:${RANGE_SEP}${ZH_DAY_PART}?\\s*${CLOCK})?`, 'gu'),
    new RegExp(`${ZH_HOUR}(?:${RANGE_SEP}${ZH_HOUR})?`, 'gu'),
    new RegExp(`${EN_CLOCK}(?:\\s*(?:-|–|to|until|till)\\s*${EN_CLOCK})?${TIME_ZONE}`, 'giu'),
    /\b(?:noon|midnight|24\/7|24\s*hours\s+a\s+day)\b|全天|24小时营业/giu,
  ],
  date: [
    /\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]/gu,
    /\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/gu,
    new RegExp(
      `${MONTHS}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s*\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTHS}(?:,?\\s*\\d{4})?`,
      'gu',
    ),
    new RegExp(
      `${WEEKDAYS_EN}(?:\\s*(?:-|–|to|through)\\s*${WEEKDAYS_EN})?|${WEEKDAYS_ZH}(?:${RANGE_SEP}${WEEKDAYS_ZH})?`,
      'gu',
    ),
    /每月\s*\d{1,2}\s*[日号]/gu,
  ],
  count: [
    new RegExp(`${NUM_RANGE}\\s*${ZH_MEASURE}`, 'gu'),
    new RegExp(`\\b(?<ans>\\d+(?:,\\d{3})*|${EN_CARDINAL})\\s+(?:[a-z]+\\s+)?[a-z]+s\\b`, 'giu'),
  ],
  percentage: [
    /\d+(?:\.\d+)?\s*%(?:\s*off)?|百分之[零一二三四五六七八九十百点\d.]+/giu,
    /\d+(?:\.\d+)?\s*折|[一二三四五六七八九][一二三四五六七八九]?折|半价/gu,
    /\d+(?:\.\d+)?\s*percent(?:\s+off)?/giu,
  ],
  place: [
    new RegExp(
      `(?:位于|地址(?:是|为)?[:：]?|坐落于|在)\\s*(?<ans>(?:[\\u4e00-\\u9fff\\dA-Za-z]{1,12}?${ZH_PLACE_UNIT})+(?:[\\dA-Za-z一二三四五六七八九十]+${ZH_PLACE_UNIT})*)`,
      'gu',
    ),
    new RegExp(`\\d+\\s+(?:[A-Z][a-z]+\\s+)+${STREET}(?:,\\s*[A-Z][A-Za-z]+(?:\\s+[A-Z][A-Za-z]+)*)*`, 'gu'),
    /(?:located|based)\s+(?:at|in|on)\s+(?<ans>[^.;!?。；！？]+)/giu,
    // "in Reno, Nevada": the region after the comma belongs to the place.
    /\b(?:in|at)\s+(?<ans>(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*(?:,\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?)/gu,
  ],
  phone: [
    /(?<![\d-])(?:\+?\d{1,3}[-\s])?(?:\(?\d{3,4}\)?[-\s]?)?\d{3,4}[-\s]?\d{4}(?![\d])|(?<!\d)9\d{4}(?!\d)/gu,
  ],
  email: [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/gu],
  person: [new RegExp(`\\b[A-Z][a-z]+(?:[-\\s](?:[A-Z]\\.|[A-Z][a-z]+|de|van|von|da|di)){1,3}\\b`, 'gu')],
  url: [
    /(?:https?:\/\/|www\.)[^\s，。；、<>"'）)]+[^\s，。；、<>"'）).,;:!?]/giu,
    /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|io|com\.cn)(?:\/[^\s，。；<>"']*)?\b/giu,
  ],
};

/**
 * Which end of a time range the question asks for: 几点下班 wants the closing time of 9:00-18:00,
 * 几点上班 the opening time; a question with both cues, or neither (营业时间, opening hours), the range.
 */
export const RANGE_PART_CUES: { start: RegExp; end: RegExp } = {
  start: /上班|开门|开始营业|开始服务|几点开|\b(?:open|opens|start|starts|begin|begins)\b(?!\s+hours)/iu,
  end: /下班|关门|打烊|结束|截止|几点关|\b(?:close|closes|closing|shut|end|ends|finish|finishes)\b|\buntil\s+what\s+time\b/iu,
};

/** Separator between the two ends of a range inside a found span (9:00-18:00, 8 am to 8 pm). */
export const RANGE_SPLIT = /^(?<from>.+?)\s*(?:-|~|～|–|—|至|到|\bto\b|\buntil\b|\btill\b)\s*(?<to>.+)$/u;

/**
 * The counted noun a question names right after its question word: 多少积分 -> 积分, 几张 -> 张,
 * "how many points" -> points. A number followed by that noun is the answer, unit included. In
 * English only units of measure keep their noun ("50 points", "3 miles"): for things counted
 * ("how many stores") SQuAD's answers are the bare number, and keeping the noun cost 1.75 EM there.
 */
export const QUESTION_UNIT_CUES: RegExp[] = [
  // Not a verb or particle after the question word (多少能升, 多少才, 几点 is a time).
  /(?:多少|几)(?![个点能可要会的是在才就需钱])(?<unit>[\u4e00-\u9fff]{1,2})/u,
  /\bhow\s+many\s+(?:more\s+|extra\s+)?(?<unit>[a-z]{2,})\b/iu,
];

const EN_MEASURE_UNITS =
  /^(?:points?|credits?|stars?|coins?|miles?|kilometers?|kilometres?|km|meters?|metres?|feet|foot|inch(?:es)?|yards?|kilograms?|kg|grams?|pounds?|lbs?|ounces?|oz|liters?|litres?|gallons?|days?|hours?|minutes?|weeks?|months?|years?|nights?)$/i;

/** A Chinese measure word (张, 次, 件 ...): 几张免运费券 asks for a count first, whatever else it mentions. */
export const MEASURE_WORD = new RegExp(`^${ZH_MEASURE}`, 'u');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Patterns for a number followed by the question's counted noun (see QUESTION_UNIT_CUES): 100积分
 * for 积分, "50 points" or "1-2 extra working days" for points/days. A measure word (张 of 几张券)
 * is the unit on its own, so 2张免运费券 gives 2张.
 */
export function countWithUnitPatterns(unit: string): RegExp[] {
  if (/^[\u4e00-\u9fff]/u.test(unit)) {
    const units = MEASURE_WORD.test(unit) ? [unit[0]] : [unit, unit.slice(0, 1)];
    const alternatives = [...new Set(units)].map(escapeRegExp).join('|');
    return [new RegExp(`${NUM_RANGE}\\s*(?:个)?(?:多)?(?:${alternatives})`, 'gu')];
  }
  if (!EN_MEASURE_UNITS.test(unit)) return [];
  const singular = unit.toLowerCase().replace(/(?:es|s)$/, '');
  return [
    new RegExp(
      `\\b(?:\\d+(?:,\\d{3})*(?:\\.\\d+)?(?:${RANGE_SEP}\\d+(?:\\.\\d+)?)?|${EN_CARDINAL}|one|a|an)\\s+(?:[a-z-]+\\s+){0,2}?${escapeRegExp(singular)}[a-z]*\\b`,
      'giu',
    ),
  ];
}

/**
 * A threshold amount (满99元, "orders over $75") answers 满多少钱包邮 / "minimum order for free
 * shipping", and is the wrong amount for the fee paid below it (没满包邮要付多少运费).
 */
export const THRESHOLD_MARKER = /(?:满|超过|不低于|over|above|at\s+least|minimum\s+of|orders\s+of)\s*$/iu;
export const THRESHOLD_QUESTION =
  /满多少|多少.{0,4}(?:包邮|免运费)|门槛是|起送|最低消费|\bminimum\b|\bthreshold\b|\bspend\b.*\bfree\b|\bfree\b.*\bspend\b/iu;
export const BELOW_THRESHOLD_QUESTION = /没满|不满|未满|不到|不足|\bunder\b|\bbelow\b|\bless\s+than\b/iu;
/** In the text, the clause of the fee paid below a threshold: 未满69元收取运费8元, "smaller orders pay $7.95". */
export const BELOW_THRESHOLD_MARKER =
  /没满|不满|未满|不足|低于|\bunder\b|\bbelow\b|\bless\s+than\b|\bsmaller\b|\blower\b/iu;

/**
 * Qualifiers a shop text words differently from the question: 周末 asks about 周六/周日, "weekdays"
 * about Monday to Friday. They only steer which span of a sentence is taken, not which sentence.
 */
export const QUALIFIER_SYNONYMS: Array<{ question: RegExp; text: RegExp }> = [
  { question: /周末|双休日/u, text: /周六|周日|周天|星期六|星期日|星期天|礼拜六|礼拜天/gu },
  { question: /工作日|平日|周内/u, text: /周一|周五|星期一|星期五|礼拜一|礼拜五/gu },
  { question: /\bweekends?\b/iu, text: /\b(?:Saturdays?|Sundays?|Sat|Sun)\b/giu },
  { question: /\bweekdays?\b/iu, text: /\b(?:Mondays?|Fridays?|Mon|Fri)\b/giu },
];
