/**
 * Greetings, thanks, goodbyes and "are you a robot?" in Chinese and English, answered without
 * retrieval. Only a message that is small talk and nothing else matches ("你好，运费怎么算？" is a
 * question with a greeting in front: the policy strips the greeting and asks the question).
 */

export type SmallTalkKind = 'greeting' | 'thanks' | 'goodbye' | 'identity' | 'acknowledgement';

interface SmallTalkRule {
  kind: SmallTalkKind;
  zh: RegExp;
  en: RegExp;
}

// Matched against the whole message after trimming punctuation, spaces and emoji-free filler.
const RULES: SmallTalkRule[] = [
  {
    kind: 'greeting',
    zh: /^(你好|您好|嗨|哈喽|哈啰|在吗|在不在|有人吗|早上好|上午好|下午好|晚上好|早安|早|喂)+(啊|呀|呢)?$/u,
    en: /^((hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|anyone there|is anyone there|are you there)( there)?)+$/u,
  },
  {
    kind: 'thanks',
    zh: /^(好的|好|嗯)?(谢谢|谢了|多谢|感谢|谢谢你|谢谢您|非常感谢|太感谢了|辛苦了)+(啊|呀|哈|啦)?$/u,
    en: /^(ok(ay)? )?(thanks?( you)?( (so|very) much)?|thx|ty|cheers|great thanks|perfect thanks|that helps|that was helpful)$/u,
  },
  {
    kind: 'goodbye',
    zh: /^(再见|拜拜|拜|回见|下次见|没有了|没事了|没问题了|好的再见)+(啦|了)?$/u,
    en: /^(bye|goodbye|bye bye|see you|see ya|thats all|nothing else|have a (good|nice) day)$/u,
  },
  {
    // "OK" to an answer: asked as a question it was glued to the topic (好的 -> 货运费好的, ok ->
    // "password reset: ok") and got the same answer again, or 收到 matched 多久能收到货; alone it fell
    // back ("couldn't find an answer") and counted towards the hand-off after fallbacks.
    kind: 'acknowledgement',
    zh: /^(好的|好滴|好吧|好|嗯+|哦+|噢+|喔+|行|可以|知道了|明白了?|了解了?|懂了|收到|ok|okk)+(啦|了|哈|呀|的)?$/u,
    en: /^((ah |oh )?(ok(ay)?|k|kk|alright|all right|got it|i see|understood|cool|great|sure|fine|perfect|noted))+$/u,
  },
  {
    kind: 'identity',
    zh: /^(你|您)?(是)?(机器人|真人|人工智能|ai|智能客服)(吗|么|嘛)?$|^(你|您)是(不是)?(机器人|真人|谁|ai)(吗|么|嘛|啊)?$|^(你|您)(叫什么(名字)?|的名字是什么|怎么称呼)(呀|啊)?$/u,
    en: /^(are you (a )?(robot|bot|human|real person|real|person|machine|ai)|is this (a )?(bot|robot|human|real person)|who are you|what are you|(whats|what is) your name)$/u,
  },
];

/**
 * The parts a closing is made of, strung together ("好的谢谢再见", "明白了，谢谢", "不用了谢谢", "thanks
 * bye", "great, thank you!", "no thanks", "that's all, thanks"): alone each is small talk above,
 * together they were asked of the KB and fell back ("抱歉，没有找到相关答案" to a customer saying
 * goodbye), counting towards the hand-off after fallbacks. Longest first, so 谢谢你 is not 谢谢 + 你.
 */
const CLOSING_PARTS: Array<{ kind: 'acknowledgement' | 'thanks' | 'goodbye'; zh: RegExp; en: RegExp }> = [
  {
    kind: 'goodbye',
    zh: /^(再见|拜拜|拜|回见|下次见|没有了|没有其他问题了|没别的了|没事了|没问题了|不用了|就这样吧?|那就这样吧?)/u,
    en: /^(bye bye|bye|goodbye|see you|see ya|thats all|that is all|thats it|nothing else|no thats all|no that is all|no thank you|no thanks|im good|all good|have a (good|nice|great) (day|one))(?= |$)/u,
  },
  {
    kind: 'thanks',
    zh: /^(谢谢你的帮助|谢谢您的帮助|太感谢了|非常感谢|谢谢你|谢谢您|谢谢亲|谢谢|谢了|多谢|感谢|辛苦了|麻烦了)/u,
    en: /^(thank you (so |very )?much( for (your|the) help)?|thank you for (your|the) help|thanks (so |very )?much( for (your|the) help)?|thanks for (your|the) help|thanks a lot|many thanks|much appreciated|appreciate it|thank you|thanks|thx|ty|cheers|that helps|that was helpful)(?= |$)/u,
  },
  {
    kind: 'acknowledgement',
    zh: /^(好的|好滴|好嘞|好吧|好|嗯+|哦+|噢+|喔+|行|可以|知道了|明白了?|了解了?|懂了|收到|ok|okk)/u,
    en: /^(ah|oh|ok|okay|k|kk|alright|all right|got it|i see|understood|cool|great|sure|fine|perfect|noted|awesome|nice|good)(?= |$)/u,
  },
];
const CLOSING_PARTICLES = /^[啦了哈呀的啊哦喔亲吧]+/u;
const CLOSING_PRECEDENCE = ['acknowledgement', 'thanks', 'goodbye'] as const;

