import { describe, expect, it } from 'vitest';
import { fixed, markdownTable } from './markdown-table';

describe('markdownTable', () => {
  it('renders a header, a separator and one line per row, with "-" for missing cells', () => {
    expect(
      markdownTable(
        ['engine', 'sent/s'],
        [
          ['Wendao', '12.5'],
          ['peer', undefined],
        ],
      ),
    ).toBe(['| engine | sent/s |', '|---|---|', '| Wendao | 12.5 |', '| peer | - |'].join('\n'));
  });

  it('escapes pipes so a cell cannot add a column', () => {
    expect(markdownTable(['a'], [['x|y']])).toContain('| x\\|y |');
  });

  it('rejects rows whose width differs from the header', () => {
    expect(() => markdownTable(['a', 'b'], [['only one']])).toThrow(/row 0 has 1 cells/);
  });
});

describe('fixed', () => {
  it('formats to fixed decimals and prints "-" for missing or non-finite values', () => {
    expect(fixed(3.14159, 2)).toBe('3.14');
    expect(fixed(undefined, 1)).toBe('-');
    expect(fixed(NaN, 1)).toBe('-');
  });
});
