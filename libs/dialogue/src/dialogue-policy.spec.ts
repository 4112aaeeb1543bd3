import {
  AnswerPipeline,
  DEFAULT_THRESHOLDS,
  ThresholdCalibrator,
  type AnswerInput,
  type AnswerThresholds,
  type KnowledgeIndex,
} from '@wendao/answer';
import { buildShopIndex, loadShopSet, type ShopSet } from '@wendao/eval';
import { LexicalReader } from '@wendao/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { customerLanguage, DialoguePolicy, type TurnInput } from './dialogue-policy';
import { newSession, parseSessionState, resumedInLanguage, type SessionState } from './session-state';

const reader = new LexicalReader();
const pipeline = new AnswerPipeline({ reader });

/** The real pipeline, counting the questions it was asked. */
class CountingPipeline {
  readonly asked: string[] = [];
  run(input: AnswerInput) {
    this.asked.push(input.question);
    return pipeline.run(input);
  }
}

interface Shop {
  index: KnowledgeIndex;
  thresholds: AnswerThresholds;
  language: 'zh' | 'en' | 'mixed';
}

async function shop(name: string, change?: (set: ShopSet) => void): Promise<Shop> {
  const set = loadShopSet(name);
  change?.(set);
  const index = await buildShopIndex(set);
  const { thresholds } = await new ThresholdCalibrator({
    language: set.language,
    defaults: DEFAULT_THRESHOLDS.lexical,
    reader,
  }).calibrate(index);
  return { index, thresholds, language: set.language };
}

/** Plays a conversation: each call sends one customer message and keeps the new session. */
function conversation(policy: DialoguePolicy, kb: Shop, extra: Partial<TurnInput> = {}) {
  let session: SessionState = newSession('s-1', kb.language);
  const say = async (text: string, more: Partial<TurnInput> = {}) => {
    const result = await policy.run({ session, text, ...kb, ...extra, ...more });
    session = result.session;
    return result;
  };
  return {
    say,
    get session() {
      return session;
    },
    set session(s: SessionState) {
      session = s;
    },
  };
}

let zh: Shop;
let en: Shop;
beforeAll(async () => {
  [zh, en] = await Promise.all([shop('zh-dev'), shop('en-dev')]);
});

describe('DialoguePolicy: follow-ups', () => {
  it('rewrites 能抵多少钱？ after a points question with the topic and answers the redeem entry', async () => {
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), zh);
    const first = await chat.say('积分怎么获得？');
    expect(first.reply?.answer?.source).toMatchObject({ id: 'points-earn' });
    expect(first.reply?.rewrittenQuestion).toBeNull();
    expect(chat.session.topic).toMatchObject({ faqId: 'points-earn' });
    expect(chat.session.topic?.keyTerms).toContain('积分');

    const second = await chat.say('能抵多少钱？');
    expect(second.rewrite?.reason).toBe('ellipsis');
    expect(second.reply?.rewrittenQuestion).toBe('积分能抵多少钱？');
    expect(second.reply?.question).toBe('积分能抵多少钱？');
    // The FAQ's answer, or the span the reader took from it.
    expect(['faq', 'extracted']).toContain(second.reply?.answer?.type);
    expect(second.reply?.answer?.source).toMatchObject({ kind: 'faq', id: 'points-redeem' });

    // The same dialogue without rewriting misses the entry: the rewrite is what answers it.
    const plain = conversation(new DialoguePolicy({ answers: pipeline, rewriteFollowUps: false }), zh);
    await plain.say('积分怎么获得？');
    const unrewritten = await plain.say('能抵多少钱？');
    expect(unrewritten.reply?.answer?.source?.id).not.toBe('points-redeem');
  });

  it('rewrites an English pronoun follow-up with the topic', async () => {
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), en);
    await chat.say('How much is shipping?');
    const hop = await chat.say('And to Alaska?');
    expect(hop.reply?.answer?.source).toMatchObject({ id: 'alaska-hawaii' });
    const third = await chat.say('How long does it take to get there?');
    expect(third.reply?.rewrittenQuestion).toMatch(/alaska/i);
    expect(third.reply?.answer?.answer).toContain('6-10 business days');
  });

  it('leaves a follow-up that names another entry, and a marked topic switch, as they are', async () => {
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), zh);
    await chat.say('支持七天无理由退货吗？');
    const exchange = await chat.say('那换货呢？');
    expect(exchange.rewrite?.reason).toBe('names_other_entry');
    expect(exchange.reply?.rewrittenQuestion).toBeNull();
    // Asked as it is, it finds the exchange entry (answered, or offered first beside 以旧换新 when the
    // calibrated margin calls the two close).
    const answer = exchange.reply?.answer;
    expect(answer?.type === 'clarify' ? answer.options[0]?.faqId : answer?.source?.id).toBe('exchange');
    const other = await chat.say('对了，你们能寄到香港吗？');
    expect(other.rewrite?.reason).toBe('topic_switch');
    expect(other.reply?.question).toBe('对了，你们能寄到香港吗？');
  });
});

