/**
 * Long synchronous work (building or loading an 84k-entry KB's index: ~45 s of analysis on a 2-core
 * EPYC) split into slices: `pause()` yields to the event loop once a slice has run for `sliceMs`, so
 * asks on every other KB are served between slices instead of after the whole job.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** A pause() that yields once `sliceMs` of work has run since the last yield (cheap to call often). */
export function eventLoopSlices(sliceMs = 10): () => Promise<void> {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < sliceMs) return;
    await yieldToLoop();
    started = performance.now();
  };
}
