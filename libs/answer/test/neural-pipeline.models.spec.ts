/**
 * The answer pipeline over a real encoder (all-MiniLM-L6-v2 from the reference models): what only a
 * pretrained model's scores can show. Runs in `npm run test:models` only; skipped without ./models.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chunkText } from '@wendao/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerPipeline, KnowledgeIndex, loadAnswerModels, type AnswerModels } from '../src';

const MINILM = 'sentence-transformers/all-MiniLM-L6-v2';
// Where scripts/reference-models.sh lays the models (the repository's ./models by default).
const referenceModelsDir = () => resolve(process.env.WENDAO_MODELS_DIR ?? join(__dirname, '../../../models'));
const available = existsSync(join(referenceModelsDir(), MINILM));

// An 8-entry English FAQ without alternates and a refunds policy, as a QA pass uploaded them.
const FAQS: [string, string][] = [
  [
    'How do I reset my password?',
    'Click "Forgot password" on the sign-in page and follow the link we email you.',
  ],
  [
    'What payment methods do you accept?',
    'We accept Visa, Mastercard, American Express, PayPal and Apple Pay.',
  ],
  [
    'How long does shipping take?',
    'Standard shipping takes 3-5 business days; express shipping takes 1-2 business days.',
  ],
  ['Can I cancel my order?', 'You can cancel an order within 2 hours of placing it from the Orders page.'],
  [
    'Do you ship internationally?',
    'Yes, we ship to over 40 countries. International delivery takes 7-14 business days.',
  ],
  [
    'How do I contact customer support?',
    'Email support@example.com or call +1 555 0100 between 9am and 6pm.',
  ],
  [
    'What is your warranty?',
    'All electronics come with a 12-month limited warranty covering manufacturing defects.',
  ],
  [
    'How do I track my order?',
    'Use the tracking link in your shipping confirmation email or open the Orders page.',
  ],
];
const POLICY = `# Returns and Refunds Policy

## Returns
You may return most items within 30 days of delivery for a full refund. Items must be unused and in their original packaging. Final-sale items cannot be returned.

## Refunds
Once we receive your return, we inspect it within 3 business days. Approved refunds are issued to the original payment method within 7 business days.`;
// Fixed thresholds where a calibration of this small KB lands (faq = the out-of-domain floor), so the
// test does not hang on one CPU's INT8 rounding.
const thresholds = { faq: 0.25, clarify: 0.25, margin: 0.01, answer: 0.7 };

describe.skipIf(!available)('the answer pipeline with all-MiniLM-L6-v2', () => {
  let models: AnswerModels;
  let pipeline: AnswerPipeline;
  beforeAll(async () => {
    models = await loadAnswerModels({ modelsDir: referenceModelsDir(), encoder: MINILM, reader: true });
    pipeline = new AnswerPipeline({ embedder: models.embedders, reader: models.readers });
  });
  afterAll(async () => models?.close());

  async function kb(withPolicy: boolean): Promise<KnowledgeIndex> {
    const embedder = pipeline.embedderFor('en')!;
    const index = KnowledgeIndex.empty('kb-en', 1, embedder);
    const faqs = FAQS.map(([question, answer]) => ({ question, alternates: [], answer }));
    const embeddings = await KnowledgeIndex.embedFaqs(embedder, faqs);
    faqs.forEach((faq, i) =>
      index.upsertFaq({ seq: i + 1, id: `f${i}`, documentId: null, ...faq, ...embeddings[i] }),
    );
    if (withPolicy) {
      const passages = chunkText(POLICY, { targetLength: 300, maxLength: 480 });
      const vectors = (await embedder.embed(passages.map((p) => p.text))).vectors;
      passages.forEach((p, i) =>
        index.addPassage(
          { seq: 100 + i, id: `p${i}`, documentId: 'policy', fileName: 'policy.md', ...p },
          vectors[i],
        ),
      );
    }
    return index;
  }
  const ask = async (question: string, index: KnowledgeIndex) =>
    pipeline.run({ question, index, thresholds, language: 'en' });

  it('answers from the document when the best FAQ shares no word with the question, else from the FAQ', async () => {
    const index = await kb(true);
    const refund = await ask('When will I get my refund?', index);
    // It shares only its kind of question (how long ~ when will) with that FAQ.
    expect(refund.evidence.faqCandidates[0]).toMatchObject({
      question: 'How long does shipping take?',
      sharesWord: false,
    });
    expect(refund.evidence.faqCandidates[0].score).toBeGreaterThanOrEqual(thresholds.faq);
    expect(refund).toMatchObject({ type: 'extracted', source: { kind: 'passage', fileName: 'policy.md' } });
    expect(refund.answer).toContain('7 business days');
    expect(refund.evidence.decision.code).toBe('unshared_words_read');

    const finalSale = await ask('Can I return a final-sale item?', index);
    expect(finalSale).toMatchObject({ type: 'extracted', answer: 'Final-sale items cannot be returned.' });

    // A question that shares its words with the FAQ is answered by it as before.
    expect(await ask('How long does shipping take?', index)).toMatchObject({
      type: 'faq',
      source: { id: 'f2' },
    });
    // Without the document there is nothing better: the FAQ answers after all, and says why.
    const alone = await ask('When will I get my refund?', await kb(false));
    expect(alone).toMatchObject({ type: 'faq', source: { id: 'f2' } });
    expect(alone.evidence.decision.code).toBe('unshared_words_faq');
  });
});
