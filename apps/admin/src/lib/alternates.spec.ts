import { describe, expect, it } from 'vitest';
import { alternatesToSave, parseLines } from './alternates';

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
