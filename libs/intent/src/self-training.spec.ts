import { describe, expect, it, vi } from 'vitest';
import { IntentClassifier, type LabelledExample } from './intent-classifier';
import { learnFromTraffic, pseudoLabel, RECHOOSE_CUT_MIN_INTENTS, retrainingSettings } from './self-training';

const examples = (intent: string, texts: string[]): LabelledExample[] =>
  texts.map((text) => ({ text, intent }));

const LABELLED = [
  ...examples('refund', ['我要退款', '怎么申请退款', '退款多久到账', '退款进度查询']),
  ...examples('shipping', ['什么时候发货', '几天能发货', '发货时间是多久', '还没有发货']),
  ...examples('invoice', ['怎么开发票', '发票抬头怎么填', '电子发票在哪下载', '可以补开发票吗']),
  ...examples('password', ['忘记密码了', '怎么重置密码', '修改登录密码', '密码一直错误']),
  ...examples('coupon', ['优惠券怎么用', '在哪里领优惠券', '优惠券过期了', '优惠券用不了']),
];

/** Logged questions, `perIntent` of each intent (an even mix, like the labels'), plus some off-topic ones. */
function traffic(perIntent: number): string[] {
  const stems: Record<string, string[]> = {
    refund: ['退款', '申请退款', '退款到账'],
    shipping: ['发货', '几天发货', '发货时间'],
    invoice: ['发票', '开发票', '电子发票'],
    password: ['密码', '重置密码', '忘记密码'],
    coupon: ['优惠券', '领优惠券', '优惠券使用'],
  };
  const out: string[] = [];
  for (const [, words] of Object.entries(stems))
    for (let i = 0; i < perIntent; i++) out.push(`第${i}次问：${words[i % words.length]}的问题${i}`);
  for (let i = 0; i < 20; i++) out.push(`明天北京天气${i}怎么样`);
  return out;
}

describe('pseudoLabel', () => {
  it('labels the logged questions the classifier accepts with its intent, skipping labelled and blank ones', async () => {
    const classifier = await IntentClassifier.train(LABELLED, { c: 10, threshold: 0.3 });
    const questions = [...traffic(50), '我要退款', '  ', '我要退款'];
    const { examples: pseudo, selfTraining } = await pseudoLabel(classifier, questions, LABELLED);
    expect(selfTraining).toMatchObject({ applied: true, rule: 'applied', questions: 270 });
    expect(selfTraining.pseudoLabelled).toBe(pseudo.length);
    expect(pseudo.length).toBeGreaterThan(100);
    expect(pseudo.length).toBeLessThan(270);
    // A labelled example is not taken again; every pseudo-label is the classifier's accepted intent.
    expect(pseudo.some((e) => e.text === '我要退款')).toBe(false);
    const predictions = await classifier.predict(pseudo.map((e) => e.text));
    predictions.forEach((p, i) => expect(p.intent).toBe(pseudo[i].intent));
    expect(pseudo.find((e) => e.text.includes('重置密码'))?.intent).toBe('password');
  });

  it('does nothing with fewer distinct unlabelled questions than it takes', async () => {
    const classifier = await IntentClassifier.train(LABELLED, { c: 10, threshold: 0.3 });
    const result = await pseudoLabel(classifier, traffic(10), LABELLED);
    expect(result.examples).toEqual([]);
    expect(result.selfTraining).toMatchObject({ applied: false, rule: 'few-questions', questions: 70 });
  });
});

