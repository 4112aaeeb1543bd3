/**
 * The demo KB as a lexical-mode server answers it: its FAQ entries and its policy document parsed and
 * chunked as an upload is, thresholds calibrated on that content as on first start, and customer
 * questions through the one answer pipeline.
 */
import {
  AnswerPipeline,
  DEFAULT_THRESHOLDS,
  KnowledgeIndex,
  ThresholdCalibrator,
  type AnswerThresholds,
} from '@wendao/answer';
import { chunkText, parseFile } from '@wendao/ingest';
import { LexicalReader } from '@wendao/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FAQS, DEMO_POLICY_FILE, DEMO_POLICY_MARKDOWN } from './demo-knowledge-base';

const reader = new LexicalReader();
const pipeline = new AnswerPipeline({ reader });

async function demoIndex(): Promise<KnowledgeIndex> {
  const index = KnowledgeIndex.empty('demo', 1);
  let seq = 1;
  DEMO_FAQS.forEach((faq, i) =>
    index.upsertFaq({
      seq: seq++,
      id: `faq-${i}`,
      documentId: null,
      question: faq.question,
      alternates: faq.alternates,
      answer: faq.answer,
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
  passages.forEach((p, i) =>
    index.addPassage({
      seq: seq++,
      id: `passage-${i}`,
      documentId: 'policy',
      fileName: DEMO_POLICY_FILE,
      ordinal: i,
      text: p.text,
      start: p.start,
      end: p.end,
    }),
  );
  return index;
}

describe('the demo KB, lexical mode', () => {
  let index: KnowledgeIndex;
  let thresholds: AnswerThresholds;
  beforeAll(async () => {
    index = await demoIndex();
    ({ thresholds } = await new ThresholdCalibrator({
      language: 'mixed',
      defaults: DEFAULT_THRESHOLDS.lexical,
      reader,
    }).calibrate(index));
  });
  const ask = (question: string) => pipeline.run({ question, index, thresholds, language: 'mixed' });

  it('answers English questions about exchanges from the English exchange entry', async () => {
    // Customer QA (issue 11): the demo had an exchange entry in Chinese only, so these fell back, or
    // "Can I exchange an item?" was answered from "How do I return an item?" (they share "item").
    for (const question of [
      'can I exchange my shoes for a bigger size?',
      'how do I swap an item',
      'exchange policy',
      'Can I exchange an item?',
    ]) {
      const out = await ask(question);
      expect(out.type, question).toBe('faq');
      expect(out.source, question).toMatchObject({ kind: 'faq', question: 'Can I exchange an item?' });
    }
  });

  it('asks 退货 or 退款 when a question names both, offering those two entries only', async () => {
    // Customer QA (issue 11): 我想退货退款怎么弄 also offered 如何取消订单？ (within the margin), and
    // 我要退货退款 was answered from 退款多久到账？ (0.442 against 如何申请退货？ 0.401, the margin 0.04).
    for (const question of ['退货退款', '我想退货退款怎么弄', '我要退货退款']) {
      const out = await ask(question);
      expect(out.type, question).toBe('clarify');
      expect(out.options.map((o) => o.question).sort(), question).toEqual([
        '如何申请退货？',
        '退款多久到账？',
      ]);
    }
  });

  it('answers a question naming one of them from its entry', async () => {
    for (const [question, entry] of [
      ['退款多久到账', '退款多久到账？'],
      ['我想退款', '退款多久到账？'],
      ['我要退货', '如何申请退货？'],
      ['可以换货吗？', '可以换货吗？'],
    ]) {
      const out = await ask(question);
      expect(out.type, question).toBe('faq');
      expect(out.source, question).toMatchObject({ kind: 'faq', question: entry });
    }
  });
});
