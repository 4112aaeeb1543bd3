import { normalizeQuestion } from '@wendao/text';
import { describe, expect, it, vi } from 'vitest';
import { alternatesToSave, parseLines } from './alternates';

// The library's own function, watched: the form must compare with it, not with a copy that could drift.
vi.mock('@wendao/text', async (importOriginal) => {
  const text = await importOriginal<typeof import('@wendao/text')>();
  return { ...text, normalizeQuestion: vi.fn(text.normalizeQuestion) };
});

describe('parseLines', () => {
  it('reads alternates one per line, trimmed, without blanks or repeats', () => {
    expect(parseLines(' 怎么退货\n\n退货流程 \r\n怎么退货\n')).toEqual(['怎么退货', '退货流程']);
    expect(parseLines('')).toEqual([]);
  });
});

describe('alternatesToSave', () => {
  it("leaves out the entry's own question, in any case or width, with or without its question mark", () => {
    expect(alternatesToSave('怎么退货？', '怎么退货\n退货流程\n怎么退货?\n')).toEqual({
      alternates: ['退货流程'],
      ownQuestion: ['怎么退货', '怎么退货?'],
    });
    expect(alternatesToSave('Do you ship abroad?', 'do you SHIP abroad\nShip overseas?')).toEqual({
      alternates: ['Ship overseas?'],
      ownQuestion: ['do you SHIP abroad'],
    });
    expect(alternatesToSave('', '怎么退货')).toEqual({ alternates: ['怎么退货'], ownQuestion: [] });
  });
});

describe('the comparison', () => {
  it("is the API's normalizeQuestion (@wendao/text), not a copy of it", () => {
    vi.mocked(normalizeQuestion).mockClear();
    alternatesToSave('可以开发票吗？', '可以开发票吗\n发票怎么开');
    expect(vi.mocked(normalizeQuestion).mock.calls.map(([q]) => q)).toEqual(
      expect.arrayContaining(['可以开发票吗？', '可以开发票吗', '发票怎么开']),
    );
  });
});
