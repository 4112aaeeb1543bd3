/**
 * The fallback's suggestion floor with the reference multilingual encoder (multilingual-e5-small-q4),
 * whose cosines are compressed: every entry of a shop KB scores ~0.7 against an unrelated question.
 * Runs in `npm run test:models` only; skipped without ./models.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AnswerPipeline,
  DEFAULT_THRESHOLDS,
  KnowledgeIndex,
  loadAnswerModels,
  ThresholdCalibrator,
  type AnswerModels,
  type AnswerThresholds,
} from '../src';

const E5 = 'intfloat/multilingual-e5-small-q4';
const referenceModelsDir = () => resolve(process.env.WENDAO_MODELS_DIR ?? join(__dirname, '../../../models'));
const available = existsSync(join(referenceModelsDir(), E5));

// A small Chinese shop FAQ, each entry with two alternates.
const FAQS: [string, string[], string][] = [
  ['如何申请退货？', ['怎么退货', '退货流程是什么'], '在“我的订单”中点击“申请售后”，选择“退货”。'],
  ['退款多久到账？', ['什么时候退款', '退款什么时候到'], '验收后3至5个工作日内退回原支付账户。'],
  ['运费怎么算？', ['包邮吗', '邮费多少'], '订单满99元包邮，未满收取10元运费。'],
  ['如何开具发票？', ['怎么开发票', '可以开发票吗'], '在订单详情中点击“申请开票”。'],
  ['积分怎么获得？', ['怎么赚积分', '积分规则'], '每消费1元得1积分。'],
  ['订单什么时候发货？', ['多久发货', '几天发货'], '付款后48小时内发货。'],
  ['可以修改收货地址吗？', ['怎么改地址', '地址填错了'], '发货前可在订单详情中修改收货地址。'],
  ['如何联系人工客服？', ['怎么找客服', '转人工'], '点击页面右下角的“联系客服”。'],
];

describe.skipIf(!available)('the fallback suggestion floor with multilingual-e5-small', () => {
  let models: AnswerModels;
  let pipeline: AnswerPipeline;
  let index: KnowledgeIndex;
  let calibrated: AnswerThresholds;
  beforeAll(async () => {
    models = await loadAnswerModels({ modelsDir: referenceModelsDir(), encoder: E5, reader: true });
    pipeline = new AnswerPipeline({ embedder: models.embedders, reader: models.readers });
    const embedder = pipeline.embedderFor('zh')!;
    index = KnowledgeIndex.empty('kb-zh', 1, embedder);
    const faqs = FAQS.map(([question, alternates, answer]) => ({ question, alternates, answer }));
    const embeddings = await KnowledgeIndex.embedFaqs(embedder, faqs);
    faqs.forEach((faq, i) =>
      index.upsertFaq({ seq: i + 1, id: `f${i}`, documentId: null, ...faq, ...embeddings[i] }),
    );
    const modes = pipeline.scoreModes('zh');
    calibrated = (
      await new ThresholdCalibrator({
        language: 'zh',
        defaults: { ...DEFAULT_THRESHOLDS[modes.faq], answer: DEFAULT_THRESHOLDS[modes.answer].answer },
        embedder,
        reader: pipeline.readerFor('zh'),
      }).calibrate(index)
    ).thresholds;
  });
  afterAll(async () => models?.close());

  const ask = (question: string, thresholds: AnswerThresholds) =>
    pipeline.run({ question, index, thresholds, language: 'zh' });

  it('suggests nothing to questions far off topic, where 0.3 x clarify suggested any three entries', async () => {
    expect(calibrated.suggest).toBeGreaterThan(0.6);
    expect(calibrated.suggest).toBeLessThanOrEqual(calibrated.clarify);
    const { suggest: _, ...fixedFloor } = calibrated;
    // Each scores 0.68-0.69 at best here, some 0.03 under the floor (0.721 on this machine). 今天天气怎么样
    // (0.719) sits right under it: a question the bank's top fifth would reach gets a suggestion.
    for (const question of ['红烧肉怎么做', '周末去哪里玩比较好', '世界上最高的山是哪座', '帮我写一首诗']) {
      const now = await ask(question, calibrated);
      expect(now.type).toBe('fallback');
      expect(now.suggestions).toEqual([]);
      expect(now.answer).toMatch(/换个说法/);
      expect((await ask(question, fixedFloor)).suggestions).toHaveLength(3);
    }
  });

  it('still suggests the entry an on-topic question just missed', async () => {
    // The FAQ and clarify thresholds over its score, as for an on-topic question that fell short.
    const out = await ask('我买的东西想退回去', { ...calibrated, faq: 0.99, clarify: 0.99 });
    expect(out.type).toBe('fallback');
    expect(out.suggestions[0]).toBe('如何申请退货？');
  });
});
