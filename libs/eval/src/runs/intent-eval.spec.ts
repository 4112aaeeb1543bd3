import { describe, expect, it } from 'vitest';
import { DEFAULT_C_CANDIDATES } from '@wendao/intent';
import {
  developmentSplit,
  evaluateIntentSet,
  intentRecord,
  limitTotal,
  type IntentEvalSet,
} from './intent-eval';

const rows = (label: string, texts: string[]) => texts.map((text) => ({ text, label }));

describe('limitTotal', () => {
  it('spreads the budget round-robin over the intents, never more than an intent has', () => {
    const train = [
      ...rows('a', ['a1', 'a2', 'a3', 'a4']),
      ...rows('b', ['b1']),
      ...rows('c', ['c1', 'c2', 'c3']),
    ];
    const picked = limitTotal(train, 6, 1);
    const count = (label: string) => picked.filter((r) => r.label === label).length;
    expect([count('a'), count('b'), count('c')]).toEqual([3, 1, 2]);
    expect(limitTotal(train, 6, 1)).toEqual(picked);
  });
});

describe('developmentSplit', () => {
  it('scores a fifth of each intent of the train split, never the test split, with the given out-of-scope utterances', () => {
    const set: IntentEvalSet = {
      name: 'toy',
      language: 'en',
      train: [...rows('a', ['a1', 'a2', 'a3', 'a4', 'a5']), ...rows('b', ['b1', 'b2', 'b3', 'b4', 'b5'])],
      test: rows('a', ['test utterance']),
      outOfScopeTest: ['oos test'],
      split: 'train / test',
    };
    const dev = developmentSplit(set, ['oos val']);
    expect(dev.test.map((r) => r.label).sort()).toEqual(['a', 'b']);
    expect(dev.train).toHaveLength(8);
    expect([...dev.train, ...dev.test].map((r) => r.text).sort()).toEqual(
      set.train.map((r) => r.text).sort(),
    );
    expect(dev.outOfScopeTest).toEqual(['oos val']);
    expect(dev.split).toMatch(/^development/);
    expect(developmentSplit(set, [])).toEqual({ ...dev, outOfScopeTest: [], split: expect.any(String) });
  });
});