describe('DialoguePolicy: a follow-up after a question naming a place', () => {
  /** The shop sets with shipping to Hong Kong for a fee of its own, beside the domestic fee. */
  const shipsToHongKong =
    (id: string, question: string, alternates: string[], answer: string) => (set: ShopSet) => {
      const entry = set.faqs.find((f) => f.id === id)!;
      Object.assign(entry, { question, alternates, answer });
    };

  it('asks "那运费呢？" after 能寄香港吗 for Hong Kong, not the domestic fee', async () => {
    const kb = await shop(
      'zh-dev',
      shipsToHongKong(
        'international-shipping',
        '能寄到香港吗？',
        ['支持港澳台配送吗', '可以发香港吗'],
        '可以寄往香港、澳门和台湾，统一顺丰发货，3-5个工作日送达，运费每单30元，不参与满69元包邮。',
      ),
    );
    for (const [first, next, asked] of [
      ['寄到香港要几天？', '那运费呢', '香港运费？'],
      ['能寄香港吗', '那运费呢？', '香港运费？'],
      ['能寄香港吗', '运费多少？', '香港运费多少？'],
    ]) {
      const chat = conversation(new DialoguePolicy({ answers: pipeline }), kb);
      expect((await chat.say(first)).reply?.answer?.source).toMatchObject({ id: 'international-shipping' });
      const fee = await chat.say(next);
      // Asked as written, it got the shipping-fee entry: 不满69元收取运费8元, the domestic fee.
      expect(fee.rewrite?.reason, next).toBe('place_kept');
      expect(fee.reply?.rewrittenQuestion, next).toBe(asked);
      expect(fee.reply?.text, next).toContain('运费每单30元');
    }
    // What the Hong Kong entry does not speak of is a new question, asked as written.
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), kb);
    await chat.say('能寄香港吗');
    const returns = await chat.say('那退货呢？');
    expect(returns.rewrite?.reason).toBe('names_other_entry');
    expect(returns.reply?.question).toBe('那退货呢？');
    // Without a place before it, the question is asked as written, as before.
    const domestic = conversation(new DialoguePolicy({ answers: pipeline }), kb);
    await domestic.say('快递几天能到？');
    const fee = await domestic.say('那运费呢？');
    expect(fee.reply?.rewrittenQuestion).toBeNull();
    expect(fee.reply?.text).not.toContain('30元');
  });

  it('asks "and the shipping fee?" after "do you ship to Hong Kong?" for Hong Kong', async () => {
    const kb = await shop(
      'en-dev',
      shipsToHongKong(
        'international-shipping',
        'Do you ship internationally?',
        ['Do you ship to Hong Kong?', 'Can I order from the UK?'],
        'We ship to Hong Kong, Canada and the United Kingdom for a flat $25; duties and taxes are charged at checkout.',
      ),
    );
    for (const [next, asked] of [
      // Asked as written: the return label fee, $6.95.
      ['and the shipping fee?', 'the shipping fee to Hong Kong?'],
      // Asked as written: the US shipping cost, $7.95.
      ['how much is shipping?', 'how much is shipping to Hong Kong?'],
    ]) {
      const chat = conversation(new DialoguePolicy({ answers: pipeline }), kb);
      await chat.say('do you ship to Hong Kong?');
      const fee = await chat.say(next);
      expect(fee.reply?.rewrittenQuestion, next).toBe(asked);
      expect(fee.reply?.answer?.source, next).toMatchObject({ id: 'international-shipping' });
    }
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), kb);
    await chat.say('do you ship to Hong Kong?');
    expect((await chat.say('what about returns?')).reply?.rewrittenQuestion).toBeNull();
  });
});

describe('DialoguePolicy: a new question after a topic', () => {
  it('does not glue the topic onto a question about something the KB never mentions', async () => {
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), zh);
    const first = await chat.say('运费怎么算？');
    expect(first.reply?.answer?.source).toMatchObject({ kind: 'faq' });
    for (const text of ['谁是美国总统', '北京今天下雨吗？']) {
      const turn = await chat.say(text);
      expect(turn.rewrite?.reason).toBe('unknown_subject');
      expect(turn.reply?.rewrittenQuestion).toBeNull();
      expect(turn.reply?.answer?.type).toBe('fallback');
    }

    const english = conversation(new DialoguePolicy({ answers: pipeline }), en);
    await english.say('How much is shipping?');
    const joke = await english.say('Tell me a joke');
    expect(joke.rewrite?.reason).toBe('unknown_subject');
    expect(joke.reply?.answer?.type).toBe('fallback');
    // A follow-up in the KB's own words is still read with the topic.
    const hop = await english.say('How much is shipping?');
    expect(hop.reply?.answer?.source).toMatchObject({ kind: 'faq' });
    expect((await english.say('and to Alaska?')).reply?.answer?.source).toMatchObject({
      id: 'alaska-hawaii',
    });
  });

  it('asks a one-character message as written, not as a follow-up on the topic', async () => {
    // Customer QA: 退 after a warranty question was asked as 手机保修退 and answered from warranty.
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), zh);
    const first = await chat.say('手机保修多久？');
    expect(first.reply?.answer?.source).toMatchObject({ id: 'warranty' });
    for (const text of ['退', '退？']) {
      const turn = await chat.say(text);
      expect(turn.rewrite?.reason, text).toBe('too_short');
      expect(turn.reply?.question, text).toBe(text);
      // Asked as written it is too vague to answer: "did you mean" the return entries.
      expect(turn.reply?.answer?.type, text).toBe('clarify');
      expect(
        turn.reply?.answer?.options.map((o) => o.faqId),
        text,
      ).not.toContain('warranty');
    }
    // 嗯 and k acknowledge: small talk, neither glued to the topic nor a fallback.
    const filler = await chat.say('嗯');
    expect(filler.reply).toMatchObject({ kind: 'small_talk', answer: null });

    const english = conversation(new DialoguePolicy({ answers: pipeline }), en);
    await english.say('How much is shipping?');
    const k = await english.say('k');
    expect(k.reply).toMatchObject({ kind: 'small_talk', answer: null, rewrittenQuestion: null });
    // The topic is still there for a real follow-up.
    expect((await english.say('and to Alaska?')).reply?.answer?.source).toMatchObject({
      id: 'alaska-hawaii',
    });
  });
});

describe('DialoguePolicy: "not what I asked"', () => {
  it('offers the other entries the question came close to, then a human, instead of asking the KB', async () => {
    // Customer QA: 不是这个意思 / 答非所问 after an answer fell back with suggestions unrelated to the
    // question (如何取消订单？, 可以换货吗？, 付款失败怎么办？ after a delivery question).
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, zh);
    expect((await chat.say('快递几天能到？')).reply?.answer?.source).toMatchObject({ id: 'delivery-time' });
    const missed = await chat.say('不是这个意思');
    expect(missed.reply?.text).toMatch(/^抱歉，没能答对您的问题。您是想问：/u);
    const offered = chat.session.clarification!.options.map((o) => o.faqId);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered).not.toContain('delivery-time');
    expect(missed.reply?.quickReplies.at(-1)).toEqual({ id: 'handoff', label: '转人工' });
    expect(chat.session.consecutiveFallbacks).toBe(0);
    // An option is picked as any clarification's.
    const picked = await chat.say('', { quickReplyId: missed.reply!.quickReplies[0].id });
    expect(picked.reply?.answer?.source).toMatchObject({ id: offered[0] });
    // After a clarification, or a second time, nothing new is offered: other words, or a human.
    await chat.say('退货');
    expect(chat.session.clarification).not.toBeNull();
    for (const text of ['不对', '答非所问', '都不是'])
      expect((await chat.say(text)).reply, text).toMatchObject({
        kind: 'small_talk',
        text: '抱歉，没能答对您的问题。请换个说法再问一次，或转人工客服。',
        quickReplies: [{ id: 'handoff', label: '转人工' }],
      });

    const english = conversation(policy, en);
    await english.say('How long does delivery take?');
    // None of a clarification's options (before: a fallback).
    await english.say('returns');
    expect(english.session.clarification).not.toBeNull();
    expect((await english.say('none of these')).reply?.text).toBe(
      'Sorry I got that wrong. Try asking in other words, or talk to a human.',
    );
    await english.say('How long does delivery take?');
    const enMissed = await english.say("that's not what I asked");
    expect(enMissed.reply?.text).toMatch(/^Sorry I got that wrong\. Did you mean /u);
    expect(english.session.clarification?.options.map((o) => o.faqId)).not.toContain('delivery-time');
    // A message that says what was meant is a question as any other.
    const meant = conversation(policy, zh);
    await meant.say('快递几天能到？');
    expect((await meant.say('不是，我问的是运费怎么算')).reply?.kind).toBe('answer');
    // Before any answer, a rejection is asked of the KB as before.
    expect((await conversation(policy, zh).say('不对')).reply?.kind).toBe('answer');
  });
});

