import { describe, expect, it } from 'vitest';
import { postprocessWindows, type WindowLogits } from './postprocess-windows';
import {
  buildReaderWindows,
  type PairTemplate,
  type ReaderWindow,
  type TokenizedText,
} from './reader-windows';

// A deterministic stand-in tokenizer for these pure tests: one token per CJK character, per ASCII
// word/number and per punctuation mark, with exact UTF-16 offsets (what a WordPiece tokenizer gives).
function tokenize(text: string): TokenizedText {
  const ids: number[] = [];
  const offsets: Array<[number, number]> = [];
  for (const m of text.matchAll(/[A-Za-z0-9]+|[^\sA-Za-z0-9]/g)) {
    ids.push(100 + (m[0].codePointAt(0)! % 1000));
    offsets.push([m.index!, m.index! + m[0].length]);
  }
  return { ids, offsets };
}

const BERT: PairTemplate = { cls: 101, sep: 102, pad: 0, pairTemplate: 'bert' };
const OPTIONS = { maxSeqLength: 384, docStride: 128, maxQuestionLength: 64 };

/** Logits with every position at 0, [CLS] at `cls`, and the given passage-token span peaked. */
function peak(
  window: ReaderWindow,
  spans: Array<{ from: number; to: number; value: number }>,
  cls = -10,
): WindowLogits {
  const start = new Float32Array(window.inputIds.length);
  const end = new Float32Array(window.inputIds.length);
  start[0] = cls;
  end[0] = cls;
  for (const { from, to, value } of spans) {
    // from/to are passage token indices; only mark them when this window holds them
    if (from >= window.tokenStart && from < window.tokenEnd)
      start[window.contextOffset + from - window.tokenStart] = value;
    if (to >= window.tokenStart && to < window.tokenEnd)
      end[window.contextOffset + to - window.tokenStart] = value;
  }
  return { start, end };
}

/** Token indices covering the first occurrence of `needle` in `text`. */
function tokenSpan(tokens: TokenizedText, text: string, needle: string): { from: number; to: number } {
  const at = text.indexOf(needle);
  const offs = Array.from(tokens.offsets);
  const from = offs.findIndex((o) => o[0] === at);
  const to = offs.findIndex((o) => o[1] === at + needle.length);
  if (at < 0 || from < 0 || to < 0) throw new Error(`needle ${needle} not on token boundaries`);
  return { from, to };
}

const longEnglish = (words: number) => Array.from({ length: words }, (_, i) => `w${i}`).join(' ');

describe('buildReaderWindows', () => {
  it('splits a long passage into overlapping windows that share docStride tokens and cover every token', () => {
    const passage = tokenize(longEnglish(1000));
    const question = tokenize('what is the word ten');
    const windows = buildReaderWindows(question, [passage], BERT, OPTIONS);
    // 384 - 5 question tokens - 3 specials = 376 passage tokens per window, step 376 - 128 = 248
    expect(windows.map((w) => [w.tokenStart, w.tokenEnd])).toEqual([
      [0, 376],
      [248, 624],
      [496, 872],
      [744, 1000],
    ]);
    for (const w of windows) {
      expect(w.inputIds.length).toBeLessThanOrEqual(384);
      expect(w.inputIds[0]).toBe(101);
      expect(w.inputIds[w.contextOffset - 1]).toBe(102);
      expect(w.inputIds.at(-1)).toBe(102);
      expect(w.tokenTypeIds.slice(0, w.contextOffset).every((t) => t === 0)).toBe(true);
      expect(w.tokenTypeIds.slice(w.contextOffset).every((t) => t === 1)).toBe(true);
      expect(w.inputIds.slice(w.contextOffset, -1)).toEqual(
        Array.from(passage.ids).slice(w.tokenStart, w.tokenEnd),
      );
    }
    for (let i = 1; i < windows.length; i++)
      expect(windows[i - 1].tokenEnd - windows[i].tokenStart).toBe(128);
    // every token is covered, and exactly one window claims it as its max-context window
    const claims = new Array<number>(1000).fill(0);
    for (const w of windows) w.maxContext.forEach((m, i) => m && claims[w.tokenStart + i]++);
    expect(claims.every((c) => c === 1)).toBe(true);
  });

  it('gives every token of a very long passage exactly one max-context window under small windows', () => {
    const passage = tokenize(longEnglish(20000));
    const windows = buildReaderWindows(tokenize('q'), [passage], BERT, {
      ...OPTIONS,
      maxSeqLength: 64,
      docStride: 40,
    });
    // 64 - 1 - 3 = 60 tokens per window, step 20
    expect(windows).toHaveLength(Math.ceil((20000 - 60) / 20) + 1);
    const claims = new Array<number>(20000).fill(0);
    for (const w of windows) w.maxContext.forEach((m, i) => m && claims[w.tokenStart + i]++);
    expect(claims.every((c) => c === 1)).toBe(true);
    // a token in the middle of the passage is claimed by the window where it sits most centrally
    const owner = windows.find(
      (w) => w.maxContext[5010 - w.tokenStart] && w.tokenStart <= 5010 && 5010 < w.tokenEnd,
    )!;
    expect(Math.abs(owner.tokenStart + 30 - 5010)).toBeLessThanOrEqual(10);
  });

  it('truncates the question, never the passage, and uses the roberta layout', () => {
    const question = tokenize(longEnglish(100));
    const passage = tokenize('short passage here');
    const [w] = buildReaderWindows(
      question,
      [passage],
      { cls: 0, sep: 2, pad: 1, pairTemplate: 'roberta' },
      OPTIONS,
    );
    expect(w.contextOffset).toBe(1 + 64 + 2);
    expect(w.inputIds.slice(64 + 1, 64 + 3)).toEqual([2, 2]);
    expect(w.tokenTypeIds.every((t) => t === 0)).toBe(true);
    expect(w.tokenEnd - w.tokenStart).toBe(3);
  });

  it('rejects a window too short to hold any passage', () => {
    expect(() =>
      buildReaderWindows(tokenize(longEnglish(20)), [tokenize('x')], BERT, { ...OPTIONS, maxSeqLength: 20 }),
    ).toThrow(/no room for the passage/);
  });
});

