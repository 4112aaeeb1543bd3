import { describe, expect, it } from 'vitest';
import {
  intentsToRetrievalSet,
  limitPerLabel,
  parseBanking77Csv,
  parseClinc150Json,
  parseSmp2017Tsv,
  parseCais,
  stratifiedSplit,
} from './intent-dataset';
import { sampleInOrder } from './seeded-random';
import { pairsToRetrievalSet, parsePairJsonl, parsePairTsv } from './sentence-pair-dataset';
import { parseSquadJson } from './squad-dataset';
import { parseStackFaqJson } from './stackfaq-dataset';
import { parseStsbEnTsv, parseStsbZhTsv } from './sts-dataset';

describe('parseSquadJson', () => {
  it('flattens articles into questions that keep every gold answer and their context index', () => {
    const json = {
      data: [
        {
          title: '退货',
          paragraphs: [
            {
              context: '签收后7天内可退货。',
              qas: [
                {
                  id: 'q1',
                  question: '几天可以退货？',
                  answers: [
                    { text: '7天内', answer_start: 3 },
                    { text: '7天', answer_start: 3 },
                  ],
                },
              ],
            },
            { context: '运费由买家承担。', qas: [{ id: 'q2', question: '谁付运费？', answers: [] }] },
          ],
        },
      ],
    };
    const { examples, contexts } = parseSquadJson(json);
    expect(contexts).toEqual(['签收后7天内可退货。', '运费由买家承担。']);
    expect(examples).toHaveLength(1); // q2 has no gold answer and cannot be scored
    expect(examples[0]).toMatchObject({
      id: 'q1',
      answers: ['7天内', '7天'],
      answerStarts: [3, 3],
      contextIndex: 0,
      title: '退货',
    });
  });

  it('refuses a file that is not SQuAD format', () => {
    expect(() => parseSquadJson({ version: 1 }, 'x.json')).toThrow(/x.json: not SQuAD format/);
  });
});

describe('parseStackFaqJson', () => {
  it('makes threads entries and drops placeholder paraphrases', () => {
    const set = parseStackFaqJson({
      root: {
        qapair: [
          { rephr: ['How do I strike text?', '*', null], question: 'Strikethrough', answer: 'Use ~~x~~' },
        ],
      },
    });
    expect(set.entries).toEqual([{ id: 'thread-0', texts: ['Strikethrough', 'Use ~~x~~'] }]);
    expect(set.queries).toEqual([{ text: 'How do I strike text?', relevant: ['thread-0'] }]);
  });
});

describe('sentence pairs', () => {
  it('parses TSV and JSONL labels and rejects other labels', () => {
    expect(parsePairTsv('怎么还款\t如何还款\t1\n今天天气\t怎么还款\t0\n')).toEqual([
      { a: '怎么还款', b: '如何还款', positive: true },
      { a: '今天天气', b: '怎么还款', positive: false },
    ]);
    expect(parsePairJsonl('{"sentence1":"花呗","sentence2":"借呗","label":"0","idx":0}')[0].positive).toBe(
      false,
    );
    expect(() => parsePairTsv('a\tb\t2', 'f.tsv')).toThrow(/f.tsv:1: label must be 0 or 1/);
    expect(() => parsePairTsv('a\tb', 'f.tsv')).toThrow(/expected 3 tab-separated columns/);
  });

  it('turns positive pairs into queries whose gold is the partner and which exclude themselves', () => {
    const set = pairsToRetrievalSet(parsePairTsv('A\tB\t1\nA\tC\t1\nB\tD\t0\n'), 'zh');
    expect(set.entries.map((e) => e.texts[0])).toEqual(['A', 'B', 'C', 'D']);
    const byText = new Map(set.queries.map((q) => [q.text, q]));
    expect(byText.get('A')).toEqual({ text: 'A', relevant: ['s1', 's2'], exclude: 's0' });
    expect(byText.get('C')).toEqual({ text: 'C', relevant: ['s0'], exclude: 's2' });
    expect(byText.has('D')).toBe(false); // only in a negative pair: nothing to find
  });
});