describe('DialoguePolicy: closing small talk', () => {
  it('forgets the topic after thanks or a goodbye, so the next elliptical question is asked as it is', async () => {
    const cases: Array<[Shop, string, string, string]> = [
      [zh, '积分怎么获得？', '谢谢', '能抵多少钱？'],
      [zh, '积分怎么获得？', '好的谢谢', '能抵多少钱？'],
      [zh, '积分怎么获得？', '拜拜', '能抵多少钱？'],
      [en, 'How much is shipping?', 'thank you', 'How long does it take?'],
      [en, 'How much is shipping?', 'thanks', 'How long does it take?'],
      [en, 'How much is shipping?', 'bye', 'How long does it take?'],
    ];
    for (const [kb, question, closing, followUp] of cases) {
      const chat = conversation(new DialoguePolicy({ answers: pipeline }), kb);
      await chat.say(question);
      expect(chat.session.topic, question).not.toBeNull();
      expect((await chat.say(closing)).reply?.kind, closing).toBe('small_talk');
      expect(chat.session.topic, closing).toBeNull();
      const next = await chat.say(followUp);
      expect(next.rewrite?.reason, `${closing} -> ${followUp}`).toBe('no_topic');
      expect(next.reply?.rewrittenQuestion, `${closing} -> ${followUp}`).toBeNull();
    }
  });

  it('keeps the topic over a greeting or "are you a robot?" in the middle of a conversation', async () => {
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), zh);
    await chat.say('积分怎么获得？');
    for (const text of ['在吗？', '你是机器人吗？']) {
      expect((await chat.say(text)).reply?.kind, text).toBe('small_talk');
      expect(chat.session.topic, text).not.toBeNull();
    }
    expect((await chat.say('能抵多少钱？')).reply?.rewrittenQuestion).toBe('积分能抵多少钱？');
  });
});

describe('DialoguePolicy: clarification follow-through', () => {
  const clarified = async () => {
    const chat = conversation(new DialoguePolicy({ answers: pipeline }), zh);
    const ask = await chat.say('积分规则');
    expect(ask.reply?.answer?.type).toBe('clarify');
    expect(ask.reply?.quickReplies.map((q) => q.id)).toEqual([
      'faq:points-redeem',
      'faq:points-earn',
      'faq:points-expiry',
    ]);
    expect(chat.session.clarification?.options).toHaveLength(3);
    return chat;
  };

  it('answers the option picked by number, ordinal, text or quick reply, without asking retrieval', async () => {
    const picks: Array<[string, string | undefined, string]> = [
      ['2', undefined, 'points-earn'],
      ['第一个', undefined, 'points-redeem'],
      ['积分会过期吗？', undefined, 'points-expiry'],
      ['', 'faq:points-expiry', 'points-expiry'],
    ];
    for (const [text, quickReplyId, faqId] of picks) {
      const chat = await clarified();
      const option = chat.session.clarification!.options.findIndex((o) => o.faqId === faqId) + 1;
      const counting = new CountingPipeline();
      const policy = new DialoguePolicy({ answers: counting });
      const pick = await policy.run({ session: chat.session, text, quickReplyId, ...zh });
      expect(pick.reply?.answer).toMatchObject({ type: 'faq', source: { id: faqId } });
      expect(pick.reply?.answer?.evidence.decision).toEqual({
        code: 'clarification_chosen',
        values: { option },
      });
      expect(pick.reply?.text).toBe([...zh.index.faqs.values()].find((f) => f.id === faqId)!.answer);
      expect(pick.session.clarification).toBeNull();
      expect(pick.session.topic?.faqId).toBe(faqId);
      expect(counting.asked).toEqual([]);
    }
  });

  it('treats a reply that picks nothing as a new question', async () => {
    const chat = await clarified();
    const next = await chat.say('下单后多久发货？');
    expect(next.reply?.answer?.source).toMatchObject({ id: 'dispatch-time' });
    expect(chat.session.clarification).toBeNull();
  });
});

describe('DialoguePolicy: small talk', () => {
  it('answers greetings, thanks, goodbyes and "are you a robot" in the customer’s language without retrieval', async () => {
    const counting = new CountingPipeline();
    const policy = new DialoguePolicy({ answers: counting });
    const cases: Array<[Shop, string, RegExp]> = [
      [zh, '你好', /您好/],
      [zh, '谢谢！', /不客气/],
      [zh, '你是机器人吗？', /机器人/],
      [zh, '拜拜', /再见/],
      [en, 'Hi there', /Hello/],
      [en, 'thanks so much', /welcome/],
      [en, 'Are you a robot?', /virtual assistant/],
      [en, 'bye', /Goodbye/],
    ];
    for (const [kb, text, reply] of cases) {
      const result = await policy.run({ session: newSession('s', kb.language), text, ...kb });
      expect(result.reply?.kind, text).toBe('small_talk');
      expect(result.reply?.text, text).toMatch(reply);
      expect(result.reply?.answer).toBeNull();
    }
    expect(counting.asked).toEqual([]);
    // A question with a greeting word in it is a question.
    await policy.run({ session: newSession('s', 'zh'), text: '你好，运费怎么算？', ...zh });
    expect(counting.asked).toEqual(['你好，运费怎么算？']);
  });
});

