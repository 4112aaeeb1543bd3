import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Embedder } from '@wendao/encoder';
import { KnowledgeIndex } from './knowledge-index';

const POLICY = '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。';

function sample(version: number): KnowledgeIndex {
  const index = KnowledgeIndex.empty('kb-1', version);
  index.upsertFaq({
    seq: 1,
    id: 'f1',
    documentId: null,
    question: '如何开具发票？',
    alternates: ['怎么开发票'],
    answer: '在订单详情中申请。',
  });
  index.addPassage({
    seq: 2,
    id: 'p1',
    documentId: 'd1',
    fileName: 'policy.txt',
    ordinal: 0,
    text: POLICY,
    start: 0,
    end: POLICY.length,
  });
  index.addPassage({
    seq: 3,
    id: 'p2',
    documentId: 'd2',
    fileName: 'ship.txt',
    ordinal: 0,
    text: '订单满99元包邮。',
    start: 0,
    end: 9,
  });
  return index;
}

describe('KnowledgeIndex', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-index-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds FAQ candidates by alternates and passages by content, and forgets removed items', async () => {
    const index = sample(3);
    expect(index.searchFaqs('怎么开发票', 5).map((c) => c.faq.id)).toEqual(['f1']);
    const hits = await index.readablePassages('退货期限是多久', 2);
    expect(hits[0]).toMatchObject({ kind: 'passage', passage: { id: 'p1' } });

    expect(index.removeDocument('d1')).toBe(1);
    expect(
      (await index.readablePassages('退货期限是多久', 2)).map((h) => h.kind === 'passage' && h.passage.id),
    ).not.toContain('p1');
    expect(index.removeFaq(1)).toBe(true);
    expect(index.searchFaqs('怎么开发票', 5)).toEqual([]);
  });

  it('tells whether the KB uses a word anywhere: a phrasing, an answer or a passage', () => {
    const index = sample(1);
    for (const word of ['发票', '订单详情', '退货政策', '包邮']) expect(index.mentions(word)).toBe(true);
    for (const word of ['美国', '总统', 'joke', '']) expect(index.mentions(word)).toBe(false);
    index.removeDocument('d2');
    expect(index.mentions('包邮')).toBe(false);
  });

  it("reports each lexical candidate's channels: the Dice score and the character BM25 its confidence fuses", () => {
    const index = sample(3);
    index.upsertFaq({
      seq: 9,
      id: 'f9',
      documentId: null,
      question: '运费怎么算？',
      alternates: [],
      answer: '订单满99元包邮。',
    });
    const [best, other] = index.searchFaqs('发票怎么开', 5);
    expect(best.faq.id).toBe('f1');
    expect(best.vector).toBeUndefined();
    // Lexical confidence: the Dice score fused with the character channel (CHARACTER_WEIGHT 1.5).
    expect(best.score).toBeCloseTo((best.lexical + 1.5 * best.bm25) / 2.5, 10);
    expect(best.bm25).toBeGreaterThan(0.3);
    expect(best.bm25).toBeLessThanOrEqual(1);
    expect(other.bm25).toBeLessThan(best.bm25);
  });

  it('gives one candidate per question: entries asking the same question are not rivals', () => {
    const index = KnowledgeIndex.empty('kb-dup', 1);
    const faq = (seq: number, question: string, answer: string) =>
      index.upsertFaq({ seq, id: `f${seq}`, documentId: null, question, alternates: [], answer });
    faq(1, 'What are your opening hours?', '9am to 6pm.');
    faq(2, 'what are your opening hours', '10am to 8pm.');
    faq(3, 'Where is your store?', 'Shenzhen.');
    const found = index.searchFaqs('What are your opening hours?', 3);
    expect(found.map((c) => c.faq.id)).toEqual(['f1', 'f3']);
    expect(found[0].score).toBe(1);
  });

  it('is certain only of a phrasing asked word for word, not of one that analyses to the same terms', () => {
    const index = KnowledgeIndex.empty('kb-en', 1);
    index.upsertFaq({
      seq: 1,
      id: 'redeem',
      documentId: null,
      question: 'How do I redeem my reward points?',
      alternates: ['What can I do with my points?'],
      answer: 'Use them at checkout.',
    });
    // Stopwords and stemming leave {point} of both questions.
    expect(index.searchFaqs('what can I do with my points', 1)[0].score).toBe(1);
    const [near] = index.searchFaqs('How do I get points?', 1);
    expect(near.lexical).toBe(1);
    expect(near.score).toBeLessThan(1);
  });

  it("scores an entry's answer text too in neural mode, and keeps its embedding across save and load", async () => {
    // Hand-made unit vectors: this checks the index's scoring, not an encoder (no text is embedded).
    const vectorsOnly: Embedder = {
      modelId: 'hand-made-vectors',
      dim: 3,
      embed: () => Promise.reject(new Error('no text is embedded here')),
      close: () => Promise.resolve(),
    };
    const unit = (...xs: number[]) => {
      const n = Math.hypot(...xs);
      return Float32Array.from(xs.map((x) => x / n));
    };
    const index = KnowledgeIndex.empty('kb-neural', 1, vectorsOnly);
    const entry = (seq: number, question: string, vector: Float32Array, answerVector: Float32Array) =>
      index.upsertFaq({
        seq,
        id: `f${seq}`,
        documentId: null,
        question,
        alternates: [],
        answer: `answer ${seq}`,
        vectors: [vector],
        answerVector,
      });
    // The question is as close to both entries' questions; only f2's answer says what it asks.
    entry(1, 'first', unit(1, 1, 0), unit(0, 0, 1));
    entry(2, 'second', unit(1, -1, 0), unit(1, 0, 0));
    const [best, other] = index.searchFaqs('zzz', 2, { vector: unit(1, 0, 0) });
    expect(best.faq.id).toBe('f2');
    expect(best.vector).toBeCloseTo(other.vector!, 6);
    expect(best.score).toBeGreaterThan(other.score);

    // A leave-one-out probe of f2's only phrasing still finds f2, by its answer text.
    const [probe] = index.searchFaqs('second', 1, {
      vector: unit(1, 0, 0),
      exclude: { seq: 2, phrasing: 0 },
    });
    expect(probe.faq.id).toBe('f2');
    expect(probe.vector).toBeCloseTo(1, 6);

    const path = join(dir, 'kb-neural');
    index.save(path);
    const loaded = (await KnowledgeIndex.load(path, {
      kbId: 'kb-neural',
      kbVersion: 1,
      embedder: vectorsOnly,
    }))!;
    expect([...loaded.faqs.get(2)!.answerVector!]).toEqual([...unit(1, 0, 0)]);
    expect(loaded.searchFaqs('zzz', 1, { vector: unit(1, 0, 0) })[0].faq.id).toBe('f2');
  });

  it('saves in slices the same files as in one step, of the version it started at', async () => {
    const index = sample(4);
    index.save(join(dir, 'at-once'));
    let pauses = 0;
    const saving = index.saveInSlices(join(dir, 'in-slices'), async () => {
      pauses++;
      await new Promise((resolve) => setImmediate(resolve));
    });
    // A change applied while the save runs is not in it: the save holds version 4.
    index.removeFaq(1);
    index.version = 5;
    const manifest = await saving;
    expect(pauses).toBeGreaterThan(3);
    expect(manifest).toMatchObject({ kbVersion: 4, faqs: 1, passages: 2 });
    for (const name of ['items.json', 'faq-bm25.json', 'passage-bm25.json'])
      expect(readFileSync(join(dir, 'in-slices', name), 'utf8')).toBe(
        readFileSync(join(dir, 'at-once', name), 'utf8'),
      );
    const loaded = (await KnowledgeIndex.load(join(dir, 'in-slices'), { kbId: 'kb-1', kbVersion: 4 }))!;
    expect(loaded.searchFaqs('怎么开发票', 5).map((c) => c.faq.id)).toEqual(['f1']);
  });

  it('saves and loads only for the same KB version and encoder', async () => {
    const path = join(dir, 'kb-1');
    sample(4).save(path);
    expect(await KnowledgeIndex.load(path, { kbId: 'kb-1', kbVersion: 5 })).toBeNull();
    expect(await KnowledgeIndex.load(path, { kbId: 'kb-2', kbVersion: 4 })).toBeNull();
    const loaded = (await KnowledgeIndex.load(path, { kbId: 'kb-1', kbVersion: 4 }))!;
    expect(loaded.version).toBe(4);
    expect(loaded.faqs.get(1)?.alternates).toEqual(['怎么开发票']);
    const hits = await loaded.readablePassages('退货期限是多久', 1);
    expect(hits[0]).toMatchObject({ kind: 'passage', passage: { id: 'p1', fileName: 'policy.txt' } });
  });
});
