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

  it('knows an acknowledgement alone (好的, 收到, ok, got it, 👍), and not inside a question', () => {
    for (const text of [
      '好的',
      '好的。',
      '嗯嗯',
      '收到',
      '明白了',
      'OK',
      'ok!',
      'got it',
      'Alright',
      '👍',
      '👍🏻',
      '👌😊',
    ])
      expect(smallTalk.match(text)?.kind, text).toBe('acknowledgement');
    expect(smallTalk.match('好的', 'zh')?.reply).toBe('好的，还有其他问题随时问我。');
    expect(smallTalk.match('👍', 'en')?.reply).toBe('OK. Anything else I can help with?');
    expect(smallTalk.match('got it', 'mixed')?.reply).toBe('OK. Anything else I can help with?');
    for (const text of [
      '好的，那运费呢？',
      '收到货了怎么退',
      'ok so how much is shipping?',
      '😡',
      '🙂 运费多少',
    ])
      expect(smallTalk.match(text)?.kind, text).not.toBe('acknowledgement');
  });

  it('replies in the language of the message in a mixed KB, and in the KB’s language otherwise', () => {
    expect(smallTalk.match('hello')?.reply).toMatch(/Hello/);
    expect(smallTalk.match('你好')?.reply).toMatch(/您好/);
    expect(smallTalk.match('hello', 'zh')?.reply).toMatch(/您好/);
    // "ok" is written alike in both: the customer's language (the policy passes their last one).
    expect(smallTalk.match('ok')?.reply).toBe('好的，还有其他问题随时问我。');
    expect(smallTalk.match('ok', 'mixed', 'en')?.reply).toBe('OK. Anything else I can help with?');
    expect(smallTalk.match('好的', 'mixed', 'en')?.reply).toBe('好的，还有其他问题随时问我。');
    expect(smallTalk.match('got it', 'mixed', 'zh')?.reply).toBe('OK. Anything else I can help with?');
  });

  it('knows thanks, OKs and goodbyes strung together, the strongest kind winning', () => {
    // Customer QA: these were asked of the KB and fell back ('抱歉，没有找到相关答案' to a goodbye).
    const kinds: Array<[string, string]> = [
      ['谢谢，再见', 'goodbye'],
      ['好的谢谢再见', 'goodbye'],
      ['没有了，谢谢', 'goodbye'],
      ['不用了谢谢', 'goodbye'],
      ['明白了，谢谢', 'thanks'],
      ['ok谢谢', 'thanks'],
      ['谢谢你的帮助', 'thanks'],
      ['谢谢亲', 'thanks'],
      ['好嘞', 'acknowledgement'],
      ['行吧', 'acknowledgement'],
      ['cool thanks bye', 'goodbye'],
      ['thank you, goodbye', 'goodbye'],
      ['no thanks', 'goodbye'],
      ["that's all, thanks", 'goodbye'],
      ['thanks, have a good day', 'goodbye'],
      ['great, thank you!', 'thanks'],
      ['thanks a lot', 'thanks'],
      ['thank you very much for your help', 'thanks'],
    ];
    for (const [text, kind] of kinds) expect(smallTalk.match(text)?.kind, text).toBe(kind);
    expect(smallTalk.match('谢谢，再见')?.reply).toBe('感谢咨询，再见！');
    expect(smallTalk.match('thanks bye')?.reply).toBe('Thanks for chatting. Goodbye!');
    // Only closing words: a question or a request in them leaves the message to the KB.
    for (const text of [
      '好贵',
      '收到了吗',
      '感谢信怎么写',
      '不用了吗',
      'thanks, how do I return an item?',
      'ok so what about returns',
    ])
      expect(smallTalk.match(text), text).toBeNull();
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
