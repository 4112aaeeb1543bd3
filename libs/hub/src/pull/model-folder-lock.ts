/**
 * One writer per model folder across processes: two `wendao models pull` runs, or a pull during
 * another copy's first start, would otherwise write the same `<file>.part` files; `wendao models
 * convert` / `quantize` would replace files a pull is writing. A second puller waits for the
 * first, then finds the folder complete and downloads nothing.
 *
 * The lock (a directory, proper-lockfile) holds owner.json naming its process (see
 * model-pull-lock.ts in @wendao/models). A waiter takes it over at once when that process, on this
 * machine, is gone (SIGKILL, a crash); otherwise only when nobody refreshed it for
 * MODEL_PULL_LOCK_STALE_MS (10 min), far above the longest synchronous convert or quantize step,
 * which keeps the holder's refresh timer from running.
 */
import * as fs from 'node:fs';
import { mkdir, readFile, rename, rm, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import {
  currentPullLockOwner,
  MODEL_PULL_LOCK,
  MODEL_PULL_LOCK_OWNER,
  MODEL_PULL_LOCK_STALE_MS,
  MODEL_PULL_LOCK_UPDATE_MS,
  pullLockOwnerIsDead,
  readPullLockOwner,
  type PullLockOwner,
} from '@wendao/models';

export interface ModelFolderLockOptions {
  /** The model's name for the waiting line (folder id). */
  model: string;
  log?: (line: string) => void;
  /**
   * Age after which a lock nobody refreshes, whose owner cannot be checked (another host, no
   * owner file), is taken over; default MODEL_PULL_LOCK_STALE_MS.
   */
  staleMs?: number;
  /** How often a waiting puller tries again; default 1 s. */
  retryMs?: number;
  /** false: throw ModelFolderBusyError at once instead of waiting (`wendao models convert` / `quantize`). */
  wait?: boolean;
}

/** The folder is locked by another live process and the caller asked not to wait. */
export class ModelFolderBusyError extends Error {
  /** EX_TEMPFAIL: try again later. */
  readonly exitCode = 75;
  constructor(
    readonly dir: string,
    readonly owner: PullLockOwner | undefined,
  ) {
    super(
      `another Wendao process${owner ? ` (PID ${owner.pid} on ${owner.hostname})` : ''} is downloading or preparing ${dir}; ` +
        'run this again once it has finished',
    );
  }
}

/** Given to the work done under the lock: throws once another process has taken the lock over. */
export type AssertLockHeld = () => void;

/** proper-lockfile removes its lock with rmdir; this one holds owner.json. */
const lockFs = {
  ...fs,
  rmdir: (path: string, callback: (err: NodeJS.ErrnoException | null) => void) =>
    fs.rm(path, { recursive: true, force: true }, callback),
  rmdirSync: (path: string) => fs.rmSync(path, { recursive: true, force: true }),
};

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
    update: MODEL_PULL_LOCK_UPDATE_MS,
    fs: lockFs,
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
      if (await takeOverFromDeadOwner(dir, log)) continue;
      if (options.wait === false) {
        if (createdDir) await rmdir(dir).catch(() => undefined);
        throw new ModelFolderBusyError(dir, readPullLockOwner(dir));
      }
      if (!waiting) log(`another Wendao process is downloading ${options.model} into ${dir}; waiting…`);
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000));
    }
  }
  try {
    await writeOwner(lockfilePath);
    return await work(() => {
      if (lost) throw new Error(`another process took over the download lock on ${dir}; run the pull again`);
    });
  } finally {
    await release().catch(() => undefined);
    // A pull that failed before writing anything leaves no empty folder behind.
    if (createdDir) await rmdir(dir).catch(() => undefined);
  }
}

/**
 * Writes owner.json into the lock just taken, then sets the lock's mtime back: proper-lockfile
 * treats a lock whose mtime is not the one it set as taken away.
 */
async function writeOwner(lockfilePath: string): Promise<void> {
  const before = await stat(lockfilePath);
  await writeFile(join(lockfilePath, MODEL_PULL_LOCK_OWNER), `${JSON.stringify(currentPullLockOwner())}\n`);
  await utimes(lockfilePath, before.atime, before.mtime);
}

/**
 * Removes a lock whose owner is a process of this machine that no longer runs; true when it did.
 * Under a short lock of its own, re-reading the owner there: two waiters that found the same dead
 * owner must not both remove a lock, the second one the lock the first has just taken.
 */
async function takeOverFromDeadOwner(dir: string, log: (line: string) => void): Promise<boolean> {
  const seen = readPullLockOwner(dir);
  if (!seen || !pullLockOwnerIsDead(seen)) return false;
  const lockfilePath = join(dir, MODEL_PULL_LOCK);
  let releaseTakeover: () => Promise<void>;
  try {
    releaseTakeover = await lock(dir, {
      realpath: false,
      lockfilePath: `${lockfilePath}.takeover`,
      stale: 10_000,
      retries: { retries: 50, minTimeout: 20, maxTimeout: 200 },
    });
  } catch {
    return false;
  }
  try {
    const owner = await readFile(join(lockfilePath, MODEL_PULL_LOCK_OWNER), 'utf8').catch(() => undefined);
    if (owner === undefined || !sameOwner(JSON.parse(owner) as PullLockOwner, seen)) return false;
    log(`${dir} has a download lock of process ${seen.pid}, which no longer runs (killed?); taking it over`);
    // Renamed first, so that no one sees a lock directory half removed.
    const doomed = `${lockfilePath}.dead-${process.pid}-${Date.now()}`;
    await rename(lockfilePath, doomed);
    await rm(doomed, { recursive: true, force: true });
    return true;
  } finally {
    await releaseTakeover().catch(() => undefined);
  }
}

function sameOwner(a: PullLockOwner, b: PullLockOwner): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.since === b.since && a.bootId === b.bootId;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** Milliseconds since the lock was last refreshed; undefined when there is none. */
async function lockAge(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info ? Date.now() - info.mtimeMs : undefined;
}
