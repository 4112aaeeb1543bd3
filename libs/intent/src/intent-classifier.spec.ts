import { describe, expect, it } from 'vitest';
import { DEFAULT_C_CANDIDATES, IntentClassifier, type LabelledExample } from './intent-classifier';
import { chooseOutOfScopeThreshold } from './out-of-scope-threshold';

const intents: Record<string, string[]> = {
  refund: ['我要退款', '怎么退款', '退款多久到账', '申请退款', '退款进度', '可以退款吗'],
  shipping: ['什么时候发货', '发货了吗', '几天发货', '快递发货时间', '还没发货', '发货要多久'],
  invoice: ['开发票', '怎么开发票', '发票抬头', '电子发票', '补开发票', '发票什么时候给'],
  password: ['忘记密码', '重置密码', '修改密码', '密码错误', '找回密码', '密码怎么改'],
  coupon: ['优惠券怎么用', '领优惠券', '优惠券过期', '优惠券不能用', '有优惠券吗', '优惠券在哪'],
  card: [
    'lost my card',
    'card was stolen',
    'block my card',
    'my card is lost',
    'freeze card',
    'card missing',
  ],
};
const examples: LabelledExample[] = Object.entries(intents).flatMap(([intent, texts]) =>
  texts.map((text) => ({ text, intent })),
);

