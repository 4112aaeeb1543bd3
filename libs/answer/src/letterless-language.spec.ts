import { describe, expect, it } from 'vitest';
import { letterlessReplyLanguage } from './letterless-language';

describe('letterlessReplyLanguage', () => {
  it("answers a question without letters in the asker's language, else in Chinese", () => {
    expect(letterlessReplyLanguage('48', 'en')).toBe('en');
    expect(letterlessReplyLanguage('48', 'zh')).toBe('zh');
    expect(letterlessReplyLanguage('48')).toBe('zh');
    expect(letterlessReplyLanguage('😡 ？')).toBe('zh');
  });

  it('leaves a question with letters to its own language', () => {
    expect(letterlessReplyLanguage('When will 48 ship?', 'zh')).toBeUndefined();
    expect(letterlessReplyLanguage('48小时', 'en')).toBeUndefined();
  });
});
