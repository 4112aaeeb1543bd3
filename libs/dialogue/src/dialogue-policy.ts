/**
 * One customer message in, the bot's turn out: the dialogue decisions around the answer pipeline
 * (small talk, handoff requests and the handoff state, picking a clarification's option, rewriting an
 * elliptical follow-up with the topic) with the answer decision itself left to the pipeline. Pure
 * apart from the pipeline call: the session state goes in and comes back new, events tell the server
 * what to do (queue for an agent, forward a message, store a left message).
 */
import {
  clarifyMessage,
  decisionReason,
  faqSource,
  suggestionFloor,
  type AnswerDecision,
  type AnswerInput,
  type AnswerOutcome,
  type AnswerThresholds,
  type KnowledgeIndex,
} from '@wendao/answer';
import { normalizeQuestion, writtenInChinese } from '@wendao/text';
import { clarifyQuickReplyId, pickClarification } from './clarification-pick';
import { contactDetails } from './contact-details';
import { FollowUpRewriter, type EntryVocabulary, type FollowUpRewrite } from './follow-up-rewriter';
import {
  applyAgentAction,
  cancelHandoff,
  requestHandoff,
  type AgentAction,
  type DialogueEvent,
} from './handoff';
import type { SessionState, SessionTurn, TurnKind } from './session-state';
import { SmallTalk } from './small-talk';

/** What the policy needs of the answer pipeline (AnswerPipeline is one). */
export interface AnswerRunner {
  run(input: AnswerInput): Promise<AnswerOutcome>;
}

export interface DialoguePolicyOptions {
  answers: AnswerRunner;
  /** Fallbacks in a row after which the session is handed to a human (default 3; 0: never). */
  handoffAfterFallbacks?: number;
  /** Turns kept in the session (default 10). */
  historyTurns?: number;
  /** Rewrite elliptical follow-ups with the topic (default true; off only to measure what it adds). */
  rewriteFollowUps?: boolean;
  rewriter?: FollowUpRewriter;
  smallTalk?: SmallTalk;
}

export interface TurnInput {
  session: SessionState;
  /** The customer's message. */
  text: string;
  /** The quick reply the customer pressed, if the message came from one. */
  quickReplyId?: string;
  index: KnowledgeIndex;
  thresholds: AnswerThresholds;
  /** The KB's language (default: the session's). */
  language?: AnswerInput['language'];
  fallbackMessage?: string;
  /** Is an agent online to take a handoff? (default true) */
  agentsAvailable?: boolean;
  now?: Date;
}

export interface QuickReply {
  /** `faq:<id>` picks a clarification option; `handoff` asks for a human; `ask:<n>` asks a suggestion. */
  id: string;
  label: string;
}

export type ReplyKind = 'answer' | 'small_talk' | 'handoff' | 'message_left';

export interface BotReply {
  kind: ReplyKind;
  text: string;
  /** The ask payload (what the REST ask returns), for answers. */
  answer: AnswerOutcome | null;
  /** The question retrieval was asked: the rewrite for a follow-up, else the message. */
  question: string | null;
  /** Set when the message was rewritten with the topic. */
  rewrittenQuestion: string | null;
  quickReplies: QuickReply[];
}

export interface TurnResult {
  /** null while an agent has the session (or is awaited): the bot is silent. */
  reply: BotReply | null;
  session: SessionState;
  events: DialogueEvent[];
  rewrite: FollowUpRewrite | null;
}

/** An agent's action on a session, or the customer's cancelled handoff. */
export interface AgentTurnResult {
  session: SessionState;
  events: DialogueEvent[];
  /** What the bot tells the customer (on hand back, close, no agent or a cancelled handoff), if anything. */
  reply: BotReply | null;
}

