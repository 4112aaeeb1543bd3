import { createElement, isValidElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderColumnPart } from './table-cell';

describe('renderColumnPart', () => {
  it("calls a cell function, so the element's type is what the cell returns, not the function: a page's columns, rebuilt on every render, do not remount their cells", () => {
    // Two renders of a page: two different functions for the same column.
    const cells = [0, 1].map(() => (c: { value: string }) => createElement('span', null, c.value));
    const [first, second] = cells.map((cell) => renderColumnPart(cell, { value: 'wk_1' }));
    expect(isValidElement(first) && isValidElement(second)).toBe(true);
    if (!isValidElement(first) || !isValidElement(second)) return;
    expect(first.type).toBe('span');
    expect(second.type).toBe(first.type);
  });

  it('renders a header or cell given as a value as it is', () => {
    expect(renderColumnPart('名称', {})).toBe('名称');
    expect(renderColumnPart(undefined, {})).toBeUndefined();
  });
});
