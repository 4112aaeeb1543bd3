/**
 * The API server's own event loop and memory, seen from inside: preloaded into the server a bench
 * starts (`node --require …/event-loop-probe.js`), it appends one JSON line a second to
 * WENDAO_BENCH_LOOP_FILE with the longest event-loop delay of that second, its p99 and the RSS.
 * The bench reads the lines back for the stretch it measured (readLoopSamples).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

export interface LoopSample {
  /** Epoch milliseconds at the end of the second. */
  t: number;
  /** Longest event-loop delay in that second (a stall), milliseconds. */
  maxMs: number;
  p99Ms: number;
  rssMiB: number;
}

export function readLoopSamples(file: string, fromMs = 0, toMs = Infinity): LoopSample[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LoopSample)
    .filter((s) => s.t >= fromMs && s.t <= toMs);
}

const file = process.env.WENDAO_BENCH_LOOP_FILE;
// Worker threads inherit --require: only the main thread's loop is the one requests wait on.
if (file && isMainThread) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  setInterval(() => {
    const sample: LoopSample = {
      t: Date.now(),
      maxMs: delay.max / 1e6,
      p99Ms: delay.percentile(99) / 1e6,
      rssMiB: process.memoryUsage.rss() / 1048576,
    };
    appendFileSync(file, `${JSON.stringify(sample)}\n`);
    delay.reset();
  }, 1000).unref();
}
