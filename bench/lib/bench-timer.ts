/**
 * Times async calls with a monotonic clock and the process's CPU time. On a shared machine wall
 * time swings with other people's load, while CPU time per call (all threads of this process)
 * barely moves, so both are kept. Warm-up calls run first and are thrown away.
 */

export interface CallSample {
  /** Elapsed milliseconds. */
  wallMs: number;
  /** User + system CPU milliseconds of this process during the call (every thread, spinning included). */
  cpuMs: number;
}

/** Times one call of `fn`. */
export async function timeCall(fn: () => Promise<unknown>): Promise<CallSample> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await fn();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Runs `fn(i)` for i in [0, iterations) after `warmup` untimed calls; one sample per timed call. */
export async function timeCalls(
  fn: (i: number) => Promise<unknown>,
  opts: { iterations: number; warmup?: number },
): Promise<CallSample[]> {
  if (!(Number.isInteger(opts.iterations) && opts.iterations >= 1)) {
    throw new RangeError(`iterations must be a positive integer, got ${opts.iterations}`);
  }
  for (let i = 0; i < (opts.warmup ?? 0); i++) await fn(i);
  const samples: CallSample[] = [];
  for (let i = 0; i < opts.iterations; i++) samples.push(await timeCall(() => fn(i)));
  return samples;
}

/** Items per second for `items` processed in total over calls that took `samplesMs` milliseconds. */
export function throughput(items: number, samplesMs: readonly number[]): number {
  const totalMs = samplesMs.reduce((a, b) => a + b, 0);
  if (!(totalMs > 0)) throw new RangeError('throughput needs a positive elapsed time');
  return (items * 1000) / totalMs;
}

/**
 * Times `calls` calls per engine, the engines taking turns: in rounds of `block` consecutive calls
 * each, the first engine rotating between rounds. block 1 (call by call) spreads load from other
 * processes evenly over the engines; larger blocks let each engine run warm (its weights in cache).
 * `call(engine, i)` gets the call's index, the same for every engine.
 */
export async function takeTurns<E extends { name: string }>(
  engines: readonly E[],
  calls: number,
  call: (engine: E, i: number) => Promise<unknown>,
  opts: { block?: number } = {},
): Promise<Map<string, CallSample[]>> {
  const block = opts.block ?? 1;
  if (!(Number.isInteger(block) && block >= 1))
    throw new RangeError(`block must be a positive integer, got ${block}`);
  const samples = new Map<string, CallSample[]>(engines.map((e) => [e.name, []]));
  for (let round = 0; round * block < calls; round++) {
    for (let k = 0; k < engines.length; k++) {
      const engine = engines[(round + k) % engines.length];
      for (let i = round * block; i < Math.min(calls, (round + 1) * block); i++) {
        samples.get(engine.name)?.push(await timeCall(() => call(engine, i)));
      }
    }
  }
  return samples;
}
