import { describe, expect, it } from 'vitest';
import { keyLabel, maskKey, parseKeyName, parseOrigins, sortKeys, widgetSnippet } from './widget-keys';

describe('widget keys in the console', () => {
  it('masks a key to its first and last four characters after wk_', () => {
    expect(maskKey('wk_AbCdEfGhIjKlMnOpQrStUvWxYz012345')).toBe('wk_AbCd…2345');
    // Too short to hide anything: shown as it is.
    expect(maskKey('wk_short')).toBe('wk_short');
  });

  it('reads origins one per line as the server does: normalised, deduplicated, bad lines named', () => {
    expect(
      parseOrigins(' https://shop.example.com/ \n\nhttp://localhost:3000\r\nhttps://SHOP.example.com\n'),
    ).toEqual({ origins: ['https://shop.example.com', 'http://localhost:3000'], invalid: [] });
    expect(
      parseOrigins('shop.example.com\nhttps://a.example.com/path\nftp://x.example\nhttps://ok.example')
        .invalid,
    ).toEqual(['shop.example.com', 'https://a.example.com/path', 'ftp://x.example']);
    expect(parseOrigins('')).toEqual({ origins: [], invalid: [] });
  });

  it('reads a name as the server does: trimmed, blank is none, too long counted in characters', () => {
    expect(parseKeyName('  Shop A (www) ')).toEqual({ name: 'Shop A (www)', tooLong: null });
    expect(parseKeyName('   ')).toEqual({ name: null, tooLong: null });
    expect(parseKeyName('x'.repeat(81)).tooLong).toBe(81);
    // 80 emoji are 160 UTF-16 units, and fit.
    expect(parseKeyName('🛒'.repeat(80)).tooLong).toBeNull();
  });

  it('names a key in a sentence by its name and masked key, or the masked key alone', () => {
    const key = 'wk_AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    expect(keyLabel({ key, name: '官网商城' })).toBe('官网商城 (wk_AbCd…2345)');
    expect(keyLabel({ key, name: null })).toBe('wk_AbCd…2345');
    expect(keyLabel({ key })).toBe('wk_AbCd…2345');
  });

  it('writes the script tag a page pastes, with the server, the key and the widget language', () => {
    expect(widgetSnippet('https://wendao.example.com', 'wk_abc', 'en')).toBe(
      '<script src="https://wendao.example.com/widget.js" data-key="wk_abc" data-lang="en"></script>',
    );
  });

  it('lists live keys first, then revoked ones, latest revoked first', () => {
    const keys = [
      { id: 'a', revokedAt: '2026-12-01T00:00:00Z' },
      { id: 'b', revokedAt: null },
      { id: 'c', revokedAt: '2026-12-05T00:00:00Z' },
      { id: 'd' },
    ];
    expect(sortKeys(keys).map((k) => k.id)).toEqual(['b', 'd', 'c', 'a']);
  });
});
