import { describe, expect, it } from 'vitest';
import { SmallTalk } from './small-talk';

const smallTalk = new SmallTalk();

describe('SmallTalk', () => {
  it('knows greetings, thanks, goodbyes and identity questions in both languages', () => {
    const kinds: Array<[string, string]> = [
      ['您好！', 'greeting'],
      ['在吗？', 'greeting'],
      ['Good morning', 'greeting'],
      ['好的，谢谢', 'thanks'],
      ['Thank you!', 'thanks'],
      ['再见', 'goodbye'],
      ["That's all", 'goodbye'],
      ['你是真人吗', 'identity'],
      ['are you a bot?', 'identity'],
      ['你叫什么名字？', 'identity'],
      ["What's your name?", 'identity'],
    ];
    for (const [text, kind] of kinds) expect(smallTalk.match(text)?.kind, text).toBe(kind);
  });

  it('replies in the language of the message in a mixed KB, and in the KB’s language otherwise', () => {
    expect(smallTalk.match('hello')?.reply).toMatch(/Hello/);
    expect(smallTalk.match('你好')?.reply).toMatch(/您好/);
    expect(smallTalk.match('hello', 'zh')?.reply).toMatch(/您好/);
  });

  it('leaves questions alone, even with a greeting or thanks in them', () => {
    for (const text of [
      '你好，运费怎么算？',
      '谢谢，那换货呢？',
      'hi, how much is shipping?',
      'who pays for return shipping?',
    ])
      expect(smallTalk.match(text), text).toBeNull();
  });
});
