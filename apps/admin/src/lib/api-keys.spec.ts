import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  API_KEY_NAME_MAX,
  apiKeyExample,
  apiKeyLabel,
  apiKeyScope,
  exampleQuestion,
  maskApiKey,
} from './api-keys';
import { translate, type UiLanguage } from './i18n';
import { parseKeyName } from './widget-keys';

const t =
  (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);

/** The words a POSIX shell makes of a command line, after its first (the program). */
const shellWords = (line: string): string[] =>
  execFileSync('sh', ['-c', `printf '%s\\n' ${line.slice(line.indexOf(' ') + 1)}`], { encoding: 'utf8' })
    .split('\n')
    .slice(0, -1);

const KEY = 'wdk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
const KB = '3f0c1e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6';

describe('API keys in the console', () => {
  it('names a key by its name and the prefix the server keeps, marked as cut short', () => {
    expect(maskApiKey('wdk_AbCdEf')).toBe('wdk_AbCdEf…');
    expect(apiKeyLabel({ name: '商城后台', prefix: 'wdk_AbCdEf' })).toBe('商城后台 (wdk_AbCdEf…)');
    expect(apiKeyLabel({ name: '  ', prefix: 'wdk_AbCdEf' })).toBe('wdk_AbCdEf…');
  });

  it('says what a key reaches: all KBs, its KB by label, or a KB not listed by its id', () => {
    const labels = new Map([[KB, '售后客服']]);
    expect(apiKeyScope(null, labels, t('zh'))).toBe('所有知识库');
    expect(apiKeyScope(null, labels, t('en'))).toBe('All knowledge bases');
    expect(apiKeyScope(KB, labels, t('en'))).toBe('售后客服');
    expect(apiKeyScope('9a0b1c2d-0000-4000-8000-000000000000', labels, t('en'))).toBe(
      'Knowledge base 9a0b1c2d…',
    );
  });

  it('checks a name against the server limit of 200 characters, an emoji being one', () => {
    expect(parseKeyName('x'.repeat(201), API_KEY_NAME_MAX).tooLong).toBe(201);
    expect(parseKeyName('🛒'.repeat(200), API_KEY_NAME_MAX)).toEqual({
      name: '🛒'.repeat(200),
      tooLong: null,
    });
    // A widget key's names stay at 80.
    expect(parseKeyName('x'.repeat(81)).tooLong).toBe(81);
  });

  it('asks in the KB language, or the console language for a KB in both', () => {
    expect(exampleQuestion('zh', 'en')).toBe('退货期限是多久？');
    expect(exampleQuestion('en', 'zh')).toBe('How long do I have to return an item?');
    expect(exampleQuestion('mixed', 'zh')).toBe('退货期限是多久？');
    expect(exampleQuestion(undefined, 'en')).toBe('How long do I have to return an item?');
  });

  it('writes a curl line that asks with the key, each argument as the shell reads it', () => {
    const line = apiKeyExample('http://127.0.0.1:3000', KEY, 'agent', KB, '退货期限是多久？');
    expect(line.startsWith('curl ')).toBe(true);
    expect(shellWords(line)).toEqual([
      '-s',
      '-X',
      'POST',
      `http://127.0.0.1:3000/api/kbs/${KB}/ask`,
      '-H',
      `Authorization: Bearer ${KEY}`,
      '-H',
      'content-type: application/json',
      '-d',
      '{"question":"退货期限是多久？"}',
    ]);
    // A question with a quote of either kind stays one JSON argument.
    const quoted = shellWords(apiKeyExample('https://x.example', KEY, 'editor', KB, `Can't I say "now"?`));
    expect(JSON.parse(quoted[quoted.length - 1])).toEqual({ question: `Can't I say "now"?` });
  });

  it('has a viewer key, which may not ask, read the FAQ entries instead; no KB yet: a placeholder', () => {
    expect(shellWords(apiKeyExample('https://x.example', KEY, 'viewer', KB, 'q'))).toEqual([
      '-s',
      `https://x.example/api/kbs/${KB}/faqs`,
      '-H',
      `Authorization: Bearer ${KEY}`,
    ]);
    expect(apiKeyExample('https://x.example', KEY, 'agent', null, 'q')).toContain(
      "'https://x.example/api/kbs/KB_ID/ask'",
    );
  });
});