/** The kind of a message made of closing parts only (the strongest: goodbye, thanks, OK), or null. */
function closingKind(c: string): 'acknowledgement' | 'thanks' | 'goodbye' | null {
  let rest = c;
  let kind = -1;
  while (rest) {
    const part = CLOSING_PARTS.find((p) => p.zh.test(rest) || p.en.test(rest));
    if (!part) return null;
    const match = rest.match(part.zh) ?? rest.match(part.en)!;
    rest = rest.slice(match[0].length).replace(CLOSING_PARTICLES, '').trim();
    kind = Math.max(kind, CLOSING_PRECEDENCE.indexOf(part.kind));
  }
  return kind < 0 ? null : CLOSING_PRECEDENCE[kind];
}

const REPLIES: Record<SmallTalkKind, { zh: string; en: string }> = {
  greeting: {
    zh: '您好！请问有什么可以帮您？',
    en: 'Hello! How can I help you?',
  },
  thanks: {
    zh: '不客气！还有其他问题随时问我。',
    en: "You're welcome! Anything else I can help with?",
  },
  goodbye: {
    zh: '感谢咨询，再见！',
    en: 'Thanks for chatting. Goodbye!',
  },
  acknowledgement: {
    zh: '好的，还有其他问题随时问我。',
    en: 'OK. Anything else I can help with?',
  },
  identity: {
    zh: '我是智能客服机器人，根据店铺的常见问题回答您。需要真人服务请输入“转人工”。',
    en: 'I\'m the shop\'s virtual assistant: I answer from its FAQ. Type "talk to a human" to reach a person.',
  },
};

/** A message of these emoji (with skin tones and variation selectors) only. */
const ACKNOWLEDGING_EMOJI = /^(?:[👍👌🙏😊🙂☺😀😃😄👏✅💯🆗❤]|\p{Emoji_Modifier}|\uFE0F|\u200D|\s)+$/u;

function core(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]/gu, '')
    .replace(/[\s\p{P}\p{S}~～]+/gu, ' ')
    .trim()
    .replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '');
}

export interface SmallTalkMatch {
  kind: SmallTalkKind;
  /** The reply in the message's language. */
  reply: string;
  english: boolean;
}

export class SmallTalk {
  /** The small talk a message is, or null when it is anything else (a question, a request). */
  /**
   * `ambiguousAs`: on a mixed-language KB, the language of a message both languages' customers write
   * alike ("ok": the policy passes the customer's last language; before, an English customer's "ok"
   * got 好的，还有其他问题随时问我。).
   */
  match(
    text: string,
    language: 'zh' | 'en' | 'mixed' = 'mixed',
    ambiguousAs: 'zh' | 'en' = 'zh',
  ): SmallTalkMatch | null {
    const c = core(text);
    if (!c) {
      // Emoji alone: a thumbs-up or a smile acknowledges (other emoji are asked as they are).
      if (!ACKNOWLEDGING_EMOJI.test(text.trim())) return null;
      const english = language === 'en';
      return { kind: 'acknowledgement', reply: REPLIES.acknowledgement[english ? 'en' : 'zh'], english };
    }
    for (const rule of RULES) {
      const zh = rule.zh.test(c);
      const en = rule.en.test(c);
      if (!zh && !en) continue;
      const english = language === 'en' || (language === 'mixed' && (zh && en ? ambiguousAs === 'en' : en));
      return { kind: rule.kind, reply: REPLIES[rule.kind][english ? 'en' : 'zh'], english };
    }
    const closing = closingKind(c);
    if (!closing) return null;
    const english = language === 'en' || (language === 'mixed' && !/\p{Script=Han}/u.test(c));
    return { kind: closing, reply: REPLIES[closing][english ? 'en' : 'zh'], english };
  }
}
