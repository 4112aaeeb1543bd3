/**
 * A form's fields in a fieldset without the browser's border, padding and minimum width. Not
 * disabled: a viewer reads read-only fields (or the settings as text) in full contrast.
 */
import type { ReactNode } from 'react';

export function PlainFieldset({ children }: { children: ReactNode }) {
  return <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>{children}</fieldset>;
}
