/**
 * A table column's header or cell, rendered by calling it. The pages build their columns on every
 * render, so a cell function is a new function each time; rendered as a component (TanStack's
 * flexRender creates an element whose type is the function) it would make React unmount and mount
 * every cell on every render of the page, losing what a cell holds: a confirmation dialog opened from
 * a row (revoking a widget key, deleting a KB) closed by itself whenever the page rendered again, e.g.
 * when the list was read again. Cells use no hooks of their own, so calling them is safe.
 */
import type { ReactNode } from 'react';

export function renderColumnPart<C>(part: unknown, context: C): ReactNode {
  return typeof part === 'function' ? (part as (context: C) => ReactNode)(context) : (part as ReactNode);
}