describe('learnFromTraffic', () => {
  it("trains again on the accepted questions, keeping C and (5 intents) the cut, where the traffic's mix is close to the labels'", async () => {
    const trained = await IntentClassifier.train(LABELLED, { c: 10 });
    const kept = { c: 10, threshold: trained.threshold, temperature: trained.temperature };
    expect(retrainingSettings(trained)).toEqual(kept);
    const retrain = vi.fn((ex: LabelledExample[], kept: ReturnType<typeof retrainingSettings>) =>
      IntentClassifier.train(ex, kept),
    );
    const { classifier, selfTraining } = await learnFromTraffic(
      trained,
      LABELLED,
      traffic(50),
      undefined,
      retrain,
    );
    expect(selfTraining.applied).toBe(true);
    expect(retrain).toHaveBeenCalledTimes(1);
    const [given] = retrain.mock.calls[0];
    expect(retrainingSettings(trained)).toEqual(kept);
    expect(retrain.mock.calls[0][1]).toEqual(kept);
    expect(given.slice(0, LABELLED.length)).toEqual(LABELLED);
    expect(given.length).toBe(LABELLED.length + selfTraining.pseudoLabelled);
    // The retrained classifier answers, weighed by the traffic in turn (close: not applied).
    expect(classifier).not.toBe(trained);
    expect(classifier.trainedOn).toBe(given.length);
    // Five intents: the first cut was balanced against one held-out intent per fold; it is kept.
    expect(trained.report?.threshold.rule).toBe('balanced');
    expect(classifier.threshold).toBe(trained.threshold);
    expect(classifier.temperature).toBe(trained.temperature);
    expect(selfTraining.cut).toBe('kept');
    expect(classifier.traffic?.applied).toBe(false);
  });

  it(`says the cut was chosen again where the first was balanced over ${RECHOOSE_CUT_MIN_INTENTS} intents or more`, async () => {
    const many = Array.from({ length: RECHOOSE_CUT_MIN_INTENTS }, (_, i) =>
      examples(`topic${i}`, [`第${i}号话题的问题`, `关于话题${i}号`, `话题${i}号怎么办`]),
    ).flat();
    const trained = await IntentClassifier.train(many, { c: 10 });
    // As many questions of each topic as it has labels' worth: a mix close to the labels'.
    const asked = Array.from({ length: RECHOOSE_CUT_MIN_INTENTS }, (_, i) =>
      Array.from({ length: 12 }, (_, j) => `请问话题${i}号的第${j}个问题怎么办`),
    ).flat();
    const retrain = vi.fn((ex: LabelledExample[], kept: ReturnType<typeof retrainingSettings>) =>
      IntentClassifier.train(ex, kept),
    );
    const { classifier, selfTraining } = await learnFromTraffic(trained, many, asked, undefined, retrain);
    expect(selfTraining).toMatchObject({ applied: true, cut: 'chosen-again' });
    expect(retrain.mock.calls[0][1]).toEqual({ c: 10 });
    expect(classifier.report?.threshold.rule).toBe('balanced');
  });

  it("weighs the intents by the traffic instead, without retraining, where its mix is unlike the labels'", async () => {
    const trained = await IntentClassifier.train(LABELLED, { c: 10, threshold: 0.3 });
    // Nine in ten questions ask for a refund.
    const skewed = [
      ...Array.from({ length: 360 }, (_, i) => `退款${i}号订单怎么申请退款`),
      ...traffic(8).slice(0, 40),
    ];
    const retrain = vi.fn((ex: LabelledExample[], kept: ReturnType<typeof retrainingSettings>) =>
      IntentClassifier.train(ex, kept),
    );
    const { classifier, selfTraining } = await learnFromTraffic(
      trained,
      LABELLED,
      skewed,
      undefined,
      retrain,
    );
    expect(retrain).not.toHaveBeenCalled();
    expect(selfTraining).toMatchObject({ applied: false, rule: 'traffic-weighed', questions: 400 });
    expect(selfTraining.cut).toBeUndefined();
    expect(classifier.traffic?.applied).toBe(true);
  });

  it('does nothing on a short log', async () => {
    const trained = await IntentClassifier.train(LABELLED, { c: 10, threshold: 0.3 });
    const retrain = vi.fn();
    const { classifier, selfTraining } = await learnFromTraffic(
      trained,
      LABELLED,
      traffic(5),
      undefined,
      retrain,
    );
    expect(retrain).not.toHaveBeenCalled();
    expect(selfTraining).toMatchObject({ applied: false, rule: 'few-questions', questions: 45 });
    expect(classifier.traffic?.applied).toBe(false);
  });
});

describe('retrainingSettings', () => {
  it(`chooses the cut again where it was balanced over ${RECHOOSE_CUT_MIN_INTENTS} intents or more`, async () => {
    const many = Array.from({ length: RECHOOSE_CUT_MIN_INTENTS }, (_, i) =>
      examples(`topic${i}`, [`第${i}号话题的问题`, `关于话题${i}号`, `话题${i}号怎么办`]),
    ).flat();
    const trained = await IntentClassifier.train(many, { c: 10 });
    expect(trained.report?.threshold.rule).toBe('balanced');
    expect(retrainingSettings(trained)).toEqual({ c: 10 });
  });

  it('keeps a cut that was not balanced against held-out intents, with its temperature', async () => {
    const three = LABELLED.filter((e) => ['refund', 'shipping', 'invoice'].includes(e.intent));
    const percentile = await IntentClassifier.train(three, { c: 10 });
    expect(percentile.report?.threshold.rule).toBe('percentile');
    expect(retrainingSettings(percentile)).toEqual({
      c: 10,
      threshold: percentile.threshold,
      temperature: percentile.temperature,
    });
    const given = await IntentClassifier.train(LABELLED, { c: 3, threshold: 0.4 });
    expect(retrainingSettings(given)).toMatchObject({ c: 3, threshold: 0.4 });
    // A model loaded without its training report: its cut is kept too.
    const loaded = IntentClassifier.fromJSON((await IntentClassifier.train(LABELLED, { c: 10 })).toJSON());
    expect(retrainingSettings(loaded)).toMatchObject({ c: 10, threshold: loaded.threshold });
  });
});