describe('postprocessWindows', () => {
  const opts = { topK: 3, maxAnswerLength: 30 };

  it('maps a Chinese answer back to exact character offsets', () => {
    const text = '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。';
    const tokens = tokenize(text);
    const windows = buildReaderWindows(tokenize('退货期限是多久？'), [tokens], BERT, OPTIONS);
    const span = tokenSpan(tokens, text, '7天内');
    const result = postprocessWindows(windows, [peak(windows[0], [{ ...span, value: 8 }])], [text], opts);
    expect(result.spans[0]).toMatchObject({ text: '7天内', start: 11, end: 14, passageIndex: 0, score: 16 });
    expect(result.spans[0].probability).toBeGreaterThan(0.9);
    expect(result.noAnswer.score).toBe(-20);
  });

  it('reads an answer sitting in the overlap of two windows as one span', () => {
    const text = longEnglish(1000);
    const tokens = tokenize(text);
    const windows = buildReaderWindows(tokenize('which words'), [tokens], BERT, OPTIONS);
    expect(windows.length).toBeGreaterThan(1);
    // tokens 300..302 are in window 0 [0,379) and window 1 [251,630)
    const span = { from: 300, to: 302 };
    expect(windows[0].tokenEnd > 302 && windows[1].tokenStart < 300).toBe(true);
    const logits = windows.map((w) => peak(w, [{ ...span, value: 6 }]));
    const result = postprocessWindows(windows, logits, [text], opts);
    const hits = result.spans.filter((s) => s.text === 'w300 w301 w302');
    expect(hits).toHaveLength(1);
    expect(hits[0].start).toBe(text.indexOf('w300'));
    expect(hits[0].end).toBe(text.indexOf('w302') + 4);
    expect(result.spans[0]).toBe(hits[0]);
  });

  it('finds an answer in the last characters of a 3000-character English passage', () => {
    const text = `${longEnglish(700)} The refund arrives within 30 days`;
    expect(text.length).toBeGreaterThan(3000);
    const tokens = tokenize(text);
    const windows = buildReaderWindows(tokenize('when does the refund arrive'), [tokens], BERT, OPTIONS);
    const last = windows.at(-1)!;
    expect(last.tokenEnd).toBe(tokens.ids.length);
    const span = tokenSpan(tokens, text, 'within 30 days');
    const result = postprocessWindows(
      windows,
      windows.map((w) => peak(w, [{ ...span, value: 5 }])),
      [text],
      opts,
    );
    expect(result.spans[0].text).toBe('within 30 days');
    expect(result.spans[0].end).toBe(text.length);
  });

  it('rejects spans that end before they start or run longer than maxAnswerLength', () => {
    const text = longEnglish(60);
    const tokens = tokenize(text);
    const windows = buildReaderWindows(tokenize('q'), [tokens], BERT, OPTIONS);
    const w = windows[0];
    const logits = peak(w, [], -10);
    const at = (tok: number) => w.contextOffset + tok;
    // strongest start after strongest end: the reversed pair must not be produced
    (logits.start as Float32Array)[at(20)] = 9;
    (logits.end as Float32Array)[at(10)] = 9;
    // a 41-token span (start 5 .. end 45) is over the 30-token limit
    (logits.start as Float32Array)[at(5)] = 8;
    (logits.end as Float32Array)[at(45)] = 8;
    const result = postprocessWindows(windows, [logits], [text], { topK: 50, maxAnswerLength: 30 });
    for (const s of result.spans) {
      expect(s.end).toBeGreaterThan(s.start);
      expect(s.text.split(' ').length).toBeLessThanOrEqual(30);
    }
    expect(
      result.spans.some(
        (s) =>
          s.text ===
          'w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 w38 w39 w40 w41 w42 w43 w44 w45',
      ),
    ).toBe(true);
    expect(
      result.spans.some((s) => s.start === text.indexOf('w5 ') && s.end === text.indexOf('w45') + 3),
    ).toBe(false);
    expect(
      result.spans.some((s) => s.start === text.indexOf('w20') && s.end === text.indexOf('w10') + 3),
    ).toBe(false);
  });

  it('reports no answer when the [CLS] logits dominate every window', () => {
    const text = '订单满99元包邮，不满收取10元运费。';
    const tokens = tokenize(text);
    const windows = buildReaderWindows(tokenize('营业时间是几点？'), [tokens], BERT, OPTIONS);
    const span = tokenSpan(tokens, text, '99元');
    const logits = [peak(windows[0], [{ ...span, value: 1 }], 6)];
    const result = postprocessWindows(windows, logits, [text], opts);
    expect(result.noAnswer.probability).toBeGreaterThan(0.9);
    expect(result.noAnswer.score).toBe(12);
    expect(result.spans[0].probability).toBeLessThan(result.noAnswer.probability);
    // the softmax runs over the spans and the no-answer together
    const all = postprocessWindows(windows, logits, [text], { ...opts, topK: 1000 });
    expect(all.noAnswer.probability + all.spans.reduce((a, s) => a + s.probability, 0)).toBeCloseTo(1, 5);
  });

  it('ranks spans across passages on one probability scale', () => {
    const passages = ['退货请在签收后7天内申请。', 'Refunds are issued within 30 days of the return.'];
    const tokens = passages.map(tokenize);
    const windows = buildReaderWindows(tokenize('how long do refunds take'), tokens, BERT, OPTIONS);
    expect(windows.map((w) => w.passageIndex)).toEqual([0, 1]);
    const zh = tokenSpan(tokens[0], passages[0], '7天内');
    const en = tokenSpan(tokens[1], passages[1], 'within 30 days');
    const result = postprocessWindows(
      windows,
      [peak(windows[0], [{ ...zh, value: 3 }]), peak(windows[1], [{ ...en, value: 7 }])],
      passages,
      opts,
    );
    expect(result.spans[0]).toMatchObject({ passageIndex: 1, text: 'within 30 days', start: 19, end: 33 });
    const best = postprocessWindows(
      windows,
      [peak(windows[0], [{ ...zh, value: 3 }]), peak(windows[1], [{ ...en, value: 7 }])],
      passages,
      { ...opts, topK: 100 },
    );
    const zhSpan = best.spans.find((s) => s.passageIndex === 0 && s.score === 6)!;
    expect(zhSpan).toMatchObject({ text: '7天内', start: 7, end: 10 });
    // the Chinese span outranks every other span of its own passage, and sits below the English one by e^(6-14)
    expect(best.spans.filter((s) => s.passageIndex === 0)[0]).toBe(zhSpan);
    expect(zhSpan.probability / best.spans[0].probability).toBeCloseTo(Math.exp(6 - 14), 6);
  });

  it('widens a span that ends in the middle of a word when asked to', () => {
    // word pieces as WordPiece makes them: "refund" + "##s", "30", "days"; 退 and 货 are words of their own
    const text = 'refunds in 30 days 退货';
    const passage: TokenizedText = {
      ids: [1, 2, 3, 4, 5, 6, 7],
      offsets: [
        [0, 6],
        [6, 7],
        [8, 10],
        [11, 13],
        [14, 18],
        [19, 20],
        [20, 21],
      ],
    };
    const windows = buildReaderWindows(tokenize('how long'), [passage], BERT, OPTIONS);
    const logits = peak(windows[0], [
      { from: 0, to: 0, value: 9 },
      { from: 5, to: 5, value: 4 },
    ]);
    const raw = postprocessWindows(windows, [logits], [text], { ...opts, topK: 30 });
    expect(raw.spans[0].text).toBe('refund');
    const aligned = postprocessWindows(windows, [logits], [text], { ...opts, topK: 30, alignToWords: true });
    expect(aligned.spans[0]).toMatchObject({ text: 'refunds', start: 0, end: 7 });
    // CJK characters are not glued together
    expect(aligned.spans.some((s) => s.text === '退')).toBe(true);
    // widening never produces the same span twice
    const keys = aligned.spans.map((s) => `${s.start}:${s.end}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('returns a certain no-answer when there is nothing to read', () => {
    const result = postprocessWindows([], [], [''], opts);
    expect(result).toEqual({ spans: [], noAnswer: { score: 0, probability: 1 } });
  });
});