const HANDOFF_REQUEST =
  /转人工|人工客服|找人工|要人工|人工服务|真人客服|接人工|联系客服人员|(找|要|换)(个|一个)?(真人|活人)|(找|叫|要见)(你们)?(的)?(经理|主管|领导|负责人)|不要(跟|和)?机器人|不(想|要)(跟|和)机器人(说|聊)|\b(talk|speak|chat) (to|with) (a |an |the |your )?(human|person|agent|real person|real human|someone|somebody|representative|manager|supervisor)\b|\b(person|human|agent|someone|somebody|anyone) (i|we) can (talk|speak|chat) (to|with)\b|\bhuman agent\b|\blive agent\b|\breal (person|human)\b|\b(i )?(do not|dont|don't) want (to talk to )?(a |the |this )?(bot|robot|machine)\b/iu;
/**
 * A request made of the word alone ("人工", "agent", "human please", "我要人工", "I need an agent"):
 * customer QA found them asked of the FAQ, and the contact entry's answer told the customer to press
 * the headset button instead of pressing it for them. Whole-message only: "客服几点上班", "what does
 * the agent do" stay questions.
 */
const HANDOFF_WORD =
  /^(我要|我想要|我想找|我找|找|要|请|请转|转|帮我转|给我转|转接)?(人工|真人|人工客服|真人客服|客服人员|活人|客服)(吧|啊|呀|谢谢|，谢谢|！|!|。|\.)*$|^(i want|i need|i'd like|get me|give me|connect me (to|with)|transfer me to|let me (talk|speak) (to|with))?\s*(a |an |the )?(human|agent|person|representative|rep|operator|real person|live person|real human|customer service|customer support)( please| pls| now)?[!.]*$/iu;

/**
 * A complaint is a request for a person (customer QA: 我要投诉 and "I want to make a complaint" were
 * asked of the FAQ and answered with the contact entry, or fell back). A question about complaining
 * (投诉电话是多少, 我要投诉，找谁, "How do I make a complaint?", "Is there an email I can send a
 * complaint to?") is asked as any question: the KB's contact entry answers it.
 */
const COMPLAINT = /投诉|\bcomplain(s|ed|ing)?\b|\bcomplaints?\b/iu;
const COMPLAINT_QUESTION =
  /[?？][\s\p{P}]*$|(吗|么|嘛|呢)[\s\p{P}]*$|怎么|怎样|如何|哪|谁|什么|多少|几|是否|能否|能不能|可不可以|有没有|投诉(电话|热线|邮箱|渠道|方式|途径|流程|入口|部门|地址|号码|进度|结果|时限)|^\W*(how|where|who|what|which|when|is|are|can|could|may|do|does|should|would)\b|\bcomplaints? (procedure|process|policy|form|email|address|line|number|department|team)\b/iu;

/**
 * Anger a bot answer only makes worse: a rhetorical complaint at the shop or its service (customer QA:
 * 你们怎么回事？都一个星期了还没发货！ fell back, 什么破服务，客服到底有没有人？ got the service hours,
 * "This is ridiculous, where is my order??" the tracking entry). Only words that say anger or a
 * grievance, not a question: 怎么还没发货, "Why has my order not shipped yet?", 这是怎么回事, "what is
 * the worst case delivery time?", 垃圾袋 are asked of the KB as before.
 */
const ANGER =
  /你们(这|是)?(怎么回事|搞什么|干什么吃的)|搞什么(鬼|飞机)|什么破|破(服务|客服|店|平台|网站|系统|东西|玩意)|垃圾(服务|客服|店|平台|商家|公司|东西)|(真|太)垃圾|^垃圾[!！。.]*$|差劲|太烂了|烂透|气死|无语|坑人|坑爹|黑店|什么玩意|(到底|还)有没有人(?!工)|没人(管|理|回)|太过分|过分了|太离谱|离谱了|真离谱|受够了|忍无可忍|都[\d一两二三四五六七八九十几半]+个?多?(小时|天|星期|周|礼拜|月)了?还(没|不)|\b(ridiculous|unacceptable|outrageous|pathetic|disgraceful|appalling)\b|\bworst (service|company|shop|store|experience|customer service|support)\b|\b(terrible|awful|horrible|lousy|shocking|useless|rubbish|crap) (customer )?(service|support)\b|\bfed up\b|\bsick (and tired )?of\b|\bthis is a joke\b|\b(this|you|you're|your (shop|store|company)) (is |are )?a (scam|rip-?off)\b|\brip-?off\b|\bwhat the (hell|heck)\b|\bwtf\b/iu;

/**
 * The customer says the last answer missed ("不是这个意思", "答非所问", "that's not what I asked"), or
 * none of a clarification's options is it ("都不是", "none of these"):
 * asked of the KB, it fell back with suggestions that had nothing to do with the question.
 */
const REJECTION =
  /^(不是|不对|错了)?[，,]?(不是(这个|这样|这些|那个)(意思|问题)?|不是我(要|想|问)的|不是我想问的|我(问|说)的不是这个|我不是(问|说)这个|答非所问|都不是(我(要|想问)的)?|都不对|以上都不是|没有我(要|想问)的|你没(懂|明白|理解)(我的意思)?|没(懂|明白)我的意思|不对|回答(的)?不对|说(的)?不对|错了)[吧啊呀!！。.，,]*$|^(no[,.!]*\s*)?(that'?s|that is|this is)? ?(not (what i (asked|meant|wanted|was asking|asked for))|not it|not my question|the wrong answer|wrong)[.!]*$|^(wrong answer|none of (these|them|those|the above)|neither( of (them|those|these))?|not what i (asked|meant)|you didn'?t (understand|get it)( me)?|that doesn'?t answer my question)[.!]*$/iu;

/**
 * The customer no longer wants to leave a message ("算了", "不用了", "never mind"): left as a
 * message, it went to the agents' inbox with a receipt asking for contact details.
 */
const DECLINE =
  /^(那|那就|那我)?((算了|不用了|不用|不需要了|不需要|不留言了|不留了|不留言|不等了|不用等了|取消|先不用了|不必了|没事了)[，,、 ]*)+(吧|啦|哈)?[，, ]*(谢谢)?[!！。.]*$|^((never ?mind|forget it|cancel|ill wait later|i cant wait|dont bother|no thanks|no thank you|nah|not now|no need|its ok(ay)?|thats ok(ay)?|dont worry)[,. !]*)+(thanks|thank you)?[.!]*$/iu;

/** Does a message hold a phone number or an email to reach the customer at? */
function hasContact(text: string): boolean {
  const contact = contactDetails(text);
  return contact.phones.length > 0 || contact.emails.length > 0;
}

/** The words that give contact details ("我的手机是", "请尽快联系我", "my number is", "call me at"). */
const CONTACT_WORDS =
  /(我的|我)?(联系电话|电话号码|手机号码|手机号|手机|电话|联系方式|邮箱地址|邮箱|电子邮件|e-?mail|微信号?)(是|为|：|:)?|(请|麻烦)?(尽快|方便时)?(联系我|打给我|回电话?|回复我|给我回电话|打我电话)|谢谢您?|\b(my )?(phone( number)?|mobile( number)?|cell( number)?|number|e-?mail( address)?)( is|:)?|\b(you can )?(call|text|email|e-mail|reach|contact|phone) me( at| on)?\b|\b(thanks|thank you|please)\b|\b(or|and|at|on)\b|或者?|和/giu;
const QUESTION =
  /[?？]|吗|呢|怎么|怎样|如何|多少|几|什么|哪|为什么|能否|能不能|可不可以|有没有|是否|请问|^\W*(how|what|when|where|which|who|why|is|are|can|could|do|does|will|would|should)\b/iu;

/**
 * A question the customer asks beside the contact details they send (13800000000，另外运费怎么算？):
 * the message without its phone numbers, emails and the words that give them; null when that is no
 * question ("我的手机 13800000000，请尽快联系我").
 */
function questionBesideContact(text: string): string | null {
  const contact = contactDetails(text);
  let rest = text;
  for (const detail of [...contact.emails, ...contact.phones]) rest = rest.split(detail).join(' ');
  rest = rest.replace(CONTACT_WORDS, ' ');
  rest = rest.replace(/^[\s\p{P}]+|[\s,，;；、]+$/gu, '').trim();
  const letters = rest.replace(/[^\p{L}\p{N}]+/gu, '');
  return [...letters].length >= 2 && QUESTION.test(rest) ? rest : null;
}

/**
 * Does the customer ask for a person: a handoff request, or a grievance (a complaint that is not a
 * question about complaining, or anger) that a person should hear, with an apology?
 */
function asksForHuman(text: string): 'request' | 'grievance' | null {
  if ((COMPLAINT.test(text) && !COMPLAINT_QUESTION.test(text)) || ANGER.test(text)) return 'grievance';
  return HANDOFF_REQUEST.test(text) || HANDOFF_WORD.test(text.trim()) ? 'request' : null;
}

const TEXT = {
  queued: { zh: '正在为您转接人工客服，请稍候。', en: 'Connecting you to a human agent, please wait.' },
  noAgent: {
    zh: '抱歉，现在没有人工客服在线。请留下您的问题和联系方式，我们会尽快回复您。',
    en: 'Sorry, no agent is online right now. Leave a message with your question and contact details and we will get back to you.',
  },
  // A complaint or anger is apologised for before the hand-off.
  sorryQueued: {
    zh: '非常抱歉给您带来不好的体验，正在为您转接人工客服，请稍候。',
    en: "I'm sorry about this. Connecting you to a human agent, please wait.",
  },
  // The complaint is left for an agent at once: the customer is asked for the rest, not to repeat it.
  sorryNoAgent: {
    zh: '非常抱歉给您带来不好的体验。现在没有人工客服在线，您的这条消息已留给人工客服。请补充您的问题和联系方式，我们会尽快回复您。',
    en: "I'm sorry about this. No agent is online right now: your message has been left for an agent. Add your question and contact details and we will get back to you.",
  },
  afterFallbacks: {
    zh: '看来我没能帮到您，',
    en: "It looks like I couldn't help. ",
  },
  messageLeft: {
    zh: '已收到您的留言，人工客服会尽快回复您。',
    en: 'Thanks, your message has been passed on: an agent will get back to you soon.',
  },
  // Left without a phone number or email, a message can only be answered in the chat while the
  // customer is still in it (an agent's take of it answers customer_offline once they have gone).
  messageLeftNoContact: {
    zh: '已收到您的留言，人工客服上线后会在这里回复您。您没有留下联系方式：如果您可能先离开，可以发送手机号或邮箱，我们会通过它联系您。',
    en: 'Thanks, your message has been left for an agent, who will reply here once online. You left no contact details: if you may leave before then, send a phone number or email and we will contact you there.',
  },
  leaveWhat: {
    zh: '好的。如需留言，请直接输入您的问题和联系方式；不需要的话，点击“返回智能客服”即可。',
    en: 'OK. To leave a message, type your question and contact details; otherwise press “Back to the assistant”.',
  },
  contactLeft: {
    zh: '已记下您的联系方式，人工客服会尽快联系您。',
    en: 'Thanks, we have your contact details: an agent will get back to you soon.',
  },
  handedBack: {
    zh: '人工客服已结束服务，我是智能客服，还有什么可以帮您？',
    en: 'You are back with the virtual assistant. Anything else I can help with?',
  },
  agentLeft: {
    zh: '人工客服已离开，我是智能客服，还有什么可以帮您？如需人工服务，可以再次转人工。',
    en: 'The agent has left the conversation: you are back with the virtual assistant. Ask for a human again at any time.',
  },
  cancelled: {
    zh: '好的，已取消转人工。我是智能客服，还有什么可以帮您？',
    en: 'OK, you are back with the virtual assistant. Anything else I can help with?',
  },
  closed: {
    zh: '本次会话已结束，感谢您的咨询。',
    en: 'This conversation has ended. Thanks for contacting us.',
  },
  empty: { zh: '请问有什么可以帮您？', en: 'How can I help you?' },
  handoffButton: { zh: '转人工', en: 'Talk to a human' },
  missed: { zh: '抱歉，没能答对您的问题。', en: 'Sorry I got that wrong. ' },
  missedNoOptions: {
    zh: '抱歉，没能答对您的问题。请换个说法再问一次，或转人工客服。',
    en: 'Sorry I got that wrong. Try asking in other words, or talk to a human.',
  },
};

/**
 * The language to word what the customer did not just write to in (an agent's action, a cancelled
 * handoff, the handoff button's message, a reply to a message without letters): the KB's, and on a
 * mixed-language KB that of the customer's last message with letters, so an English customer of a mixed shop is not told in Chinese that no agent is online.
 */
export function customerLanguage(session: SessionState): 'zh' | 'en' {
  if (session.language !== 'mixed') return session.language;
  // The last message with letters: an order number or an emoji says nothing of the language. Before
  // the customer has written any (since a resume switched the widget's language: those before were
  // written to the other widget), the widget's language (an emoji first in the English widget was
  // answered in Chinese), else Chinese.
  const since = session.widgetLanguageAt;
  const last = session.turns.findLast((t) => (!since || t.at > since) && /\p{L}/u.test(t.user))?.user;
  if (!last) return session.widgetLanguage ?? 'zh';
  return writtenInChinese(last) ? 'zh' : 'en';
}

export class DialoguePolicy {
  private readonly answers: AnswerRunner;
  private readonly handoffAfterFallbacks: number;
  private readonly historyTurns: number;
  private readonly rewriteFollowUps: boolean;
  private readonly rewriter: FollowUpRewriter;
  private readonly smallTalk: SmallTalk;
  private readonly vocabularies = new WeakMap<
    KnowledgeIndex,
    { version: number; vocabulary: EntryVocabulary }
  >();

  constructor(options: DialoguePolicyOptions) {
    this.answers = options.answers;
    this.handoffAfterFallbacks = options.handoffAfterFallbacks ?? 3;
    this.historyTurns = options.historyTurns ?? 10;
    this.rewriteFollowUps = options.rewriteFollowUps ?? true;
    this.rewriter = options.rewriter ?? new FollowUpRewriter();
    this.smallTalk = options.smallTalk ?? new SmallTalk();
    if (!Number.isInteger(this.handoffAfterFallbacks) || this.handoffAfterFallbacks < 0)
      throw new Error(
        `handoffAfterFallbacks must be a non-negative integer, got ${this.handoffAfterFallbacks}`,
      );
  }

  async run(input: TurnInput): Promise<TurnResult> {
    const session: SessionState = structuredClone(input.session);
    const text = input.text.trim();
    const language = input.language ?? session.language;
    // A message without letters (an order number, 😡) says nothing of its language: on a mixed KB
    // it is answered in that of the customer's last message (before: always in English).
    const replyLanguage = /\p{L}/u.test(text) ? undefined : customerLanguage(session);
    const english =
      language === 'en' ||
      (language === 'mixed' && (replyLanguage ? replyLanguage === 'en' : !writtenInChinese(text)));
    const say = (t: { zh: string; en: string }) => (english ? t.en : t.zh);
    const events: DialogueEvent[] = [];
    const done = (reply: BotReply | null, kind: TurnKind, faqId: string | null = null): TurnResult => {
      this.remember(
        session,
        { user: text, asked: reply?.question ?? null, kind, faqId, bot: reply?.text ?? null },
        input.now,
      );
      return { reply, session, events, rewrite: null };
    };
    const plain = (kind: ReplyKind, replyText: string, quickReplies: QuickReply[] = []): BotReply => ({
      kind,
      text: replyText,
      answer: null,
      question: null,
      rewrittenQuestion: null,
      quickReplies,
    });

    // An agent has the session (or is about to): the bot is silent and the message goes to the agent.
    // "算了不等了" while no agent has taken the session yet: the wait is cancelled as by the widget's
    // 取消 button (before, it was passed on to whichever agent took the session next).
    if (session.handoff === 'waiting_for_agent' && DECLINE.test(text.replace(/['’]/gu, ''))) {
      const t = cancelHandoff(session.handoff);
      session.handoff = t.state;
      events.push(...t.events);
      return done(plain('handoff', say(TEXT.cancelled)), 'handoff');
    }
    if (session.handoff === 'with_agent' || session.handoff === 'waiting_for_agent') {
      events.push({ type: 'customer_message_for_agent', text });
      return done(null, 'to_agent');
    }
    if (session.handoff === 'leaving_message') {
      // "算了" or a goodbye: no message to leave (the 返回智能客服 button's cancel); an OK or thanks for
      // the offer: asked what to leave. Either, left, sat in the agents' inbox as a message.
      const talk = this.smallTalk.match(text.replace(/['’]/gu, ''), language, customerLanguage(session));
      if (DECLINE.test(text.replace(/['’]/gu, '')) || talk?.kind === 'goodbye') {
        const t = cancelHandoff(session.handoff);
        session.handoff = t.state;
        events.push(...t.events);
        return done(plain('handoff', say(TEXT.cancelled)), 'handoff');
      }
      if (talk?.kind === 'acknowledgement' || talk?.kind === 'thanks')
        return done(plain('small_talk', say(TEXT.leaveWhat)), 'small_talk');
      events.push({ type: 'message_left', text });
      session.handoff = 'bot';
      session.messagesLeft++;
      const receipt = hasContact(text) ? TEXT.messageLeft : TEXT.messageLeftNoContact;
      return done(plain('message_left', say(receipt)), 'message_left');
    }
    if (session.handoff === 'closed') {
      events.push({ type: 'session_reopened' });
      session.handoff = 'bot';
    }
    // A phone number or email sent after a message was left, next or after other questions (the
    // receipt of one left without them asks for them), is left for the agent as well: asked of the KB
    // it fell back, or got the shop's own phone number. A question asked beside it is answered as a
    // question (customer QA: '13800000000，另外运费怎么算？' was only left, never answered); one the
    // KB cannot answer stays with the left message. Anything else is the bot's again: the customer is
    // asked, not made, to leave them.
    const leftAt = session.turns.findLastIndex((t) => t.kind === 'message_left');
    const agentSince = session.turns.slice(leftAt + 1).some((t) => t.kind === 'to_agent');
    if (leftAt >= 0 && !agentSince && hasContact(text)) {
      events.push({ type: 'message_left', text });
      session.messagesLeft++;
      const beside = questionBesideContact(text);
      const asked = beside ? await this.run({ ...input, session, text: beside }) : null;
      if (asked?.reply?.kind === 'answer' && asked.reply.answer?.type !== 'fallback') {
        asked.session.turns.at(-1)!.user = text;
        asked.reply.text = `${say(TEXT.contactLeft)}\n${asked.reply.text}`;
        return { ...asked, events: [...events, ...asked.events] };
      }
      return done(plain('message_left', say(TEXT.contactLeft)), 'message_left');
    }

    const human = input.quickReplyId === 'handoff' ? 'request' : asksForHuman(text);
    if (human) {
      session.clarification = null;
      const t = requestHandoff(session.handoff, 'customer_request', input.agentsAvailable ?? true);
      session.handoff = t.state;
      events.push(...t.events);
      const noAgent = t.state === 'leaving_message';
      if (human === 'grievance' && noAgent) {
        // The complaint itself is the start of the message left for an agent (customer QA: with no
        // agent online, 都一个星期了还没发货！ was apologised for, then lost: the customer had to write
        // it again, and the agent never saw it). What the customer writes next is left after it.
        events.push({ type: 'message_left', text });
        session.messagesLeft++;
      }
      const words =
        human === 'grievance'
          ? noAgent
            ? TEXT.sorryNoAgent
            : TEXT.sorryQueued
          : noAgent
            ? TEXT.noAgent
            : TEXT.queued;
      return done(plain('handoff', say(words)), 'handoff');
    }

    // A reply to "did you mean A or B?" that picks one answers with that entry.
    if (session.clarification) {
      const pending = session.clarification;
      session.clarification = null;
      const chosen = pickClarification(pending, text, input.quickReplyId);
      const faq = chosen && [...input.index.faqs.values()].find((f) => f.id === chosen.faqId);
      if (chosen && faq) {
        const chosenDecision: AnswerDecision = {
          code: 'clarification_chosen',
          values: { option: pending.options.indexOf(chosen) + 1 },
        };
        const outcome: AnswerOutcome = {
          answer: faq.answer,
          type: 'faq',
          mode: pending.mode,
          source: faqSource(faq),
          confidence: chosen.confidence,
          alternatives: [],
          options: [],
          suggestions: [],
          handoff: false,
          kbVersion: input.index.version,
          evidence: {
            thresholds: input.thresholds,
            faqCandidates: [],
            passages: [],
            decision: chosenDecision,
            reason: decisionReason(chosenDecision),
          },
          timings: { total: 0, embed: 0, faq: 0, retrieve: 0, read: 0 },
        };
        session.consecutiveFallbacks = 0;
        this.setTopic(session, faq.question, faq.id, input.index);
        const reply: BotReply = { ...plain('answer', faq.answer), answer: outcome, question: faq.question };
        return done(reply, 'clarify_pick', faq.id);
      }
    }

    // "Not what I asked" after an answer: the other entries the question came close to, to pick from
    // (or a human), instead of asking the KB "不是这个意思" (a fallback with unrelated suggestions).
    // After a clarification (or this very reply) the entries it came close to were offered already.
    const previous = session.turns.at(-1);
    const answered = previous?.asked && ['faq', 'extracted', 'clarify_pick'].includes(previous.kind);
    const offered = previous?.kind === 'clarify' || previous?.bot?.startsWith(say(TEXT.missed));
    if (previous && (answered || offered) && REJECTION.test(text)) {
      const again = answered
        ? await this.answers.run({
            question: previous.asked!,
            index: input.index,
            thresholds: input.thresholds,
            language,
            replyLanguage: english ? 'en' : 'zh',
          })
        : null;
      // The floor the fallback's suggestions use (calibrated in neural mode).
      const floor = suggestionFloor(input.thresholds);
      const options = (again?.evidence.faqCandidates ?? [])
        .filter((c) => c.faqId !== previous.faqId && c.score >= floor)
        .slice(0, 3)
        .map((c) => ({ faqId: c.faqId, question: c.question, confidence: c.score }));
      session.topic = null;
      const handoff = { id: 'handoff', label: say(TEXT.handoffButton) };
      if (!again || !options.length)
        return done(plain('small_talk', say(TEXT.missedNoOptions), [handoff]), 'small_talk');
      session.clarification = { options, mode: again.mode };
      const quickReplies = [
        ...options.map((o) => ({ id: clarifyQuickReplyId(o.faqId), label: o.question })),
        handoff,
      ];
      return done(
        plain('small_talk', `${say(TEXT.missed)}${clarifyMessage(english, options)}`, quickReplies),
        'small_talk',
      );
    }

    const smallTalk = this.smallTalk.match(
      text,
      language === 'mixed' && replyLanguage ? replyLanguage : language,
      customerLanguage(session),
    );
    if (smallTalk) {
      // Thanks and goodbyes close an exchange: what comes next is a new question, and gluing the old
      // topic onto it ("谢谢" then "能抵多少钱？" read as 积分…) answers the wrong entry. A greeting or
      // "are you a robot?" mid-conversation (在吗？) is a check-in, not a close: the topic stays.
      if (smallTalk.kind === 'thanks' || smallTalk.kind === 'goodbye') session.topic = null;
      return done(plain('small_talk', smallTalk.reply), 'small_talk');
    }
    if (!normalizeQuestion(text)) return done(plain('small_talk', say(TEXT.empty)), 'small_talk');

    const rewrite = this.rewriteFollowUps
      ? this.rewriter.rewrite(
          text,
          session.topic,
          this.vocabularyOf(input.index),
          (word) => input.index.mentions(word),
          this.topicTexts(session, input.index),
        )
      : null;
    const question = rewrite?.question ?? text;
    const outcome = await this.answers.run({
      question,
      index: input.index,
      thresholds: input.thresholds,
      language,
      fallbackMessage: input.fallbackMessage,
      replyLanguage,
    });
    const reply: BotReply = {
      kind: 'answer',
      text: outcome.answer,
      answer: outcome,
      question,
      rewrittenQuestion: rewrite?.rewritten ? question : null,
      quickReplies: [],
    };
    const faqId = outcome.source?.kind === 'faq' ? outcome.source.id : null;

    if (outcome.type === 'clarify') {
      session.clarification = { options: outcome.options, mode: outcome.mode };
      reply.quickReplies = outcome.options.map((o) => ({
        id: clarifyQuickReplyId(o.faqId),
        label: o.question,
      }));
    } else if (outcome.type === 'fallback') {
      session.consecutiveFallbacks++;
      reply.quickReplies = outcome.suggestions.map((s, i) => ({ id: `ask:${i + 1}`, label: s }));
      if (this.handoffAfterFallbacks > 0 && session.consecutiveFallbacks >= this.handoffAfterFallbacks) {
        const t = requestHandoff(session.handoff, 'consecutive_fallbacks', input.agentsAvailable ?? true);
        session.handoff = t.state;
        session.consecutiveFallbacks = 0;
        events.push(...t.events);
        reply.kind = 'handoff';
        reply.text = `${outcome.answer}\n${say(TEXT.afterFallbacks)}${say(t.state === 'leaving_message' ? TEXT.noAgent : TEXT.queued)}`;
        reply.quickReplies = [];
      } else if (outcome.handoff) {
        reply.quickReplies.push({ id: 'handoff', label: say(TEXT.handoffButton) });
      }
    } else {
      session.consecutiveFallbacks = 0;
      if (faqId) this.setTopic(session, question, faqId, input.index);
    }
    const result = done(reply, outcome.type, faqId);
    return { ...result, rewrite };
  }

  /** An agent joins, hands back or closes the session (or nobody takes it): the new state, events, what the customer sees. */
  agent(sessionIn: SessionState, action: AgentAction): AgentTurnResult {
    const session: SessionState = structuredClone(sessionIn);
    const t = applyAgentAction(session.handoff, action);
    session.handoff = t.state;
    const english = customerLanguage(session) === 'en';
    const say = (x: { zh: string; en: string }) => (english ? x.en : x.zh);
    let text: string | null = null;
    if (t.events.some((e) => e.type === 'handed_back')) {
      session.consecutiveFallbacks = 0;
      text = say(TEXT.handedBack);
    } else if (t.events.some((e) => e.type === 'agent_left')) {
      session.consecutiveFallbacks = 0;
      text = say(TEXT.agentLeft);
    } else if (t.events.some((e) => e.type === 'session_closed')) text = say(TEXT.closed);
    else if (t.events.some((e) => e.type === 'agent_unavailable')) text = say(TEXT.noAgent);
    const reply: BotReply | null = text
      ? { kind: 'handoff', text, answer: null, question: null, rewrittenQuestion: null, quickReplies: [] }
      : null;
    return { session, events: t.events, reply };
  }

  /** The customer stops waiting for an agent (or leaving a message): the bot says it is back. */
  cancelHandoff(sessionIn: SessionState): AgentTurnResult {
    const session: SessionState = structuredClone(sessionIn);
    const t = cancelHandoff(session.handoff);
    session.handoff = t.state;
    if (!t.events.length) return { session, events: [], reply: null };
    const text = customerLanguage(session) === 'en' ? TEXT.cancelled.en : TEXT.cancelled.zh;
    const reply: BotReply = {
      kind: 'handoff',
      text,
      answer: null,
      question: null,
      rewrittenQuestion: null,
      quickReplies: [],
    };
    return { session, events: t.events, reply };
  }

  /** The KB's entry vocabulary, built once per index version. */
  private vocabularyOf(index: KnowledgeIndex): EntryVocabulary {
    const cached = this.vocabularies.get(index);
    if (cached?.version === index.version) return cached.vocabulary;
    const vocabulary = this.rewriter.vocabulary(index.faqs.values());
    this.vocabularies.set(index, { version: index.version, vocabulary });
    return vocabulary;
  }

  /** What the topic's entry says: its question, alternates and answer. */
  private topicTexts(session: SessionState, index: KnowledgeIndex): string[] | undefined {
    const faq = session.topic && [...index.faqs.values()].find((f) => f.id === session.topic!.faqId);
    return faq ? [faq.question, ...faq.alternates, faq.answer] : undefined;
  }

  /** The topic is the entry just answered, with the content words the question and the entry share. */
  private setTopic(session: SessionState, question: string, faqId: string, index: KnowledgeIndex): void {
    const faq = [...index.faqs.values()].find((f) => f.id === faqId);
    if (!faq) return;
    const vocabulary = this.vocabularyOf(index);
    const terms = this.rewriter.keyTerms(question, [faq.question, ...faq.alternates, faq.answer], vocabulary);
    // A follow-up that stays on the entry but names none of its words keeps the terms that found it.
    if (session.topic?.faqId === faqId && terms.keyTerms.length === 0) return;
    session.topic = {
      faqId,
      faqQuestion: faq.question,
      question,
      ...(terms.keyTerms.length ? terms : this.rewriter.keyTerms(faq.question, [faq.question], vocabulary)),
    };
  }

  private remember(session: SessionState, turn: Omit<SessionTurn, 'at'>, now = new Date()): void {
    session.turns.push({ ...turn, at: now.toISOString() });
    if (session.turns.length > this.historyTurns)
      session.turns.splice(0, session.turns.length - this.historyTurns);
  }
}