describe('DialoguePolicy: handoff', () => {
  it('queues on 转人工, stays silent with the agent, and answers again once handed back', async () => {
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, zh);
    const request = await chat.say('转人工');
    expect(request.reply).toMatchObject({ kind: 'handoff', text: expect.stringContaining('人工客服') });
    expect(request.events).toEqual([{ type: 'handoff_requested', reason: 'customer_request' }]);
    expect(chat.session.handoff).toBe('waiting_for_agent');

    const waiting = await chat.say('人呢？');
    expect(waiting.reply).toBeNull();
    expect(waiting.events).toEqual([{ type: 'customer_message_for_agent', text: '人呢？' }]);

    const joined = policy.agent(chat.session, { type: 'join', agentId: 'a-1' });
    expect(joined.events).toEqual([{ type: 'agent_joined', agentId: 'a-1' }]);
    chat.session = joined.session;
    const withAgent = await chat.say('运费怎么算？');
    expect(withAgent.reply).toBeNull();
    expect(withAgent.events).toEqual([{ type: 'customer_message_for_agent', text: '运费怎么算？' }]);

    const back = policy.agent(chat.session, { type: 'hand_back', agentId: 'a-1' });
    expect(back.session.handoff).toBe('bot');
    expect(back.reply?.text).toMatch(/智能客服/);
    chat.session = back.session;
    const answered = await chat.say('运费怎么算？');
    expect(answered.reply?.answer?.source).toMatchObject({ id: 'shipping-fee' });
  });

  it('an agent who leaves and does not come back: the bot says so and answers again', async () => {
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, zh);
    await chat.say('转人工');
    chat.session = policy.agent(chat.session, { type: 'join', agentId: 'a-1' }).session;
    const left = policy.agent(chat.session, { type: 'agent_left' });
    expect(left.events).toEqual([{ type: 'agent_left' }]);
    expect(left.session.handoff).toBe('bot');
    expect(left.reply).toMatchObject({ kind: 'handoff', text: expect.stringContaining('人工客服已离开') });
    chat.session = left.session;
    expect((await chat.say('运费怎么算？')).reply?.answer?.source).toMatchObject({ id: 'shipping-fee' });
  });

  it('the customer stops waiting, or leaving a message: the bot says so and answers again', async () => {
    const policy = new DialoguePolicy({ answers: pipeline });
    for (const agentsAvailable of [true, false]) {
      const chat = conversation(policy, zh, { agentsAvailable });
      await chat.say('转人工');
      const waited = chat.session.handoff;
      expect(waited).toBe(agentsAvailable ? 'waiting_for_agent' : 'leaving_message');
      const cancelled = policy.cancelHandoff(chat.session);
      expect(cancelled.events).toEqual([{ type: 'handoff_cancelled', from: waited }]);
      expect(cancelled.reply).toMatchObject({
        kind: 'handoff',
        text: expect.stringContaining('已取消转人工'),
      });
      expect(cancelled.session.handoff).toBe('bot');
      chat.session = cancelled.session;
      // Pressed twice: nothing more to cancel, nothing said.
      expect(policy.cancelHandoff(chat.session)).toMatchObject({ events: [], reply: null });
      const answered = await chat.say('运费怎么算？');
      expect(answered.reply?.answer?.source).toMatchObject({ id: 'shipping-fee' });
      expect(answered.events).toEqual([]);
    }
  });

  it('on a mixed-language KB, answers a message without letters in the customer’s language', async () => {
    // Customer QA in the Chinese demo widget: 😡 or an order number alone got 'Sorry, I couldn't find an
    // answer to that…', English to a customer who had written Chinese (a message without letters
    // read as not Chinese, so English).
    const policy = new DialoguePolicy({ answers: pipeline });
    const mixed: Shop = { ...zh, language: 'mixed' };
    const chat = conversation(policy, mixed);
    await chat.say('运费怎么算？');
    for (const text of ['😡', '2024120512345', '？？'])
      expect((await chat.say(text)).reply?.text, text).toMatch(/^抱歉|^请问有什么可以帮您/u);
    expect((await chat.say('🙂')).reply?.text).toBe('好的，还有其他问题随时问我。');
    // The first message of a conversation: Chinese, as the notices are.
    expect((await conversation(policy, mixed).say('😡')).reply?.text).toMatch(/^抱歉/u);
    const english = conversation(policy, { ...en, language: 'mixed' });
    await english.say('How much is shipping?');
    expect((await english.say('2024120512345')).reply?.text).toMatch(/^Sorry/u);
    expect((await english.say('👍')).reply?.text).toBe('OK. Anything else I can help with?');
    // "ok" is written alike in Chinese and English: the customer's language (before: always Chinese).
    expect((await english.say('ok')).reply?.text).toBe('OK. Anything else I can help with?');
    expect((await chat.say('ok')).reply?.text).toBe('好的，还有其他问题随时问我。');
    // After an emoji, the customer's language is still that of their last words.
    expect((await english.say('😡')).reply?.text).toMatch(/^Sorry/u);
  });

  it("answers a first message without letters in the widget's language, until the customer writes words", async () => {
    // Customer QA (the English demo widget): a first 😡 was answered 抱歉… (no words yet: Chinese).
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, en, { language: 'mixed' });
    chat.session = newSession('s-widget-en', 'mixed', 'en');
    expect(customerLanguage(chat.session)).toBe('en');
    expect((await chat.say('😡')).reply?.text).toMatch(/^Sorry/u);
    expect((await chat.say('👍')).reply?.text).toBe('OK. Anything else I can help with?');
    // Words say more than the widget: a Chinese customer in the English widget gets Chinese.
    await chat.say('运费怎么算？');
    expect((await chat.say('😡')).reply?.text).toMatch(/^抱歉/u);
    // Stored and read back (the conversation row's JSON); a foreign value is dropped.
    expect(parseSessionState(JSON.stringify(newSession('s', 'mixed', 'en'))).widgetLanguage).toBe('en');
    expect(parseSessionState({ ...newSession('s', 'mixed'), widgetLanguage: 'fr' })).not.toHaveProperty(
      'widgetLanguage',
    );
  });

  it('answers messages without letters in the language a resume switched the widget to', async () => {
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, en, { language: 'mixed' });
    chat.session = newSession('s-resumed', 'mixed', 'en');
    await chat.say('How much is shipping?');
    expect((await chat.say('😡')).reply?.text).toMatch(/^Sorry/u);
    // The same language (a reload), or none (an older widget): nothing changes.
    expect(resumedInLanguage(chat.session, 'en')).toBeNull();
    expect(resumedInLanguage(chat.session, undefined)).toBeNull();
    // Resumed in the Chinese widget: ahead of the English words written before.
    chat.session = resumedInLanguage(chat.session, 'zh', new Date(Date.now() + 1000))!;
    expect(customerLanguage(chat.session)).toBe('zh');
    const read = parseSessionState(JSON.stringify(chat.session));
    expect(read).toMatchObject({ widgetLanguage: 'zh', widgetLanguageAt: chat.session.widgetLanguageAt });
    expect(customerLanguage(read)).toBe('zh');
  });

  it('on a mixed-language KB, words the notices the customer did not write to in their last message’s language', async () => {
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, en, { language: 'mixed' });
    chat.session = newSession('s-mixed', 'mixed');
    await chat.say('How much is shipping?');
    expect(customerLanguage(chat.session)).toBe('en');
    await chat.say('Talk to a human');
    const cancelled = policy.cancelHandoff(chat.session);
    expect(cancelled.reply?.text).toMatch(/virtual assistant/);
    await chat.say('Talk to a human');
    const joined = policy.agent(chat.session, { type: 'join', agentId: 'a-1' }).session;
    expect(policy.agent(joined, { type: 'hand_back', agentId: 'a-1' }).reply?.text).toMatch(
      /virtual assistant/,
    );
    // A Chinese customer of the same KB, and a mixed session nobody wrote in yet, read Chinese.
    const zhChat = conversation(policy, zh, { language: 'mixed' });
    zhChat.session = newSession('s-mixed-zh', 'mixed');
    expect(customerLanguage(zhChat.session)).toBe('zh');
    await zhChat.say('转人工');
    expect(policy.cancelHandoff(zhChat.session).reply?.text).toContain('已取消转人工');
  });

  it('English requests too; with no agent online the customer is told so and leaves a message', async () => {
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, en, { agentsAvailable: false });
    const request = await chat.say('Can I talk to a human please?');
    expect(request.events).toEqual([{ type: 'agent_unavailable', reason: 'customer_request' }]);
    expect(request.reply?.text).toMatch(/no agent is online/);
    expect(chat.session.handoff).toBe('leaving_message');
    const message = await chat.say('Please call me back about order 1234, 555-0100');
    expect(message.events).toEqual([
      { type: 'message_left', text: 'Please call me back about order 1234, 555-0100' },
    ]);
    expect(message.reply?.kind).toBe('message_left');
    expect(chat.session).toMatchObject({ handoff: 'bot', messagesLeft: 1 });
  });

  it('with no agent online, the angry message is kept as the start of the left message, not lost', async () => {
    // Customer QA: 你们怎么回事？都一个星期了还没发货！ with no agent online was apologised for and the
    // customer asked to leave a message: the complaint itself was not left, so they had to write it
    // again and the agent never saw it.
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, zh, { agentsAvailable: false });
    const angry = '你们怎么回事？都一个星期了还没发货！';
    const first = await chat.say(angry);
    expect(first.events).toEqual([
      { type: 'agent_unavailable', reason: 'customer_request' },
      { type: 'message_left', text: angry },
    ]);
    expect(first.reply).toMatchObject({
      kind: 'handoff',
      text: '非常抱歉给您带来不好的体验。现在没有人工客服在线，您的这条消息已留给人工客服。请补充您的问题和联系方式，我们会尽快回复您。',
    });
    // The offer stays open for the rest: what the customer writes next is left after it.
    expect(chat.session).toMatchObject({ handoff: 'leaving_message', messagesLeft: 1 });
    const rest = await chat.say('订单号 20261201，手机 13800000000');
    expect(rest.events).toEqual([{ type: 'message_left', text: '订单号 20261201，手机 13800000000' }]);
    expect(rest.reply?.text).toBe('已收到您的留言，人工客服会尽快回复您。');
    expect(chat.session).toMatchObject({ handoff: 'bot', messagesLeft: 2 });
    // In English too; declining to add more leaves the complaint with the agents.
    const english = conversation(policy, en, { agentsAvailable: false });
    const fed = await english.say("I'm fed up, my parcel is two weeks late");
    expect(fed.events).toContainEqual({
      type: 'message_left',
      text: "I'm fed up, my parcel is two weeks late",
    });
    expect(fed.reply?.text).toBe(
      "I'm sorry about this. No agent is online right now: your message has been left for an agent. Add your question and contact details and we will get back to you.",
    );
    const never = await english.say('never mind');
    expect(never.events).toEqual([{ type: 'handoff_cancelled', from: 'leaving_message' }]);
    expect(english.session).toMatchObject({ handoff: 'bot', messagesLeft: 1 });
    // A plain request for a person leaves nothing yet: the customer has said nothing to leave.
    const plain = await conversation(policy, zh, { agentsAvailable: false }).say('转人工');
    expect(plain.events).toEqual([{ type: 'agent_unavailable', reason: 'customer_request' }]);
  });

  it('a complaint asks for a human; a question about how to complain is asked of the KB', async () => {
    // Customer QA: 我要投诉 was asked of the FAQ (the contact entry's phone number, or a fallback).
    const policy = new DialoguePolicy({ answers: pipeline });
    const requests: [Shop, string][] = [
      [zh, '我要投诉'],
      [zh, '投诉！'],
      [zh, '我要投诉你们的快递员，态度太差了'],
      [zh, '我要找人工'],
      [en, 'I want to complain'],
      [en, "I'd like to make a complaint about my order"],
      [en, 'complaint!'],
    ];
    for (const [kb, text] of requests) {
      const chat = conversation(policy, kb, { agentsAvailable: false });
      const turn = await chat.say(text);
      // A complaint is the start of the message left for an agent; a plain request leaves nothing.
      expect(turn.events, text).toEqual([
        { type: 'agent_unavailable', reason: 'customer_request' },
        ...(text === '我要找人工' ? [] : [{ type: 'message_left', text }]),
      ]);
      expect(turn.reply?.kind, text).toBe('handoff');
      expect(chat.session.handoff, text).toBe('leaving_message');
    }
    const questions: [Shop, string][] = [
      [zh, '投诉电话是多少'],
      [zh, '我要投诉，找谁'],
      [zh, '怎么投诉？'],
      [en, 'How do I make a complaint?'],
      [en, 'Is there an email I can send a complaint to?'],
    ];
    for (const [kb, text] of questions) {
      const chat = conversation(policy, kb, { agentsAvailable: false });
      const turn = await chat.say(text);
      expect(turn.events, text).toEqual([]);
      expect(turn.reply?.kind, text).toBe('answer');
      expect(chat.session.handoff, text).toBe('bot');
    }
    const zhQuestion = await conversation(policy, zh).say('投诉电话是多少');
    expect(zhQuestion.reply?.answer?.source).toMatchObject({ id: 'contact' });
  });

  it('a request made of the word alone (人工, agent, human please), or for a manager or a real human, asks for a human', async () => {
    // Customer QA: these were asked of the FAQ, and the contact entry told the customer to press the
    // headset button themselves ('或在聊天窗口中点击耳机图标“转人工”').
    const policy = new DialoguePolicy({ answers: pipeline });
    const requests: [Shop, string][] = [
      [zh, '人工'],
      [zh, '人工！'],
      [zh, '我要人工'],
      [zh, '找客服'],
      [zh, '真人'],
      [en, 'agent'],
      [en, 'Human please'],
      [en, 'representative'],
      [en, 'I need an agent'],
      [en, 'connect me to an agent'],
      // Asked of the FAQ too (fallbacks): a manager, a real human, not the bot.
      [zh, '我要找你们经理'],
      [zh, '能不能找个真人'],
      [zh, '我不要机器人'],
      [en, 'I want to speak with a manager'],
      [en, 'Is there a person I can talk to?'],
      [en, 'can a real human help me'],
      [en, "I don't want a bot"],
    ];
    for (const [kb, text] of requests) {
      const turn = await conversation(policy, kb).say(text);
      expect(turn.events, text).toEqual([{ type: 'handoff_requested', reason: 'customer_request' }]);
      expect(turn.reply?.text, text).toMatch(
        /^(正在为您转接人工客服，请稍候。|Connecting you to a human agent)/u,
      );
    }
    // Questions about agents, and "are you human?", stay questions and small talk.
    for (const [kb, text] of [
      [zh, '客服几点上班？'],
      [zh, '客服在吗'],
      [en, 'what hours are your agents available?'],
      [en, 'Are you human?'],
    ] as [Shop, string][]) {
      const turn = await conversation(policy, kb).say(text);
      expect(turn.events, text).toEqual([]);
      expect(turn.reply?.kind, text).not.toBe('handoff');
    }
  });

  it('anger at the shop is apologised for and handed to a human; a plain question about a delay is asked of the KB', async () => {
    // Customer QA: these fell back, or got the service hours or the tracking entry, without a person.
    const policy = new DialoguePolicy({ answers: pipeline });
    const angry: [Shop, string][] = [
      [zh, '你们怎么回事？都一个星期了还没发货！'],
      [zh, '什么破服务，客服到底有没有人？'],
      [zh, '都三天了还没到，气死我了'],
      [zh, '无语'],
      [en, 'This is ridiculous, where is my order??'],
      [en, "Worst service ever, I've been waiting two weeks"],
      [en, 'this is unacceptable'],
    ];
    for (const [kb, text] of angry) {
      const queued = await conversation(policy, kb).say(text);
      expect(queued.events, text).toEqual([{ type: 'handoff_requested', reason: 'customer_request' }]);
      expect(queued.reply?.text, text).toMatch(
        /^(非常抱歉给您带来不好的体验，正在为您转接人工客服|I'm sorry about this\. Connecting you)/u,
      );
      const chat = conversation(policy, kb, { agentsAvailable: false });
      const left = await chat.say(text);
      expect(left.reply?.text, text).toMatch(
        /^(非常抱歉给您带来不好的体验。现在没有人工客服在线|I'm sorry about this\. No agent is online)/u,
      );
      expect(chat.session.handoff, text).toBe('leaving_message');
    }
    // A complaint is apologised for too; a plain request for a person is not.
    expect((await conversation(policy, zh).say('我要投诉')).reply?.text).toBe(
      '非常抱歉给您带来不好的体验，正在为您转接人工客服，请稍候。',
    );
    expect((await conversation(policy, zh).say('转人工')).reply?.text).toBe('正在为您转接人工客服，请稍候。');
    expect((await conversation(policy, zh).say('还有没有人工客服在线？')).reply?.text).toBe(
      '正在为您转接人工客服，请稍候。',
    );
    // Questions, however impatient, and words that only look like anger, stay the KB's.
    const questions: [Shop, string][] = [
      [zh, '怎么还没发货'],
      [zh, '为什么还没发货？'],
      [zh, '订单显示签收了是怎么回事？'],
      [zh, '垃圾袋有几种尺寸'],
      [zh, '还有没有货'],
      [zh, '这个价格离谱吗'],
      [en, 'where is my order??'],
      [en, 'Why has my order not shipped yet?'],
      [en, 'What is the worst case delivery time?'],
      [en, 'Is this email a scam?'],
    ];
    for (const [kb, text] of questions) {
      const turn = await conversation(policy, kb).say(text);
      expect(turn.events, text).toEqual([]);
      expect(turn.reply?.kind, text).toBe('answer');
    }
  });

  it('a message left without contact details says the reply comes here and asks for them, without making them', async () => {
    // Customer QA: after the hand-off that fallbacks bring, with no agent online, the customer's next
    // question was left for an agent with no phone or email and told 已收到您的留言，人工客服会尽快回复您：
    // a promise nobody can keep once they leave the chat.
    const policy = new DialoguePolicy({ answers: pipeline, handoffAfterFallbacks: 2 });
    const zhChat = conversation(policy, zh, { agentsAvailable: false });
    await zhChat.say('退休金怎么领取？');
    await zhChat.say('个人所得税退税怎么申请？');
    expect(zhChat.session.handoff).toBe('leaving_message');
    const left = await zhChat.say('运费怎么算？');
    expect(left.events).toEqual([{ type: 'message_left', text: '运费怎么算？' }]);
    expect(left.reply).toMatchObject({
      kind: 'message_left',
      text: '已收到您的留言，人工客服上线后会在这里回复您。您没有留下联系方式：如果您可能先离开，可以发送手机号或邮箱，我们会通过它联系您。',
    });
    expect(zhChat.session.handoff).toBe('bot');
    const contact = await zhChat.say('我的手机 13800000000');
    expect(contact.events).toEqual([{ type: 'message_left', text: '我的手机 13800000000' }]);
    expect(contact.reply).toMatchObject({
      kind: 'message_left',
      text: '已记下您的联系方式，人工客服会尽快联系您。',
    });
    expect(zhChat.session).toMatchObject({ handoff: 'bot', messagesLeft: 2 });
    // Not made to: the bot answers the next question, phone number or not.
    const asked = await zhChat.say('运费怎么算？');
    expect(asked.events).toEqual([]);
    expect(asked.reply?.answer?.source).toMatchObject({ id: 'shipping-fee' });

    // A customer who does not send them is answered by the bot.
    const enChat = conversation(policy, en, { agentsAvailable: false });
    await enChat.say('Talk to a human');
    const enLeft = await enChat.say('My tent pole arrived broken');
    expect(enLeft.reply?.text).toBe(
      'Thanks, your message has been left for an agent, who will reply here once online. You left no contact details: if you may leave before then, send a phone number or email and we will contact you there.',
    );
    const enNext = await enChat.say('How much is shipping?');
    expect(enNext.events).toEqual([]);
    expect(enNext.reply?.kind).toBe('answer');
    expect(enChat.session.messagesLeft).toBe(1);

    // With contact details in the message left, the receipt is as before; a number sent later is
    // left too (asked of the KB, it got the shop's own phone number).
    const withContact = conversation(policy, en, { agentsAvailable: false });
    await withContact.say('Talk to a human');
    const enContact = await withContact.say('Call me about order 1234: +1 555 0100, li@example.com');
    expect(enContact.reply?.text).toBe(
      'Thanks, your message has been passed on: an agent will get back to you soon.',
    );
    const later = await withContact.say('my number is +1 555 0199');
    expect(later.events).toEqual([{ type: 'message_left', text: 'my number is +1 555 0199' }]);
    expect(later.reply?.text).toBe(
      'Thanks, we have your contact details: an agent will get back to you soon.',
    );
  });

  it('while waiting for an agent, "算了不等了" cancels the wait; anything else goes to the agent', async () => {
    const policy = new DialoguePolicy({ answers: pipeline });
    for (const [kb, text] of [
      [zh, '算了不等了'],
      [zh, '不用了'],
      [en, 'never mind'],
    ] as [Shop, string][]) {
      const chat = conversation(policy, kb);
      await chat.say('转人工');
      expect(chat.session.handoff).toBe('waiting_for_agent');
      const turn = await chat.say(text);
      expect(turn.events, text).toEqual([{ type: 'handoff_cancelled', from: 'waiting_for_agent' }]);
      expect(turn.reply?.text, text).toMatch(
        /^(好的，已取消转人工|OK, you are back with the virtual assistant)/u,
      );
      expect(chat.session.handoff, text).toBe('bot');
    }
    const chat = conversation(policy, zh);
    await chat.say('转人工');
    const meanwhile = await chat.say('我的订单号是12345');
    expect(meanwhile.events).toEqual([{ type: 'customer_message_for_agent', text: '我的订单号是12345' }]);
    expect(meanwhile.reply).toBeNull();
  });

  it('while leaving a message, "算了" cancels it and an OK asks what to leave, neither left for an agent', async () => {
    // Customer QA: '好的' to the no-agent offer, or '算了不用了', was left in the agents' inbox with the
    // receipt asking for contact details.
    const policy = new DialoguePolicy({ answers: pipeline });
    for (const [kb, text] of [
      [zh, '算了不用了'],
      [zh, '那算了'],
      [zh, '不用了，谢谢'],
      [zh, '再见'],
      [en, 'never mind'],
      [en, "no thanks, it's ok"],
      [en, 'bye'],
    ] as [Shop, string][]) {
      const chat = conversation(policy, kb, { agentsAvailable: false });
      await chat.say('转人工');
      const turn = await chat.say(text);
      expect(turn.events, text).toEqual([{ type: 'handoff_cancelled', from: 'leaving_message' }]);
      expect(turn.reply, text).toMatchObject({ kind: 'handoff' });
      expect(turn.reply?.text, text).toMatch(
        /^(好的，已取消转人工|OK, you are back with the virtual assistant)/u,
      );
      expect(chat.session).toMatchObject({ handoff: 'bot', messagesLeft: 0 });
    }
    for (const [kb, text, reply] of [
      [zh, '好的', '好的。如需留言，请直接输入您的问题和联系方式；不需要的话，点击“返回智能客服”即可。'],
      [zh, '谢谢', '好的。如需留言，请直接输入您的问题和联系方式；不需要的话，点击“返回智能客服”即可。'],
      [
        en,
        'ok thanks',
        'OK. To leave a message, type your question and contact details; otherwise press “Back to the assistant”.',
      ],
    ] as [Shop, string, string][]) {
      const chat = conversation(policy, kb, { agentsAvailable: false });
      await chat.say('转人工');
      const turn = await chat.say(text);
      expect(turn.events, text).toEqual([]);
      expect(turn.reply, text).toMatchObject({ kind: 'small_talk', text: reply });
      expect(chat.session.handoff, text).toBe('leaving_message');
      // What comes next is the message.
      const left = await chat.say('我的包裹破损了，电话13800000000');
      expect(left.reply?.kind, text).toBe('message_left');
    }
  });

  it('contact details sent with a new question are left for the agent, and the question is answered', async () => {
    // Customer QA: '13800000000，另外运费怎么算？' after a message left without contact details was
    // only left for the agent ('已记下您的联系方式…'): the question was never answered.
    const policy = new DialoguePolicy({ answers: pipeline });
    const zhChat = conversation(policy, zh, { agentsAvailable: false });
    await zhChat.say('转人工');
    await zhChat.say('我的包裹破损了');
    const both = await zhChat.say('13800000000，另外运费怎么算？');
    expect(both.events).toEqual([{ type: 'message_left', text: '13800000000，另外运费怎么算？' }]);
    expect(both.reply?.kind).toBe('answer');
    expect(both.reply?.answer?.source).toMatchObject({ id: 'shipping-fee' });
    expect(both.reply?.text).toBe(
      '已记下您的联系方式，人工客服会尽快联系您。\n' + both.reply?.answer?.answer,
    );
    expect(zhChat.session.turns.at(-1)).toMatchObject({
      user: '13800000000，另外运费怎么算？',
      faqId: 'shipping-fee',
    });
    expect(zhChat.session.messagesLeft).toBe(2);
    // The topic is the question's: a follow-up leans on it.
    expect(zhChat.session.topic).toMatchObject({ faqId: 'shipping-fee' });

    // Sent after another question, the number is still left; with only the words that give it, no
    // question is asked; a question the KB cannot answer stays with the left message.
    for (const [after, text] of [
      ['运费怎么算？', '我的手机 13800000000'],
      [null, '我的手机 13800000000，请尽快联系我，谢谢'],
      [null, '电话13800000000，退休金怎么领取？'],
    ] as const) {
      const chat = conversation(policy, zh, { agentsAvailable: false });
      await chat.say('转人工');
      await chat.say('我的包裹破损了');
      if (after) expect((await chat.say(after)).reply?.kind).toBe('answer');
      const turn = await chat.say(text);
      expect(turn.events, text).toEqual([{ type: 'message_left', text }]);
      expect(turn.reply, text).toMatchObject({
        kind: 'message_left',
        text: '已记下您的联系方式，人工客服会尽快联系您。',
      });
    }

    const enChat = conversation(policy, en, { agentsAvailable: false });
    await enChat.say('Talk to a human');
    await enChat.say('My tent pole arrived broken');
    const en2 = await enChat.say('my email is li@example.com. how much is shipping?');
    expect(en2.events).toEqual([
      { type: 'message_left', text: 'my email is li@example.com. how much is shipping?' },
    ]);
    expect(en2.reply?.question).toBe('how much is shipping?');
    expect(en2.reply?.answer?.source).toMatchObject({ id: 'shipping-cost' });
    expect(en2.reply?.text).toMatch(
      /^Thanks, we have your contact details: an agent will get back to you soon\.\nStandard shipping/u,
    );

    // A number in a question before any message was left is only a question.
    const plainChat = conversation(policy, zh);
    expect((await plainChat.say('手机号13800000000换了，怎么改收货地址？')).events).toEqual([]);
  });

  it('hands off after N fallbacks in a row (configurable), and an answer in between resets the count', async () => {
    const policy = new DialoguePolicy({ answers: pipeline, handoffAfterFallbacks: 2 });
    const chat = conversation(policy, zh);
    const first = await chat.say('退休金怎么领取？');
    expect(first.reply?.answer?.type).toBe('fallback');
    expect(first.reply?.quickReplies.at(-1)).toEqual({ id: 'handoff', label: '转人工' });
    expect(chat.session.consecutiveFallbacks).toBe(1);
    await chat.say('运费怎么算？');
    expect(chat.session.consecutiveFallbacks).toBe(0);
    await chat.say('退休金怎么领取？');
    const second = await chat.say('个人所得税退税怎么申请？');
    expect(second.reply?.kind).toBe('handoff');
    expect(second.events).toEqual([{ type: 'handoff_requested', reason: 'consecutive_fallbacks' }]);
    expect(chat.session.handoff).toBe('waiting_for_agent');
  });

  it('in English, the hand-off after fallbacks reads as sentences, queued or with no agent online', async () => {
    const policy = new DialoguePolicy({ answers: pipeline, handoffAfterFallbacks: 2 });
    for (const agentsAvailable of [false, true]) {
      const chat = conversation(policy, en, { agentsAvailable });
      await chat.say('Who won the football world cup in 1998?');
      const second = await chat.say('Write me a poem about the sea');
      expect(second.reply?.kind).toBe('handoff');
      const handoffLine = second.reply!.text.split('\n').at(-1)!;
      // It read "It looks like I couldn't help, Sorry, no agent is online right now."
      expect(handoffLine).toBe(
        agentsAvailable
          ? "It looks like I couldn't help. Connecting you to a human agent, please wait."
          : "It looks like I couldn't help. Sorry, no agent is online right now. Leave a message with your question and contact details and we will get back to you.",
      );
    }
    const zhChat = conversation(policy, zh, { agentsAvailable: false });
    await zhChat.say('退休金怎么领取？');
    const zhSecond = await zhChat.say('个人所得税退税怎么申请？');
    expect(zhSecond.reply!.text.split('\n').at(-1)).toBe(
      '看来我没能帮到您，抱歉，现在没有人工客服在线。请留下您的问题和联系方式，我们会尽快回复您。',
    );
  });

  it('an OK after an answer is acknowledged: not the same answer again, not a fallback, the topic kept', async () => {
    // Customer QA: 好的 after a return-shipping answer was asked as 货运费好的 and got that answer
    // again; 👍 and "alright" got "couldn't find an answer", each counting towards the hand-off.
    const policy = new DialoguePolicy({ answers: pipeline, handoffAfterFallbacks: 2 });
    const chat = conversation(policy, zh);
    await chat.say('退休金怎么领取？');
    expect(chat.session.consecutiveFallbacks).toBe(1);
    for (const text of ['好的', '👍', '收到']) {
      const turn = await chat.say(text);
      expect(turn.reply, text).toMatchObject({ kind: 'small_talk', text: '好的，还有其他问题随时问我。' });
      expect(turn.events, text).toEqual([]);
    }
    expect(chat.session.consecutiveFallbacks).toBe(1);
    expect(chat.session.handoff).toBe('bot');
    const english = conversation(policy, en);
    await english.say('How much is shipping?');
    expect((await english.say('ok')).reply?.text).toBe('OK. Anything else I can help with?');
    expect((await english.say('and to Alaska?')).reply?.answer?.source).toMatchObject({
      id: 'alaska-hawaii',
    });
  });

  it('a closed session reopens with the bot on the next message', async () => {
    const policy = new DialoguePolicy({ answers: pipeline });
    const chat = conversation(policy, zh);
    await chat.say('人工客服');
    chat.session = policy.agent(chat.session, { type: 'join', agentId: 'a-1' }).session;
    const closed = policy.agent(chat.session, { type: 'close', agentId: 'a-1' });
    expect(closed.session.handoff).toBe('closed');
    chat.session = closed.session;
    const again = await chat.say('运费怎么算？');
    expect(again.events).toEqual([{ type: 'session_reopened' }]);
    expect(again.reply?.answer?.source).toMatchObject({ id: 'shipping-fee' });
  });
});

describe('DialoguePolicy: session state', () => {
  it('round-trips through JSON between turns, topic and history included', async () => {
    const policy = new DialoguePolicy({ answers: pipeline, historyTurns: 3 });
    const chat = conversation(policy, zh);
    await chat.say('你好');
    await chat.say('积分怎么获得？');
    chat.session = parseSessionState(JSON.stringify(chat.session));
    const followUp = await chat.say('能抵多少钱？');
    expect(followUp.reply?.rewrittenQuestion).toBe('积分能抵多少钱？');
    await chat.say('谢谢');
    expect(chat.session.turns.map((t) => t.user)).toEqual(['积分怎么获得？', '能抵多少钱？', '谢谢']);
    expect(chat.session.turns[1]).toMatchObject({ asked: '积分能抵多少钱？', faqId: 'points-redeem' });
    expect(parseSessionState(JSON.parse(JSON.stringify(chat.session)))).toEqual(chat.session);
    expect(() => parseSessionState('{"id": 3}')).toThrow(/not a dialogue session state/);
  });
});
