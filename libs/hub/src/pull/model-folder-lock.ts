/**
 * One puller per model folder across processes: two `wendao models pull` runs, or a pull during
 * another copy's first start, would otherwise write the same `<file>.part` files. The second
 * waits for the first, then finds the folder complete and downloads nothing.
 */
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { MODEL_PULL_LOCK, MODEL_PULL_LOCK_STALE_MS } from '@wendao/models';

export interface ModelFolderLockOptions {
  /** The model's name for the waiting line (folder id). */
  model: string;
  log?: (line: string) => void;
  /** Age after which a lock nobody refreshes is taken over; default MODEL_PULL_LOCK_STALE_MS. */
  staleMs?: number;
  /** How often a waiting puller tries again; default 1 s. */
  retryMs?: number;
}

/** Given to the work done under the lock: throws once another process has taken the lock over. */
export type AssertLockHeld = () => void;

export async function withModelFolderLock<T>(
  dir: string,
  options: ModelFolderLockOptions,
  work: (assertHeld: AssertLockHeld) => Promise<T>,
): Promise<T> {
  const log = options.log ?? (() => undefined);
  const lockfilePath = join(dir, MODEL_PULL_LOCK);
  const stale = options.staleMs ?? MODEL_PULL_LOCK_STALE_MS;
  let lost: Error | undefined;
  const lockOptions = {
    realpath: false,
    lockfilePath,
    stale,
    // The default throws from a timer, which would end the process; the pull stops at its next step instead.
    onCompromised: (err: Error) => {
      lost = err;
      log(`the download lock on ${dir} was lost (${err.message}); this pull stops`);
    },
  };
  const createdDir = !(await exists(dir));
  await mkdir(dir, { recursive: true });
  let release: (() => Promise<void>) | undefined;
  let waiting = false;
  while (!release) {
    const left = await lockAge(lockfilePath);
    if (left !== undefined && left > stale)
      log(
        `${dir} has a download lock nobody has refreshed for ${Math.round(left / 1000)} s (a killed process); taking it over`,
      );
    try {
      release = await lock(dir, lockOptions);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (!waiting) log(`another Wendao process is downloading ${options.model} into ${dir}; waiting…`);
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000));
    }
  }
  try {
    return await work(() => {
      if (lost) throw new Error(`another process took over the download lock on ${dir}; run the pull again`);
    });
  } finally {
    await release().catch(() => undefined);
    // A pull that failed before writing anything leaves no empty folder behind.
    if (createdDir) await rmdir(dir).catch(() => undefined);
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** Milliseconds since the lock was last refreshed; undefined when there is none. */
async function lockAge(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info ? Date.now() - info.mtimeMs : undefined;
}
