/**
 * The demo KB as a neural-mode server answers it (the reference multilingual-e5-small-q4 embedder and
 * the reference reader in ./models): FAQ entries and policy embedded, thresholds calibrated as on
 * first start, questions through the one answer pipeline. Runs in `npm run test:models` only; skipped
 * without ./models.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  AnswerPipeline,
  DEFAULT_THRESHOLDS,
  KnowledgeIndex,
  loadAnswerModels,
  ThresholdCalibrator,
  type AnswerModels,
  type AnswerThresholds,
} from '@wendao/answer';
import { chunkText, parseFile } from '@wendao/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FAQS, DEMO_POLICY_FILE, DEMO_POLICY_MARKDOWN } from './demo-knowledge-base';

const E5 = 'intfloat/multilingual-e5-small-q4';
const modelsDir = () => resolve(process.env.WENDAO_MODELS_DIR ?? join(__dirname, '../../../../models'));
const available = existsSync(join(modelsDir(), E5));

describe.skipIf(!available)('the demo KB, neural mode (multilingual-e5-small)', () => {
  let models: AnswerModels;
  let pipeline: AnswerPipeline;
  let index: KnowledgeIndex;
  let thresholds: AnswerThresholds;
  beforeAll(async () => {
    models = await loadAnswerModels({ modelsDir: modelsDir(), encoder: E5, reader: true });
    pipeline = new AnswerPipeline({ embedder: models.embedders, reader: models.readers });
    const embedder = pipeline.embedderFor('mixed')!;
    index = KnowledgeIndex.empty('demo', 1, embedder);
    const embeddings = await KnowledgeIndex.embedFaqs(embedder, DEMO_FAQS);
    let seq = 1;
    DEMO_FAQS.forEach((faq, i) =>
      index.upsertFaq({
        seq: seq++,
        id: `faq-${i}`,
        documentId: null,
        question: faq.question,
        alternates: faq.alternates,
        answer: faq.answer,
        ...embeddings[i],
      }),
    );
    const { document } = await parseFile(Buffer.from(DEMO_POLICY_MARKDOWN), DEMO_POLICY_FILE);
    // The API's default chunking (WENDAO_CHUNK_TARGET/MAX/OVERLAP).
    const passages = chunkText(document!.text, {
      targetLength: 300,
      maxLength: 480,
      overlap: 1,
      sections: document!.sections,
    });
    const vectors = (await embedder.embed(passages.map((p) => p.text))).vectors;
    passages.forEach((p, i) =>
      index.addPassage(
        {
          seq: seq++,
          id: `passage-${i}`,
          documentId: 'policy',
          fileName: DEMO_POLICY_FILE,
          ordinal: i,
          text: p.text,
          start: p.start,
          end: p.end,
        },
        vectors[i],
      ),
    );
    const modes = pipeline.scoreModes('mixed');
    ({ thresholds } = await new ThresholdCalibrator({
      language: 'mixed',
      defaults: { ...DEFAULT_THRESHOLDS[modes.faq], answer: DEFAULT_THRESHOLDS[modes.answer].answer },
      embedder,
      reader: pipeline.readerFor('mixed'),
    }).calibrate(index));
  });
  afterAll(async () => models?.close());
  const ask = (question: string) => pipeline.run({ question, index, thresholds, language: 'mixed' });

  it('answers payment questions that name no amount or time from their entries, not with a span', async () => {
    // 'can I pay when it arrives' was read as asking for an amount and a time ('pay', 'when') and
    // answered 'within 30 minutes' from the policy's payment section; "why can't I pay?" as asking for
    // an amount ('pay'), answered '¥10'. Neither asks for either.
    for (const [question, entry] of [
      ['can I pay when it arrives', 'Can I pay cash on delivery?'],
      ["why can't I pay?", 'What should I do if my payment fails?'],
    ]) {
      const out = await ask(question);
      expect(out.type, question).toBe('faq');
      expect(out.source, question).toMatchObject({ kind: 'faq', question: entry });
    }
  });
});
