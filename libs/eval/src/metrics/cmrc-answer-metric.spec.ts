import { describe, expect, it } from 'vitest';
import { cmrcAnswerScore, cmrcSegment, longestCommonRun, wordTokenize } from './cmrc-answer-metric';

describe('cmrcSegment', () => {
  it('makes each Chinese character a token and keeps digit runs whole', () => {
    expect(cmrcSegment('北京2008年奥运会')).toEqual(['北', '京', '2008', '年', '奥', '运', '会']);
  });

  it('word-tokenises embedded English in lower case and keeps listed punctuation as tokens', () => {
    expect(cmrcSegment('Hello World，你好')).toEqual(['hello', 'world', '，', '你', '好']);
  });

  it('drops the listed punctuation when asked', () => {
    expect(cmrcSegment('《红楼梦》', true)).toEqual(['红', '楼', '梦']);
  });
});

describe('wordTokenize', () => {
  it('splits clitics and punctuation like NLTK and keeps decimals whole', () => {
    expect(wordTokenize("don't stop, 3.5 kg")).toEqual(['do', "n't", 'stop', ',', '3.5', 'kg']);
  });
});

describe('longestCommonRun', () => {
  it('counts a contiguous run, not a subsequence', () => {
    expect(longestCommonRun(['北', '京', '的', '奥', '运', '会'], ['北', '京', '奥', '运', '会'])).toBe(3);
  });
});

describe('cmrcAnswerScore', () => {
  it('gives character-level F1 for Chinese: 5 of 5 predicted, 5 of 7 gold tokens', () => {
    // gold tokens: 2008 年 北 京 奥 运 会 (7); P = 1, R = 5/7, F1 = 10/12
    const score = cmrcAnswerScore('北京奥运会', ['2008年北京奥运会']);
    expect(score.exactMatch).toBe(0);
    expect(score.f1).toBeCloseTo(10 / 12, 10);
  });

  it('uses the longest common contiguous run for the overlap', () => {
    // LCS 3 (奥运会): P = 3/6, R = 3/5, F1 = 6/11
    expect(cmrcAnswerScore('北京的奥运会', ['北京奥运会']).f1).toBeCloseTo(6 / 11, 10);
  });

  it('scores mixed English word-level: iphone 6 plus vs iphone 6', () => {
    expect(cmrcAnswerScore('iPhone 6 Plus', ['iphone 6']).f1).toBeCloseTo(0.8, 10);
  });

  it('ignores listed punctuation, case and surrounding space for EM', () => {
    expect(cmrcAnswerScore(' 《红楼梦》', ['红楼梦'])).toEqual({ exactMatch: 1, f1: 1 });
    expect(cmrcAnswerScore('IPHONE', ['iphone']).exactMatch).toBe(1);
  });

  it('takes the max over gold answers and gives 0 for no overlap', () => {
    expect(cmrcAnswerScore('曹雪芹', ['高鹗', '曹雪芹']).exactMatch).toBe(1);
    expect(cmrcAnswerScore('高鹗', ['曹雪芹'])).toEqual({ exactMatch: 0, f1: 0 });
    expect(cmrcAnswerScore('', ['曹雪芹'])).toEqual({ exactMatch: 0, f1: 0 });
  });
});