describe('IntentClassifier', () => {
  it('learns a separable toy set and labels new phrasings of each intent', async () => {
    const classifier = await IntentClassifier.train(examples, { seed: 1 });
    expect(classifier.intents).toEqual(Object.keys(intents).sort());
    const predictions = await classifier.predict([
      '退款什么时候到',
      '发票怎么开',
      '密码忘了',
      'my card got stolen',
    ]);
    expect(predictions.map((p) => p.best)).toEqual(['refund', 'invoice', 'password', 'card']);
    expect(classifier.report?.converged).toBe(true);
  });

  it('answers null for an utterance of no intent: its top probability is under the cross-validated cut', async () => {
    const classifier = await IntentClassifier.train(examples, { seed: 1 });
    expect(classifier.threshold).toBeGreaterThan(0);
    const [offTopic] = await classifier.predict(['今天天气怎么样']);
    expect(offTopic.intent).toBeNull();
    expect(offTopic.confidence).toBeLessThan(classifier.threshold);
    const [onTopic] = await classifier.predict(['我要退款']);
    expect(onTopic.intent).toBe('refund');
  });

  it('is deterministic for a seed and identical after a JSON round trip', async () => {
    const a = await IntentClassifier.train(examples, { seed: 3 });
    const b = await IntentClassifier.train(examples, { seed: 3 });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const restored = IntentClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    const texts = ['退款进度怎么查', '优惠券用不了', '随便问问'];
    expect(await restored.predict(texts)).toEqual(await a.predict(texts));
  });

  it('stops L-BFGS at the gradient tolerance it is given: a tighter one takes more iterations', async () => {
    const loose = await IntentClassifier.train(examples, { seed: 1, threshold: 0, c: 10 });
    const tight = await IntentClassifier.train(examples, {
      seed: 1,
      threshold: 0,
      c: 10,
      gradientTolerance: 1e-9,
    });
    expect(loose.report?.converged).toBe(true);
    expect(tight.report?.converged).toBe(true);
    expect(tight.report!.iterations).toBeGreaterThan(loose.report!.iterations);
    // Both are the same strictly convex optimum, to the looser tolerance.
    const texts = ['退款什么时候到', 'my card got stolen'];
    const [a, b] = [await loose.probabilities(texts), await tight.probabilities(texts)];
    for (let i = 0; i < texts.length; i++)
      for (let c = 0; c < a[i].length; c++) expect(Math.abs(a[i][c] - b[i][c])).toBeLessThan(1e-3);
  });

  it('chooses C by cross-validation when none is given: a C so strong that the bias decides loses', async () => {
    // refund is five times each other intent: under C = 0.001 the weights are ~0 and the bias
    // (the class prior) sends everything to refund; the folds see that and pick C = 100.
    const skewed = [
      ...examples.filter((e) => e.intent !== 'refund'),
      ...['', '呢', '啊', '吧', '哦'].flatMap((tail) =>
        intents.refund.map((t) => ({ text: t + tail, intent: 'refund' })),
      ),
    ];
    const texts = ['发票怎么开', '密码忘了', 'my card got stolen', '优惠券用不了'];
    const chosen = await IntentClassifier.train(skewed, { seed: 1, cCandidates: [0.001, 100] });
    expect(chosen.report?.c).toMatchObject({ c: 100, rule: 'cross-validated' });
    const accuracies = chosen.report?.c.rule === 'cross-validated' ? chosen.report.c.accuracies : [];
    expect(accuracies.map((a) => a.c)).toEqual([0.001, 100]);
    expect(accuracies[1].accuracy).toBeGreaterThan(accuracies[0].accuracy + 0.3);
    expect(chosen.toJSON().c).toBe(100);
    expect((await chosen.predict(texts)).map((p) => p.best)).toEqual([
      'invoice',
      'password',
      'card',
      'coupon',
    ]);
    // Skipping the choice and keeping the first candidate would have answered refund to all of them.
    const strong = await IntentClassifier.train(skewed, { seed: 1, c: 0.001, threshold: 0 });
    expect((await strong.predict(texts)).map((p) => p.best)).toEqual(texts.map(() => 'refund'));
  });

  it('keeps a given C without cross-validating it, and the default candidates name every C they tried', async () => {
    const fixed = await IntentClassifier.train(examples, { seed: 1, c: 3, threshold: 0 });
    expect(fixed.report?.c).toEqual({ c: 3, rule: 'fixed' });
    expect(fixed.toJSON().c).toBe(3);
    const chosen = await IntentClassifier.train(examples, { seed: 1 });
    const report = chosen.report!.c;
    expect(report.rule).toBe('cross-validated');
    if (report.rule !== 'cross-validated') return;
    expect(report.accuracies.map((a) => a.c)).toEqual([...DEFAULT_C_CANDIDATES]);
    const best = Math.max(...report.accuracies.map((a) => a.accuracy));
    // Among the most accurate, the one with the lowest held-out log-loss.
    const tied = report.accuracies.filter((a) => a.accuracy === best);
    expect(report.c).toBe(tied.reduce((x, y) => (y.logLoss < x.logLoss ? y : x)).c);
    expect(chosen.toJSON().c).toBe(report.c);
  });

  describe('adaptToTraffic', () => {
    // 325 logged questions, 300 of them about refunds: labels even, traffic skewed.
    const traffic = [
      '退款到账了吗',
      '退款什么时候到',
      '我想退款',
      '退款怎么还没到',
      '发货了没',
      '发票怎么开',
    ];
    const counts = [120, 90, 60, 30, 15, 10];

    it('weighs the intents by the traffic: a question torn between refund and shipping goes to refund', async () => {
      const classifier = await IntentClassifier.train(examples, { seed: 1 });
      expect(classifier.toJSON().classCounts).toEqual([6, 6, 6, 6, 6, 6]);
      expect(classifier.temperature).toBeGreaterThan(0.1);
      const adapted = await classifier.adaptToTraffic(traffic, counts);
      expect(adapted.traffic).toMatchObject({ questions: 325, applied: true, rule: 'applied' });
      expect(adapted.traffic!.totalVariation).toBeGreaterThan(0.5);
      const refund = adapted.traffic!.shares.find((s) => s.intent === 'refund')!;
      expect(refund.labelled).toBeCloseTo(1 / 6, 10);
      expect(refund.traffic).toBeGreaterThan(0.7);
      const torn = ['多久', '还没到'];
      expect((await classifier.predict(torn)).map((p) => p.best)).toEqual(['shipping', 'shipping']);
      expect((await adapted.predict(torn)).map((p) => p.best)).toEqual(['refund', 'refund']);
      // Clear questions keep their intent; the cut is the trained one.
      const clear = ['发票怎么开', '密码忘了', 'my card got stolen'];
      expect((await adapted.predict(clear)).map((p) => p.best)).toEqual(['invoice', 'password', 'card']);
      expect(adapted.threshold).toBe(classifier.threshold);
      // The stored model is the trained one, and a second adaptation starts from it, not from the shift.
      expect(JSON.stringify(adapted.toJSON())).toBe(JSON.stringify(classifier.toJSON()));
      const again = await adapted.adaptToTraffic(traffic, counts);
      expect(await again.probabilities(torn)).toEqual(await adapted.probabilities(torn));
      // Blank questions (and ones asked 0 times) count for nothing.
      const padded = await classifier.adaptToTraffic([...traffic, '  ', '我要退款'], [...counts, 40, 0]);
      expect(padded.traffic!.questions).toBe(325);
      expect(await padded.probabilities(torn)).toEqual(await adapted.probabilities(torn));
    });

    it('stays as trained with too few questions, with traffic as even as the labels, and for an older model', async () => {
      const classifier = await IntentClassifier.train(examples, { seed: 1 });
      const torn = ['多久', '还没到', '在哪'];
      const trained = await classifier.probabilities(torn);

      const few = await classifier.adaptToTraffic(traffic, [60, 45, 30, 15, 8, 5]);
      expect(few.traffic).toMatchObject({ questions: 163, applied: false, rule: 'few-questions' });
      expect(few.traffic!.reason).toMatch(/163 questions logged, fewer than the 200/);
      expect(await few.probabilities(torn)).toEqual(trained);

      // Every labelled example asked about as often: the estimated mix stays near the labels'.
      const even = await classifier.adaptToTraffic(
        examples.map((e) => e.text),
        examples.map(() => 10),
      );
      expect(even.traffic).toMatchObject({ applied: false, rule: 'close-to-labels' });
      expect(even.traffic!.totalVariation).toBeLessThan(0.3);
      expect(even.traffic!.reason).toMatch(/close to the labels'/);
      expect(await even.probabilities(torn)).toEqual(trained);

      const { classCounts: _, ...older } = classifier.toJSON();
      const old = await IntentClassifier.fromJSON(older).adaptToTraffic(traffic, counts);
      expect(old.traffic).toMatchObject({ applied: false, rule: 'no-class-counts' });
      expect(old.traffic!.reason).toMatch(/does not record its examples per intent/);
      expect(() => IntentClassifier.fromJSON({ ...classifier.toJSON(), classCounts: [1, 2] })).toThrow(
        /class counts/,
      );
      await expect(classifier.adaptToTraffic(traffic, [1])).rejects.toThrow(/one count per question/);
    });
  });

  it('refuses fewer than two intents and a model saved with an embedder when loaded without it', async () => {
    await expect(IntentClassifier.train(examples.filter((e) => e.intent === 'refund'))).rejects.toThrow(
      /two intents/,
    );
    const json = (await IntentClassifier.train(examples, { threshold: 0.3 })).toJSON();
    expect(() =>
      IntentClassifier.fromJSON({ ...json, embedder: { modelId: 'm', dim: 4, weight: 1 } }),
    ).toThrow();
  });
});

describe('chooseOutOfScopeThreshold', () => {
  it('puts the cut between confident in-scope and unsure out-of-scope predictions', () => {
    const choice = chooseOutOfScopeThreshold([
      { confidence: 0.9, outOfScope: false, correct: true },
      { confidence: 0.8, outOfScope: false, correct: true },
      { confidence: 0.5, outOfScope: true, correct: false },
      { confidence: 0.3, outOfScope: true, correct: false },
    ]);
    expect(choice.threshold).toBeGreaterThan(0.5);
    expect(choice.threshold).toBeLessThan(0.8);
    expect(choice.inScopeAccuracy).toBe(1);
    expect(choice.outOfScopeRecall).toBe(1);
  });
});
