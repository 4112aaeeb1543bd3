import { describe, expect, it } from 'vitest';
import { pageCount, pageQuery, pageRange } from './paging';

describe('paging', () => {
  it('turns pages into limit/offset and shows the rows on a page', () => {
    expect(pageQuery(3, 20)).toEqual({ limit: 20, offset: 40 });
    expect(pageRange(1, 20, 135)).toEqual([1, 20]);
    expect(pageRange(7, 20, 135)).toEqual([121, 135]);
    expect(pageRange(1, 20, 0)).toEqual([0, 0]);
    expect(pageCount(20, 135)).toBe(7);
    expect(pageCount(20, 0)).toBe(1);
  });
});