describe('evaluateIntentSet', () => {
  it('scores the budgets over draws, with out-of-scope recall and the share of the full-data accuracy', async () => {
    const set: IntentEvalSet = {
      name: 'toy',
      language: 'zh',
      train: [
        ...rows('refund', ['我要退款', '怎么退款', '退款多久到账', '申请退款', '退款进度']),
        ...rows('shipping', ['什么时候发货', '发货了吗', '几天发货', '发货时间', '还没发货']),
        ...rows('invoice', ['开发票', '怎么开发票', '发票抬头', '电子发票', '补开发票']),
        ...rows('password', ['忘记密码', '重置密码', '修改密码', '密码错误', '找回密码']),
        ...rows('coupon', ['优惠券怎么用', '领优惠券', '优惠券过期', '优惠券不能用', '有优惠券吗']),
      ],
      test: [
        ...rows('refund', ['退款到账了吗']),
        ...rows('invoice', ['发票怎么开']),
        ...rows('password', ['密码忘了']),
      ],
      outOfScopeTest: ['今天天气怎么样', '推荐一部电影'],
      split: 'toy',
    };
    const result = await evaluateIntentSet(set, { budgets: [{ perIntent: 2 }, 'full'], draws: 2 });
    expect(result.results.map((r) => [r.budget, r.draws.length])).toEqual([
      ['2 per intent', 2],
      ['full train', 1],
    ]);
    expect(result.embeddingWeight).toBeNull();
    const full = result.results[1].draws[0];
    expect(full.accuracy).toBe(1);
    expect(full.outOfScopeRecall).not.toBeNull();
    const record = intentRecord(result, { mode: 'lexical', models: 'none (lexical)', command: 'test' });
    expect(record.tables[0].columns).toContain('OOS recall');
    const column = (name: string) => record.tables[0].columns.indexOf(name);
    expect(record.tables[0].rows[1][column('of full-data accuracy')]).toBe('100.0 %');
    expect(full.iterations).toBeGreaterThan(0);
    expect(full.trainCpuSeconds).toBeGreaterThan(0);
    expect(record.tables[0].rows[1][column('L-BFGS iterations (mean)')]).toBe(full.iterations);
    // No C given: each training chose its own from the candidates, and the record says which.
    for (const draw of result.results.flatMap((r) => r.draws)) expect(DEFAULT_C_CANDIDATES).toContain(draw.c);
    expect(record.tables[0].rows[1][column('C (each draw)')]).toBe(String(full.c));
    const fixed = await evaluateIntentSet(set, { budgets: [{ perIntent: 2 }], draws: 2, c: 3 });
    expect(fixed.results[0].draws.map((d) => d.c)).toEqual([3, 3]);
    expect(
      intentRecord(fixed, { mode: 'lexical', models: 'none (lexical)', command: 'test' }).notes.join(' '),
    ).toContain('C = 3 fixed');
    // Each intent's name trains as one more example by default; the labelled count stays apart.
    expect(full.trainExamples).toBe(25);
    expect(full.nameExamples).toBe(5);
    expect(record.notes.join(' ')).toMatch(/name.*one more example/);
    const unnamed = await evaluateIntentSet(set, { budgets: ['full'], draws: 1, intentNames: false });
    expect(unnamed.results[0].draws[0]).toMatchObject({ trainExamples: 25, nameExamples: 0 });
    expect(
      intentRecord(unnamed, { mode: 'lexical', models: 'none (lexical)', command: 'test' }).notes.join(' '),
    ).toMatch(/--no-intent-names/);
  });

  it('adapts each draw to unlabelled train utterances outside its labels with --traffic, never the full-data run', async () => {
    // Refund is most of the traffic: 240 phrasings against 5 of each other intent.
    const refund = Array.from({ length: 240 }, (_, i) => `订单${i}怎么退款`);
    const set: IntentEvalSet = {
      name: 'skewed',
      language: 'zh',
      train: [
        ...rows('refund', refund),
        ...rows('shipping', ['什么时候发货', '发货了吗', '几天发货', '发货时间', '还没发货']),
        ...rows('invoice', ['开发票', '怎么开发票', '发票抬头', '电子发票', '补开发票']),
      ],
      test: [...rows('refund', ['退款到账了吗']), ...rows('invoice', ['发票怎么开'])],
      outOfScopeTest: [],
      split: 'toy',
    };
    const result = await evaluateIntentSet(set, {
      budgets: [{ total: 9 }, 'full'],
      draws: 2,
      trafficQuestions: 230,
    });
    expect(result.trafficQuestions).toBe(230);
    const [few, full] = result.results;
    for (const draw of few.draws) {
      expect(draw.trainExamples).toBe(9);
      expect(draw.traffic).toMatchObject({ questions: 230, applied: true });
      expect(draw.traffic!.totalVariation).toBeGreaterThan(0.3);
      expect(draw.traffic!.seconds).toBeGreaterThan(0);
    }
    expect(full.draws[0].traffic).toBeNull();
    const record = intentRecord(result, { mode: 'lexical', models: 'none (lexical)', command: 'test' });
    const column = record.tables[0].columns.indexOf('traffic mix: applied / total variation (each draw)');
    expect(column).toBeGreaterThan(0);
    expect(record.tables[0].rows[0][column]).toMatch(/^yes \/ 0\.\d\d, yes \/ 0\.\d\d$/);
    expect(record.tables[0].rows[1][column]).toBe('-');
    expect(record.tables[0].rows[0][column + 1]).toMatch(/^\d+\.\d\d$/);
    expect(record.tables[0].rows[1][column + 1]).toBe('-');
    expect(record.notes.join(' ')).toMatch(/--traffic 230/);
    // Self-training is on by default; a skewed mix weighs the intents instead, so it did not retrain.
    expect(result.selfTraining).toBe(true);
    for (const draw of few.draws) expect(draw.selfTraining).toMatchObject({ applied: false });
    expect(record.tables[0].rows[0][record.tables[0].columns.length - 1]).toBe('-, -');
    const weighedOnly = await evaluateIntentSet(set, {
      budgets: [{ total: 9 }],
      draws: 1,
      trafficQuestions: 230,
      selfTraining: false,
    });
    expect(weighedOnly.selfTraining).toBe(false);
    expect(weighedOnly.results[0].draws[0].selfTraining).toBeNull();
    expect(
      intentRecord(weighedOnly, { mode: 'lexical', models: 'none (lexical)', command: 'test' }).notes.join(
        ' ',
      ),
    ).toMatch(/--no-self-training/);
    const plain = await evaluateIntentSet(set, { budgets: [{ total: 9 }], draws: 1 });
    expect(plain.results[0].draws[0].traffic).toBeNull();
    expect(
      intentRecord(plain, { mode: 'lexical', models: 'none (lexical)', command: 'test' }).tables[0].columns,
    ).not.toContain('traffic mix: applied / total variation (each draw)');
  });
});
