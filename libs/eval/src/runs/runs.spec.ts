import { describe, expect, it } from 'vitest';
import type { RetrievalSet } from '../datasets/retrieval-set';
import { answerContainsGold } from './answer-scorer';
import { Bm25Ranker } from './bm25-ranker';
import { evaluateCache, zipfQueryLog } from './cache-eval';
import { LexicalSimilarity, lexicalTerms } from './lexical-similarity';
import { estimateTokens, truncateToTokens } from './long-context-eval';
import { evaluatePairClassification } from './pair-classification-eval';
import { entryDocuments, evaluateRetrieval, rankEntries } from './retrieval-eval';

const faq: RetrievalSet = {
  language: 'zh',
  entries: [
    { id: 'refund', texts: ['退货期限是多久', '签收后7天内可以申请无理由退货'] },
    { id: 'shipping', texts: ['运费由谁承担', '满99元包邮，不满收取10元运费'] },
    { id: 'invoice', texts: ['可以开发票吗', '下单时填写抬头即可开具电子发票'] },
  ],
  queries: [
    { text: '多久之内可以退货', relevant: ['refund'] },
    { text: '运费谁出', relevant: ['shipping'] },
    { text: '电子发票怎么开', relevant: ['invoice'] },
    { text: '早上好', relevant: ['refund'] },
  ],
};

describe('evaluateRetrieval with the real BM25 index', () => {
  it('finds each FAQ from a paraphrase and scores the unanswerable query as a miss', async () => {
    const docs = entryDocuments(faq);
    expect(docs.texts).toHaveLength(6);
    const [bm25] = await evaluateRetrieval(faq, docs, [new Bm25Ranker(docs.texts)], { ks: [1, 3] });
    expect(bm25.system).toBe('bm25');
    // three paraphrases found at rank 1, the greeting shares no term with the KB
    expect(bm25.recallAt[1]).toBeCloseTo(0.75, 10);
    expect(bm25.recallAt[3]).toBeCloseTo(0.75, 10);
    expect(bm25.mrr).toBeCloseTo(0.75, 10);
  });

  it('collapses documents to entries and never returns an excluded entry', async () => {
    const docs = entryDocuments(faq);
    const ranker = new Bm25Ranker(docs.texts);
    const ranked = await rankEntries(ranker, docs, '退货运费发票', 3);
    expect(new Set(ranked).size).toBe(ranked.length);
    expect(ranked.sort()).toEqual(['invoice', 'refund', 'shipping']);
    expect(await rankEntries(ranker, docs, '退货', 3, { exclude: 'refund' })).not.toContain('refund');
  });
});

describe('zipfQueryLog and evaluateCache', () => {
  const pool = Array.from({ length: 200 }, (_, i) => `question number ${i}?`);

  it('draws a skewed, reproducible log', () => {
    const log = zipfQueryLog(pool, 2000, { variantShare: 0 });
    expect(zipfQueryLog(pool, 2000, { variantShare: 0 })).toEqual(log);
    const counts = new Map<string, number>();
    for (const q of log) counts.set(q, (counts.get(q) ?? 0) + 1);
    const top = Math.max(...counts.values());
    // Zipf s=1 over 200 items: the top item has about 1/H(200) = 17% of the draws; uniform would give 0.5%
    expect(top / log.length).toBeGreaterThan(0.1);
    expect(counts.size).toBeLessThan(200);
  });

  it('answers each normalised question once when the cache holds them all, with no stale answers', async () => {
    const log = zipfQueryLog(pool, 1000);
    let calls = 0;
    const result = await evaluateCache(
      log,
      async (q) => {
        calls++;
        // what a pipeline would answer: the same for every surface variant of a question
        return q
          .normalize('NFKC')
          .toLowerCase()
          .replace(/[?？\s]/g, '');
      },
      { cacheSize: 1000 },
    );
    // the uncached replay answers all 1000, the cached replay only each distinct normalised key
    expect(calls).toBe(1000 + result.distinctKeys);
    expect(result.distinctKeys).toBeLessThan(result.distinctQuestions); // surface variants share a key
    expect(result.hitRate).toBeCloseTo(result.idealHitRate, 10);
    expect(result.staleAnswers).toBe(0);
  });

  it('loses hits when the cache is smaller than the working set', async () => {
    const log = zipfQueryLog(pool, 1000);
    const small = await evaluateCache(log, async (q) => q, { cacheSize: 5, sameAnswer: () => true });
    expect(small.hitRate).toBeLessThan(small.idealHitRate);
  });
});

describe('long-context helpers', () => {
  it('estimates tokens per CJK character and per English word', () => {
    expect(estimateTokens('退货政策')).toBe(4);
    expect(estimateTokens('return policy')).toBeCloseTo(2.6, 10);
    expect(estimateTokens('7天内!')).toBe(4); // "7天内" = 2 CJK + 1 for the digit, "!" = 1
  });

  it('truncates to the longest prefix within the budget', () => {
    const text = '一二三四五六七八九十';
    expect(truncateToTokens(text, 4)).toBe('一二三四');
    expect(truncateToTokens(text, 100)).toBe(text);
  });
});

describe('lexical similarity and pair classification', () => {
  it('gives 1 for identical, 0 for disjoint and in-between for overlapping sentences', () => {
    const sim = new LexicalSimilarity(['怎么还款', '如何还款', '今天天气']);
    expect(sim.similarity('怎么还款', '怎么还款')).toBeCloseTo(1, 10);
    expect(sim.similarity('怎么还款', '今天天气')).toBe(0);
    const partial = sim.similarity('怎么还款', '如何还款');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(1);
    expect(lexicalTerms('还款 iPhone')).toEqual(['还', '还款', '款', 'iphone']);
  });

  it('separates paraphrase pairs from unrelated ones with a threshold tuned on the other fold', async () => {
    const pairs = [];
    for (let i = 0; i < 20; i++) {
      pairs.push({ a: `怎么修改第${i}号订单的地址`, b: `第${i}号订单的地址怎么修改`, positive: true });
      pairs.push({ a: `怎么修改第${i}号订单的地址`, b: `信用卡年费是多少钱呢${i}`, positive: false });
    }
    const result = await evaluatePairClassification(pairs);
    expect(result.n).toBe(40);
    expect(result.positiveShare).toBe(0.5);
    expect(result.accuracy).toBeGreaterThan(95);
    expect(result.spearman).toBeGreaterThan(80);
  });
});

describe('answerContainsGold', () => {
  it('accepts a sentence around the gold answer and rejects one without it', () => {
    expect(answerContainsGold('签收后7天内可申请无理由退货。', ['7天内'], 'zh')).toBe(true);
    expect(answerContainsGold('运费由买家承担。', ['7天内'], 'zh')).toBe(false);
    expect(answerContainsGold('They won in the year 1998, at home.', ['1998'], 'en')).toBe(true);
    // whole tokens only in English: "199" is not inside "1998"
    expect(answerContainsGold('In 1998.', ['199'], 'en')).toBe(false);
    expect(answerContainsGold('', ['x'], 'en')).toBe(false);
  });
});
