import { describe, expect, it } from 'vitest';
import { parseLines } from './alternates';

describe('parseLines', () => {
  it('reads alternates one per line, trimmed, without blanks or repeats', () => {
    expect(parseLines(' 怎么退货\n\n退货流程 \r\n怎么退货\n')).toEqual(['怎么退货', '退货流程']);
    expect(parseLines('')).toEqual([]);
  });
});