describe('intent sets', () => {
  it('parses BANKING77 CSV with quoted commas', () => {
    expect(parseBanking77Csv('text,category\n"Hi, where is my card?",card_arrival\n')).toEqual([
      { text: 'Hi, where is my card?', label: 'card_arrival' },
    ]);
  });

  it('reads CLINC150 in-scope splits and rejects malformed rows', () => {
    const split = parseClinc150Json({
      train: [['play music', 'play']],
      test: [['music please', 'play']],
      oos_test: [['x', 'oos']],
    });
    expect(split.test).toEqual([{ text: 'music please', label: 'play' }]);
    expect(() => parseClinc150Json({ train: [['x']], test: [] })).toThrow(/train\[0\]/);
  });

  it('splits SMP2017 per label with a fixed seed, keeping every label in train', () => {
    const rows = parseSmp2017Tsv(
      'Sentence\tTag\n' +
        Array.from({ length: 10 }, (_, i) => `问题${i}\t${i < 8 ? 'chat' : 'app'}`).join('\n'),
    );
    const a = stratifiedSplit(rows, 0.25, 7);
    const b = stratifiedSplit(rows, 0.25, 7);
    expect(a).toEqual(b);
    expect(a.train.filter((r) => r.label === 'chat')).toHaveLength(2);
    expect(a.train.filter((r) => r.label === 'app')).toHaveLength(1);
    expect(a.test).toHaveLength(7);
    expect(() => parseSmp2017Tsv('a\tb\n')).toThrow(/header/);
  });

  it('reads CAIS: one character per line, blank lines between utterances, intents aligned', () => {
    const rows = parseCais(
      '来 O\n张 B-singer_name\n信 I-singer_name\n\n几 O\n点 O\n',
      'PlayMusic\nGetDate\n',
    );
    expect(rows).toEqual([
      { text: '来张信', label: 'PlayMusic' },
      { text: '几点', label: 'GetDate' },
    ]);
    expect(() => parseCais('a O\n\nb O\n', 'X\n')).toThrow(/2 utterances but 1 intent/);
  });

  it('keeps at most n training utterances per label, the same ones every run', () => {
    const train = Array.from({ length: 12 }, (_, i) => ({ text: `u${i}`, label: i < 9 ? 'a' : 'b' }));
    const split = { train, test: [{ text: 'q', label: 'a' }] };
    const few = limitPerLabel(split, 2);
    expect(few.train.filter((r) => r.label === 'a')).toHaveLength(2);
    expect(few.train.filter((r) => r.label === 'b')).toHaveLength(2);
    expect(limitPerLabel(split, 2)).toEqual(few);
    expect(few.test).toBe(split.test);
    expect(() => limitPerLabel(split, 0)).toThrow(/positive integer/);
  });

  it('makes intents entries with training utterances as alternates', () => {
    const set = intentsToRetrievalSet(
      {
        train: [
          { text: 'a', label: 'x' },
          { text: 'b', label: 'x' },
        ],
        test: [{ text: 'c', label: 'x' }],
      },
      'en',
    );
    expect(set.entries).toEqual([{ id: 'x', texts: ['a', 'b'] }]);
    expect(set.queries).toEqual([{ text: 'c', relevant: ['x'] }]);
    expect(() => intentsToRetrievalSet({ train: [], test: [{ text: 'c', label: 'y' }] }, 'en')).toThrow(
      /"y"/,
    );
  });
});

describe('STS-B', () => {
  it('reads the English split with literal quotes and the Chinese triples', () => {
    const en =
      'split\tgenre\tdataset\tyear\tsid\tscore\tsentence1\tsentence2\n' +
      'test\tmain\tMSRvid\t2012\t1\t2.5\tA "quoted" man.\tA man.\ntrain\tmain\tx\t2012\t2\t5.0\ta\tb\n';
    expect(parseStsbEnTsv(en, 'test')).toEqual([{ a: 'A "quoted" man.', b: 'A man.', score: 2.5 }]);
    expect(parseStsbZhTsv('一个人\t一个男人\t4\n')).toEqual([{ a: '一个人', b: '一个男人', score: 4 }]);
    expect(() => parseStsbZhTsv('a\tb\tsix')).toThrow(/score must be 0..5/);
  });
});

describe('sampleInOrder', () => {
  it('takes a deterministic subset in original order', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const s = sampleInOrder(items, 10);
    expect(s).toHaveLength(10);
    expect(s).toEqual([...s].sort((a, b) => a - b));
    expect(sampleInOrder(items, 10)).toEqual(s);
    expect(sampleInOrder(items, undefined)).toEqual(items);
  });
});
