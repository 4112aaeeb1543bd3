/**
 * The few line icons the console draws itself (copy, copied), 16 px in the text colour, so that a
 * copy button looks the same wherever a value can be copied.
 */
import type { ReactNode } from 'react';

function StrokeIcon({ children }: { children: ReactNode }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden
    >
      {children}
    </svg>
  );
}

export function CopyIcon() {
  return (
    <StrokeIcon>
      <rect x="9" y="9" width="12" height="12" rx="2" />
      <path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />
    </StrokeIcon>
  );
}

export function CheckIcon() {
  return (
    <StrokeIcon>
      <path d="M20 6 9 17l-5-5" />
    </StrokeIcon>
  );
}
