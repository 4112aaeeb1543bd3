import { describe, expect, it } from 'vitest';
import { splitSentences } from '@wendao/text';
import { chunkText, type Passage } from '@wendao/ingest';
import { RETURN_POLICY } from '../test/build-fixtures';

/** The invariants every chunking must keep: exact offsets, no empty passages, ordinals in order, bounded length. */
function expectWellFormed(text: string, passages: Passage[], maxLength: number): void {
  passages.forEach((p, i) => {
    expect(text.slice(p.start, p.end)).toBe(p.text);
    expect(p.text.trim()).toBe(p.text);
    expect(p.text.length).toBeGreaterThan(0);
    expect(p.text.length).toBeLessThanOrEqual(maxLength);
    expect(p.ordinal).toBe(i);
    if (i > 0) expect(p.start).toBeGreaterThan(passages[i - 1].start);
  });
  // Nothing is lost: every non-space character lies inside some passage.
  const covered = new Uint8Array(text.length);
  for (const p of passages) covered.fill(1, p.start, p.end);
  const lost: number[] = [];
  for (let i = 0; i < text.length; i++) if (!covered[i] && !/\s/.test(text[i])) lost.push(i);
  expect(lost).toEqual([]);
}

const sentenceStarts = (text: string) => new Set(splitSentences(text).map((s) => s.start));
const sentenceEnds = (text: string) => new Set(splitSentences(text).map((s) => s.end));

const zh = [
  RETURN_POLICY,
  '退款将在3个工作日内原路返回，如遇节假日顺延。',
  '质量问题导致的退货，运费由我们承担；非质量问题的退货，运费由买家承担。',
  '定制商品、生鲜食品和已拆封的数码产品不支持无理由退货。',
  '如需换货，请在订单详情页选择“申请换货”并填写原因！',
  '客服工作时间为每天9:00-21:00，节假日正常值班。',
  '您也可以拨打400-000-0000联系人工客服？',
].join('');

