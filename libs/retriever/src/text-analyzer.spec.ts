import { describe, expect, it } from 'vitest';
import { stemEnglish } from './english-stemmer';
import { TextAnalyzer } from './text-analyzer';

const analyzer = new TextAnalyzer();

describe('TextAnalyzer, Chinese', () => {
  it('emits jieba words, bigrams and characters from stopword-free spans only', () => {
    const terms = analyzer.analyze('如何申请退货');
    expect(terms).toEqual(
      expect.arrayContaining(['申请', '退货', 'b:申请', 'b:请退', 'b:退货', 'c:退', 'c:货']),
    );
    // 如何 is a stopword: neither the word nor bigrams/characters straddling it are indexed.
    expect(terms).not.toContain('如何');
    expect(terms).not.toContain('b:何申');
    expect(terms).not.toContain('c:如');
  });

  it('lets a one-character query word reach documents through the character channel', () => {
    expect(analyzer.analyzeQuery('怎么退')).toEqual(['c:退']);
    expect(analyzer.analyze('申请退货')).toContain('c:退');
  });

  it('analyzes queries and documents the same way', () => {
    const text = '东西不想要了怎么退？iPhone 15 的 charging cable';
    expect(analyzer.analyzeQuery(text)).toEqual(analyzer.analyze(text));
  });

  it('drops particles and pronouns entirely', () => {
    expect(analyzer.analyze('我的了吗')).toEqual([]);
  });

  it('keeps Chinese stopwords as terms of their own when asked, still breaking the spans', () => {
    const keeping = new TextAnalyzer({ keepChineseStopwords: true });
    const terms = keeping.analyze('运费怎么算吗');
    expect(terms).toEqual(expect.arrayContaining(['运费', 'b:运费', 's:怎么', 's:吗', 'c:算']));
    expect(terms).not.toContain('b:费怎');
    expect(terms).not.toContain('c:怎');
    expect(keeping.analyze('我的了吗')).toEqual(['s:我', 's:的', 's:了', 's:吗']);
    // English stopwords are still dropped.
    expect(keeping.analyze('How do I return the Items?')).toEqual(['return', 'item']);
  });

  it('uses the stopword list it is given', () => {
    expect(new TextAnalyzer({ stopwords: [] }).analyze('我的订单')).toContain('c:的');
  });
});

describe('TextAnalyzer, English, numbers and width', () => {
  it('lower-cases, stems and removes stopwords', () => {
    expect(analyzer.analyze('How do I return the Items?')).toEqual(['return', 'item']);
  });

  it('spells out negations, so every "n\'t" says "not"', () => {
    expect(analyzer.analyze("My code isn't working")).toEqual(analyzer.analyze("my code doesn't working"));
    expect(analyzer.analyze("My code isn't working")).toEqual(['code', 'not', stemEnglish('working')]);
    expect(analyzer.analyze('It won’t ship and I can’t pay')).toEqual(['not', 'ship', 'not', 'pay']);
  });

  it('folds full-width letters, digits and spaces to half-width', () => {
    expect(analyzer.analyze('ＡＢＣ　１２３')).toEqual(analyzer.analyze('abc 123'));
    expect(analyzer.analyze('ＡＢＣ　１２３')).toEqual(['abc', '123']);
  });

  it('keeps numbers, decimals and times whole', () => {
    expect(analyzer.analyze('价格３.５元，10:30发货，热线400')).toEqual(
      expect.arrayContaining(['3.5', '10:30', '400', '价格', '发货']),
    );
  });

  it('indexes letter-digit tokens whole and in parts', () => {
    const terms = analyzer.analyze('iPhone15的保修期');
    expect(terms).toEqual(
      expect.arrayContaining(['iphone15', stemEnglish('iphone'), '15', '保修期', 'b:保修']),
    );
  });

  it('rejects non-string input clearly', () => {
    expect(() => analyzer.analyze(undefined as unknown as string)).toThrow(/text must be a string/);
  });
});

describe('stemEnglish', () => {
  it('folds plural, -ing and -ed forms onto one stem', () => {
    const same = (...words: string[]) => expect(new Set(words.map(stemEnglish)).size).toBe(1);
    same('return', 'returns', 'returning', 'returned');
    same('charge', 'charges', 'charging', 'charged');
    same('ship', 'ships', 'shipping', 'shipped');
    same('order', 'orders', 'ordering', 'ordered');
    same('box', 'boxes');
    same('battery', 'batteries');
    same('apply', 'applied');
  });

  it('leaves words that only look inflected alone', () => {
    expect(stemEnglish('address')).toBe('address');
    expect(stemEnglish('status')).toBe('status');
    expect(stemEnglish('bus')).toBe('bus');
    expect(stemEnglish('sing')).toBe('sing');
  });
});

describe('TextAnalyzer.characterTerms', () => {
  it('keeps every CJK character, stopwords included, and the English words as analyze makes them', () => {
    const a = new TextAnalyzer();
    expect(a.characterTerms('不想要了能退吗？Return the boxes')).toEqual([
      '不',
      '想',
      '要',
      '了',
      '能',
      '退',
      '吗',
      ...a.analyze('Return the boxes'),
    ]);
    expect(a.characterTerms('，。！？ ')).toEqual([]);
  });
});
