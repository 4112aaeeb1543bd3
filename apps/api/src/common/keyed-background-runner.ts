/**
 * Background work per key (a KB's calibration, its intent training): a request schedules one run
 * after a debounce, so a burst of edits runs it once; at most one run per key at a time, and a request
 * arriving while it runs makes it run once more afterwards. With a spacing factor, a key whose run
 * took d ms waits until factor × d after that run ended before the next, so back-to-back requests
 * cannot keep the event loop busy with it.
 */

export interface KeyedBackgroundRunnerOptions {
  debounceMs: number;
  /** Wait at least this many times the last run's duration after it (default 0: debounce only). */
  spacingFactor?: number;
}

interface KeyState {
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  again?: boolean;
  lastEnded?: number;
  lastMillis?: number;
}

/** How long to wait before the next run of a key: the debounce, or longer right after a long run. */
export function nextRunDelay(
  last: { lastEnded?: number; lastMillis?: number },
  now: number,
  options: KeyedBackgroundRunnerOptions,
): number {
  if (last.lastEnded === undefined || !options.spacingFactor) return options.debounceMs;
  return Math.max(options.debounceMs, last.lastEnded + options.spacingFactor * (last.lastMillis ?? 0) - now);
}

export class KeyedBackgroundRunner {
  private readonly keys = new Map<string, KeyState>();
  private closed = false;

  /** `run` must not throw (log inside it): a rejection is swallowed so the key stays schedulable. */
  constructor(
    private readonly run: (key: string) => Promise<void>,
    private readonly options: KeyedBackgroundRunnerOptions,
  ) {}

  schedule(key: string): void {
    if (this.closed) return;
    const state = this.state(key);
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(
      () => {
        state.timer = undefined;
        const started = Date.now();
        state.running = this.run(key)
          .catch(() => undefined)
          .finally(() => {
            state.running = undefined;
            state.lastEnded = Date.now();
            state.lastMillis = state.lastEnded - started;
            if (state.again) {
              state.again = false;
              this.schedule(key);
            }
          });
      },
      nextRunDelay(state, Date.now(), this.options),
    );
    state.timer.unref();
  }

  /** Whether a run of the key is waiting or running. */
  busy(key: string): boolean {
    const state = this.keys.get(key);
    return Boolean(state?.timer || state?.running);
  }

  /** Resolves once nothing is waiting or running for the key (tests, the CLI, a first question). */
  async settled(key: string): Promise<void> {
    for (;;) {
      const state = this.keys.get(key);
      if (state?.timer) await new Promise((r) => setTimeout(r, this.options.debounceMs));
      else if (state?.running) await state.running;
      else return;
    }
  }

  /** Drops a key's pending run and history (its KB is gone). */
  forget(key: string): void {
    const state = this.keys.get(key);
    if (state?.timer) clearTimeout(state.timer);
    this.keys.delete(key);
  }

  /** No run starts after this; pending ones are dropped. */
  close(): void {
    this.closed = true;
    for (const state of this.keys.values()) if (state.timer) clearTimeout(state.timer);
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = {};
      this.keys.set(key, state);
    }
    return state;
  }
}
