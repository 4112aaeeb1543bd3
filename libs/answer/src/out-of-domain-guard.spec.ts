import type { Embedder } from '@wendao/encoder';
import { LexicalReader } from '@wendao/reader';
import { describe, expect, it } from 'vitest';
import { AnswerPipeline } from './answer-pipeline';
import type { AnswerThresholds } from './answer-outcome';
import { KnowledgeIndex } from './knowledge-index';
import { OutOfDomainGuard } from './out-of-domain-guard';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

// Hand-made vectors, so that which text is nearest to which is known: axis 0 is "cancelling an
// order", axis 1 "gyms and memberships", axis 2 the weather.
const VECTORS: Record<string, Float32Array> = {
  'How do I cancel an order?': unit(1, 0, 0),
  'You can cancel an order in My orders until it ships.': unit(1, 0.2, 0),
  'how do I cancel my gym membership': unit(0.6, 0.8, 0),
  'what is the weather tomorrow': unit(0, 0, 1),
  'How do I cancel my gym membership?': unit(0.5, 0.85, 0),
  'Can I cancel my order?': unit(0.95, 0.1, 0),
};

/** Embeds the texts above (and counts what it was asked), nothing else. */
function handMadeEmbedder(): Embedder & { embedded: string[] } {
  const embedded: string[] = [];
  return {
    modelId: 'hand-made-vectors',
    dim: 3,
    embedded,
    embed: (texts) => {
      embedded.push(...texts);
      const unknown = texts.find((t) => !(t in VECTORS));
      if (unknown) return Promise.reject(new Error(`no vector for "${unknown}"`));
      return Promise.resolve({ vectors: texts.map((t) => VECTORS[t]), truncated: [] });
    },
    close: () => Promise.resolve(),
  };
}

function orders(embedder: Embedder): KnowledgeIndex {
  const index = KnowledgeIndex.empty('kb-orders', 1, embedder);
  const question = 'How do I cancel an order?';
  const answer = 'You can cancel an order in My orders until it ships.';
  index.upsertFaq({
    seq: 1,
    id: 'f-cancel',
    documentId: null,
    question,
    alternates: [],
    answer,
    vectors: [VECTORS[question]],
    answerVector: VECTORS[answer],
  });
  return index;
}

// Low enough that the FAQ answers both questions on their scores alone.
const thresholds: AnswerThresholds = { faq: 0.3, clarify: 0.3, margin: 0.02, answer: 0.99 };
const BANK = ['how do I cancel my gym membership', 'what is the weather tomorrow'];

describe('OutOfDomainGuard in the answer pipeline (neural mode)', () => {
  it('falls back on a question nearer the out-of-domain bank than the FAQ, and answers one nearer the FAQ', async () => {
    const embedder = handMadeEmbedder();
    const pipeline = new AnswerPipeline({
      embedder,
      reader: new LexicalReader(),
      outOfDomainGuard: new OutOfDomainGuard(() => BANK),
    });
    const index = orders(embedder);
    const ask = (question: string) => pipeline.run({ question, index, thresholds, language: 'en' });

    const gym = await ask('How do I cancel my gym membership?');
    expect(gym).toMatchObject({ type: 'fallback', source: null, handoff: true });
    expect(gym.suggestions).toEqual(['How do I cancel an order?']);
    const faqCosine = gym.evidence.faqCandidates[0].vector!;
    const bankCosine = Math.round((1000 * (0.6 * 0.5 + 0.8 * 0.85)) / Math.hypot(0.5, 0.85)) / 1000;
    expect(gym.evidence.outOfDomain).toBe(bankCosine);
    expect(faqCosine).toBeLessThan(bankCosine);
    expect(gym.evidence.decision).toEqual({
      code: 'out_of_domain',
      values: { cosine: faqCosine, bank: bankCosine },
    });
    expect(gym.evidence.reason).toBe(
      `the question is closer to an out-of-domain question (cosine ${bankCosine}) than to any phrasing of the best FAQ (${faqCosine})`,
    );
    // Its FAQ score alone would have answered it.
    expect(gym.evidence.faqCandidates[0].score).toBeGreaterThanOrEqual(thresholds.faq);

    const order = await ask('Can I cancel my order?');
    expect(order).toMatchObject({ type: 'faq', source: { id: 'f-cancel' } });
    expect(order.evidence.decision.code).toBe('faq_confident');
    expect(order.evidence.outOfDomain).toBeLessThan(order.evidence.faqCandidates[0].vector!);

    // The bank was embedded once, for the first question, and kept.
    expect(embedder.embedded.filter((t) => BANK.includes(t))).toEqual(BANK);
  });

  it('answers from the FAQs as before without a guard', async () => {
    const embedder = handMadeEmbedder();
    const pipeline = new AnswerPipeline({ embedder, reader: new LexicalReader(), outOfDomainGuard: null });
    const out = await pipeline.run({
      question: 'How do I cancel my gym membership?',
      index: orders(embedder),
      thresholds,
      language: 'en',
    });
    expect(out).toMatchObject({ type: 'faq', source: { id: 'f-cancel' } });
    expect(out.evidence.outOfDomain).toBeUndefined();
  });

  it('tries the bank again after its embedding failed, and a lexical KB never asks for it', async () => {
    const embedder = handMadeEmbedder();
    let asked = 0;
    const guard = new OutOfDomainGuard(() => (++asked === 1 ? ['no vector for this one'] : BANK));
    await expect(guard.warm(embedder, 'en')).rejects.toThrow(/no vector/);
    const nearest = await guard.nearest(embedder, 'en', VECTORS['How do I cancel my gym membership?']);
    expect(nearest).toBeCloseTo((0.6 * 0.5 + 0.8 * 0.85) / Math.hypot(0.5, 0.85), 6);
    expect(asked).toBe(2);

    const lexical = new AnswerPipeline({ reader: new LexicalReader(), outOfDomainGuard: guard });
    const index = KnowledgeIndex.empty('kb-lexical', 1);
    index.upsertFaq({
      seq: 1,
      id: 'f-cancel',
      documentId: null,
      question: 'How do I cancel an order?',
      alternates: [],
      answer: 'In My orders.',
    });
    const out = await lexical.run({
      question: 'How do I cancel my gym membership?',
      index,
      thresholds,
      language: 'en',
    });
    expect(out.evidence.outOfDomain).toBeUndefined();
    expect(asked).toBe(2);
  });
});
