import { describe, expect, it } from 'vitest';
import { FollowUpRewriter } from './follow-up-rewriter';
import type { SessionTopic } from './session-state';

const rewriter = new FollowUpRewriter();
const faqs = [
  { id: 'express', question: 'Do you offer expedited shipping?', alternates: ['overnight shipping'] },
  { id: 'shipping-cost', question: 'How much is shipping?', alternates: [] },
  { id: 'exchange', question: 'Can I exchange an item?', alternates: [] },
  { id: 'invoice', question: '可以开发票吗？', alternates: [] },
  { id: 'vat', question: '可以开增值税专用发票吗？', alternates: ['专票怎么开'] },
  { id: 'hours', question: '客服几点下班？', alternates: [] },
];
const vocabulary = rewriter.vocabulary(faqs);
const topic = (faqId: string, question: string): SessionTopic => {
  const faq = faqs.find((f) => f.id === faqId)!;
  return {
    faqId,
    faqQuestion: faq.question,
    question,
    ...rewriter.keyTerms(question, [faq.question, ...faq.alternates], vocabulary),
  };
};

describe('FollowUpRewriter', () => {
  it('puts the topic in place of a pronoun', () => {
    const t = topic('express', 'Do you offer expedited shipping?');
    expect(t).toMatchObject({ keyTerms: ['expedited', 'shipping'], subjectTerms: ['shipping'] });
    expect(rewriter.rewrite('how much is it?', t, vocabulary)).toEqual({
      question: 'how much is expedited shipping?',
      rewritten: true,
      reason: 'ellipsis',
    });
  });

  it('keeps in the subject what the customer named that only the answer mentions (Australia)', () => {
    const shop = [
      {
        id: 'intl',
        question: 'Do you ship internationally?',
        alternates: ['Which countries do you ship to?'],
      },
      { id: 'canada', question: 'Do you ship to Canada?', alternates: [] },
      { id: 'cost', question: 'How much does shipping cost?', alternates: [] },
    ];
    const words = rewriter.vocabulary(shop);
    const answer = 'We ship to Canada, the UK and Australia. International shipping costs $19.99.';
    const t = rewriter.keyTerms(
      'do u ship to australia',
      [shop[0].question, ...shop[0].alternates, answer],
      words,
    );
    // "ship" alone sent "how much?" to the US shipping cost: $5.99 for a parcel to Australia.
    expect(t).toMatchObject({ keyTerms: ['australia', 'ship'], subjectTerms: ['australia', 'ship'] });
    const topicIntl: SessionTopic = {
      faqId: 'intl',
      faqQuestion: shop[0].question,
      question: 'do u ship to australia',
      ...t,
    };
    expect(rewriter.rewrite('how much?', topicIntl, words).question).toBe('australia ship: how much?');
    // The aspect only the topic's own entry asks about still stays out (expedited, above).
  });

  it('leaves a message naming what the KB never mentions alone, but not for a modal on its verb', () => {
    // The KB uses every word but these (KnowledgeIndex.mentions answers this in the product).
    const mentioned = (word: string) => !['美国', '总统', 'joke', '能换', '换'].includes(word);
    const shipping = topic('shipping-cost', 'How much is shipping?');
    expect(rewriter.rewrite('Tell me a joke', shipping, vocabulary, mentioned)).toMatchObject({
      rewritten: false,
      reason: 'unknown_subject',
    });
    expect(
      rewriter.rewrite('谁是美国总统', topic('hours', '客服几点下班？'), vocabulary, mentioned),
    ).toMatchObject({
      rewritten: false,
      reason: 'unknown_subject',
    });
    // 能换 is the segmenter's modal + verb, not a subject: the follow-up still leans on the topic.
    expect(
      rewriter.rewrite('能换什么？', topic('hours', '客服几点下班？'), vocabulary, mentioned),
    ).toMatchObject({
      rewritten: true,
    });
    expect(rewriter.rewrite('how much is it?', shipping, vocabulary, mentioned).rewritten).toBe(true);
    expect(
      rewriter.rewrite('双十一呢？', topic('hours', '客服几点下班？'), vocabulary, mentioned).reason,
    ).toBe('substitution');
  });

  it('puts the X of "what about X?" in place of the previous word of its kind', () => {
    const shop = [
      { id: 'intl', question: 'Do you ship internationally?', alternates: [] },
      { id: 'canada', question: 'Do you ship to Canada?', alternates: [] },
      { id: 'payment', question: 'Which payment methods do you accept?', alternates: [] },
    ];
    const words = rewriter.vocabulary(shop);
    const about = (faqId: string, question: string, answer: string): SessionTopic => {
      const faq = shop.find((f) => f.id === faqId)!;
      return {
        faqId,
        faqQuestion: faq.question,
        question,
        ...rewriter.keyTerms(question, [faq.question, answer], words),
      };
    };
    const canada = about('canada', 'Do you ship to Canada?', 'Yes, Canada takes 5-8 business days.');
    // Appended to the topic ("the UK canada ship?"), the UK was answered with the Canada entry.
    for (const text of ['what about the UK?', 'and the UK?', 'How about the UK?'])
      expect(rewriter.rewrite(text, canada, words), text).toEqual({
        question: 'Do you ship to UK?',
        rewritten: true,
        reason: 'substitution',
      });
    expect(rewriter.rewrite('what about Australia?', canada, words).question).toBe(
      'Do you ship to Australia?',
    );
    // "us" is a place only written as one.
    expect(rewriter.rewrite('what about the US?', canada, words).question).toBe('Do you ship to US?');
    // A place the customer named stays in what "how long?" is about, with what was asked about it.
    expect(rewriter.rewrite('how long?', canada, words).question).toBe('canada ship: how long?');
    // Words of one synonym group are of one kind: PayPal in place of Visa, not of "pay".
    const visa = about('payment', 'Can I pay with Visa?', 'We accept Visa, Mastercard and PayPal.');
    expect(rewriter.rewrite('what about PayPal?', visa, words).question).toBe('Can I pay with PayPal?');
    // Nothing of X's kind in the previous question: X goes in front of the topic, as before.
    expect(rewriter.rewrite('what about gift wrapping?', canada, words)).toEqual({
      question: 'gift wrapping canada ship?',
      rewritten: true,
      reason: 'substitution',
    });
  });

  it('puts a place of "那X呢？" in place of the previous question\'s place', () => {
    const hk = topic('hours', '香港门店几点下班？');
    expect(rewriter.rewrite('那澳门呢？', hk, vocabulary)).toEqual({
      question: '澳门门店几点下班？',
      rewritten: true,
      reason: 'substitution',
    });
    // Not 关门, which ends in the same character.
    expect(rewriter.rewrite('那澳门呢？', topic('hours', '香港门店几点关门？'), vocabulary).question).toBe(
      '澳门门店几点关门？',
    );
    // 偏远地区 is a place name to the segmenter too.
    expect(rewriter.rewrite('新疆呢？', topic('hours', '偏远地区几点发货？'), vocabulary).question).toBe(
      '新疆几点发货？',
    );
    // Nothing of 双十一's kind in the previous question: in front of it, as before (below).
  });

  it('adds the previous question to a "X呢？" whose X names no entry', () => {
    const r = rewriter.rewrite('双十一呢？', topic('hours', '客服几点下班？'), vocabulary);
    expect(r).toEqual({ question: '双十一客服几点下班？', rewritten: true, reason: 'substitution' });
  });

  it('leaves alone what names another entry, a topic switch, a self-contained question, or anything without a topic', () => {
    expect(rewriter.rewrite('专票呢？', topic('invoice', '可以开发票吗？'), vocabulary).reason).toBe(
      'names_other_entry',
    );
    expect(
      rewriter.rewrite('what about exchanges?', topic('express', 'expedited shipping'), vocabulary).reason,
    ).toBe('names_other_entry');
    expect(
      rewriter.rewrite('Different question: is it free?', topic('express', 'x'), vocabulary).reason,
    ).toBe('topic_switch');
    expect(
      rewriter.rewrite('客服电话是多少，几点下班？', topic('hours', '客服几点下班？'), vocabulary).reason,
    ).toBe('self_contained');
    // A short question with a subject of its own that no entry asks about is a new question.
    expect(
      rewriter.rewrite('退休金怎么领取？', topic('invoice', '可以开发票吗？'), vocabulary),
    ).toMatchObject({
      rewritten: false,
      reason: 'self_contained',
    });
    expect(rewriter.rewrite('怎么领取？', topic('invoice', '可以开发票吗？'), vocabulary).rewritten).toBe(
      true,
    );
    // 发票 is inside the invoice entry's 开发票 (the segmenter's word for 可以开发票吗).
    expect(rewriter.rewrite('发票怎么开？', topic('hours', '客服几点下班？'), vocabulary)).toMatchObject({
      question: '发票怎么开？',
      rewritten: false,
      reason: 'names_other_entry',
    });
    // Emoji or digits alone ask nothing: they are not a follow-up of the topic.
    for (const text of ['🙂', '😀😀👍', '？？', '2024120512345', '13800000000'])
      expect(
        rewriter.rewrite(text, topic('express', 'Do you offer expedited shipping?'), vocabulary),
      ).toEqual({
        question: text,
        rewritten: false,
        reason: 'no_topic',
      });
    // One character, or filler alone, asks nothing the topic could complete ("退" is not 发票退).
    for (const text of ['退', '退？', '嗯嗯', 'k', 'hmm'])
      expect(rewriter.rewrite(text, topic('invoice', '可以开发票吗？'), vocabulary), text).toEqual({
        question: text,
        rewritten: false,
        reason: 'too_short',
      });
    expect(rewriter.rewrite('贵吗？', topic('invoice', '可以开发票吗？'), vocabulary).rewritten).toBe(true);
    expect(rewriter.rewrite('how much is it?', null)).toEqual({
      question: 'how much is it?',
      rewritten: false,
      reason: 'no_topic',
    });
  });
});