describe('chunkText', () => {
  it('groups whole Chinese sentences up to the target and overlaps one sentence', () => {
    const passages = chunkText(zh, { targetLength: 80, maxLength: 120 });
    expectWellFormed(zh, passages, 120);
    expect(passages.length).toBeGreaterThanOrEqual(3);
    const starts = sentenceStarts(zh);
    const ends = sentenceEnds(zh);
    for (const p of passages) {
      expect(starts.has(p.start)).toBe(true);
      expect(ends.has(p.end)).toBe(true);
    }
    for (let i = 1; i < passages.length; i++) {
      const previousLast = splitSentences(passages[i - 1].text).at(-1)!.text;
      expect(passages[i].text.startsWith(previousLast)).toBe(true);
    }
  });

  it('does not overlap when overlap is 0', () => {
    const passages = chunkText(zh, { targetLength: 80, maxLength: 120, overlap: 0 });
    for (let i = 1; i < passages.length; i++)
      expect(passages[i].start).toBeGreaterThanOrEqual(passages[i - 1].end);
    expect(passages.map((p) => p.text).join('')).toBe(zh);
  });

  it('keeps English sentences whole, including abbreviations and decimals', () => {
    const en =
      'Refunds are issued within 3.5 business days, e.g. to the original card. ' +
      'Items must be unused and in their original packaging! ' +
      'Custom orders cannot be returned. Contact support at any time if you are unsure? ' +
      'We reply within one working day.';
    const passages = chunkText(en, { targetLength: 90, maxLength: 150 });
    expectWellFormed(en, passages, 150);
    expect(passages[0].text).toBe('Refunds are issued within 3.5 business days, e.g. to the original card.');
    const ends = sentenceEnds(en);
    for (const p of passages) expect(ends.has(p.end)).toBe(true);
  });

  it('chunks mixed Chinese and English text', () => {
    const mixed = `${RETURN_POLICY} Returns are free within 7 days. 如需帮助请联系 support@example.com。We reply within 24 hours! 周末也有客服值班。`;
    const passages = chunkText(mixed, { targetLength: 50, maxLength: 80 });
    expectWellFormed(mixed, passages, 80);
    expect(passages[0].text).toBe(RETURN_POLICY);
    expect(passages.at(-1)!.text.endsWith('周末也有客服值班。')).toBe(true);
  });

  it('chunks a 10,000-character document into bounded passages that cover it', () => {
    const paragraphs: string[] = [];
    for (let i = 0; paragraphs.join('\n\n').length < 10_000; i++) {
      paragraphs.push(`第${i + 1}节 售后条款`);
      paragraphs.push(
        `${zh.slice(0, 40 + (i % 7) * 13)}。Section ${i + 1} applies to orders after March ${(i % 28) + 1}.`,
      );
    }
    const doc = paragraphs.join('\n\n').slice(0, 10_000);
    const passages = chunkText(doc);
    expectWellFormed(doc, passages, 500);
    expect(passages.length).toBeGreaterThan(30);
    // The title lines ("第N节 售后条款") start passages or sit inside them, never dangle at an end.
    for (const p of passages.slice(0, -1)) expect(p.text).not.toMatch(/售后条款$/);
  });

  it('cuts a single 2,000-character sentence without punctuation into bounded pieces, losing nothing', () => {
    const base = '问道客服系统为中小企业提供基于知识库的智能问答服务支持中文和英文';
    const sentence = base.repeat(Math.ceil(2000 / base.length)).slice(0, 2000);
    const passages = chunkText(sentence);
    expectWellFormed(sentence, passages, 500);
    expect(passages.length).toBeGreaterThanOrEqual(4);
    expect(passages.map((p) => p.text).join('')).toBe(sentence);
  });

  it('cuts an overlong sentence after commas and spaces when it has them', () => {
    const clause = '订单签收后七天内可以申请退货，';
    const sentence = `${clause.repeat(50)}谢谢。`;
    const passages = chunkText(sentence, { targetLength: 100, maxLength: 200 });
    expectWellFormed(sentence, passages, 200);
    for (const p of passages.slice(0, -1)) expect(p.text.endsWith('，')).toBe(true);
  });

  it('never splits a surrogate pair when it must cut hard', () => {
    const emoji = '😀'.repeat(700);
    const passages = chunkText(emoji, { targetLength: 301, maxLength: 501 });
    expectWellFormed(emoji, passages, 501);
    for (const p of passages) expect(p.text).toMatch(/^(?:😀)+$/u);
  });

  it('keeps a heading with the text after it', () => {
    const policy = `${RETURN_POLICY}退款将在3个工作日内原路返回。`;
    const text = `退货政策\n${policy}\n\n换货政策\n${policy.replace('退货', '换货')}`;
    const sections = [
      { heading: '退货政策', start: 0, end: 5 + policy.length },
      { heading: '换货政策', start: 7 + policy.length, end: text.length },
    ];
    for (const options of [{ sections }, {}]) {
      const passages = chunkText(text, { targetLength: 60, maxLength: 100, ...options });
      expectWellFormed(text, passages, 100);
      expect(passages.map((p) => p.heading)).toEqual(['退货政策', '换货政策']);
      expect(passages[1].text.startsWith('换货政策\n')).toBe(true);
    }
  });

  it('keeps its invariants on random mixed text with random options', () => {
    // Seeded so a failure reproduces; pieces chosen to hit every code path (terminators, newlines, long runs, emoji).
    let seed = 20251125;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = [
      '退货',
      '政策',
      '。',
      '，',
      '、',
      '？',
      '!',
      '. ',
      ' ',
      '\n',
      '\n\n',
      'Refund',
      'e.g.',
      '3.5',
      '😀',
      '标题\n',
      '无标点长句'.repeat(30),
    ];
    for (let round = 0; round < 150; round++) {
      let text = '';
      const parts = 1 + rand(120);
      for (let i = 0; i < parts; i++) text += pieces[rand(pieces.length)];
      const targetLength = 5 + rand(120);
      const maxLength = targetLength + rand(100);
      const passages = chunkText(text, { targetLength, maxLength, overlap: rand(3) });
      expectWellFormed(text, passages, maxLength);
    }
  });

  it('returns nothing for blank text and refuses nonsensical options', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText(' \n\t\n ')).toEqual([]);
    expect(() => chunkText(zh, { targetLength: 600, maxLength: 500 })).toThrow(
      /targetLength \(600\) must not exceed maxLength \(500\)/,
    );
    expect(() => chunkText(zh, { targetLength: 0 })).toThrow(RangeError);
    expect(() => chunkText(zh, { overlap: -1 })).toThrow(/overlap must be an integer >= 0/);
  });
});
