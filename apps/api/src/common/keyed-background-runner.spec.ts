import { describe, expect, it } from 'vitest';
import { KeyedBackgroundRunner, nextRunDelay } from './keyed-background-runner';

describe('nextRunDelay', () => {
  const options = { debounceMs: 300, spacingFactor: 4 };

  it('debounces the first run of a key', () => {
    expect(nextRunDelay({}, 1_000, options)).toBe(300);
  });

  it('spaces the next run by four times the last one, counted from its end', () => {
    // A 1.6 s calibration (1,000-entry KB) that ended 100 ms ago: the next starts 6.3 s from now.
    expect(nextRunDelay({ lastEnded: 10_000, lastMillis: 1_600 }, 10_100, options)).toBe(6_300);
  });

  it('never waits less than the debounce, nor longer once the spacing has passed, nor at all without a factor', () => {
    expect(nextRunDelay({ lastEnded: 10_000, lastMillis: 20 }, 10_010, options)).toBe(300);
    expect(nextRunDelay({ lastEnded: 10_000, lastMillis: 1_600 }, 60_000, options)).toBe(300);
    expect(nextRunDelay({ lastEnded: 10_000, lastMillis: 1_600 }, 10_100, { debounceMs: 300 })).toBe(300);
  });
});

describe('KeyedBackgroundRunner', () => {
  function recorder() {
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const runner = new KeyedBackgroundRunner(
      async (key) => {
        runs.push(key);
        await new Promise<void>((r) => (release = r));
      },
      { debounceMs: 10 },
    );
    return { runs, runner, release: () => release() };
  }

  it('runs a burst of requests for one key once, after the burst', async () => {
    const { runs, runner, release } = recorder();
    for (let i = 0; i < 5; i++) runner.schedule('kb-1');
    runner.schedule('kb-2');
    await new Promise((r) => setTimeout(r, 50));
    expect(runs.sort()).toEqual(['kb-1', 'kb-2']);
    release();
    release();
    runner.close();
  });

  it('runs once more when asked while running, and settles only after that run', async () => {
    const { runs, runner, release } = recorder();
    runner.schedule('kb-1');
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toEqual(['kb-1']);
    runner.schedule('kb-1');
    runner.schedule('kb-1');
    expect(runner.busy('kb-1')).toBe(true);
    let settled = false;
    const done = runner.settled('kb-1').then(() => (settled = true));
    release();
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toEqual(['kb-1', 'kb-1']);
    expect(settled).toBe(false);
    release();
    await done;
    expect(runner.busy('kb-1')).toBe(false);
  });

  it("drops a forgotten key's pending run, and starts nothing after close", async () => {
    const { runs, runner } = recorder();
    runner.schedule('gone');
    runner.forget('gone');
    runner.close();
    runner.schedule('late');
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toEqual([]);
  });

  it('keeps a key schedulable after a run that threw', async () => {
    let calls = 0;
    const runner = new KeyedBackgroundRunner(
      async () => {
        calls++;
        throw new Error('boom');
      },
      { debounceMs: 5 },
    );
    runner.schedule('kb');
    await new Promise((r) => setTimeout(r, 20));
    await runner.settled('kb');
    runner.schedule('kb');
    await new Promise((r) => setTimeout(r, 20));
    await runner.settled('kb');
    expect(calls).toBe(2);
  });
});
