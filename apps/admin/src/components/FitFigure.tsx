/**
 * A summary figure on one line: kept at its size while it fits its card, shrunk just enough when it
 * does not. The dashboard's answer time "1008 / 2726 ms" (an answer time in seconds, as the neural
 * mode's are) took two lines in the seven-across summary at 1280 px, and "85 / 221 ms" at 768 px.
 */
import { Text } from '@mantine/core';
import { useLayoutEffect, useRef } from 'react';

/** The smallest share of its size a figure is shrunk to (below it, it is cut with an ellipsis). */
const MIN_SCALE = 0.6;

export function FitFigure({ value, testId }: { value: string; testId: string }) {
  const box = useRef<HTMLParagraphElement>(null);
  const inner = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const fit = () => {
      const b = box.current;
      const s = inner.current;
      if (!b || !s) return;
      // Measured at full size: the scale the figure needs in the card's width now.
      s.style.fontSize = '';
      const needed = s.getBoundingClientRect().width;
      const room = b.clientWidth;
      if (needed > room)
        s.style.fontSize = `${Math.max(MIN_SCALE, Math.floor((room / needed) * 100) / 100)}em`;
    };
    fit();
    // A web font that arrives later is wider or narrower than the fallback measured first.
    void document.fonts?.ready.then(fit);
    const observer = new ResizeObserver(fit);
    if (box.current) observer.observe(box.current);
    return () => observer.disconnect();
  }, [value]);
  return (
    // The line keeps the full size's height, so a shrunk figure's card lines up with the others.
    <Text
      ref={box}
      fw={700}
      size="xl"
      data-testid={testId}
      style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
    >
      <span ref={inner}>{value}</span>
    </Text>
  );
}
