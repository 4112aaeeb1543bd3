/**
 * The lock a `wendao models pull` (or a first start's pull, or `wendao models convert` /
 * `quantize`) holds inside a model folder while it writes it. Readers check it so a folder is
 * never loaded half-written.
 *
 * Staleness: the converter and the INT8 quantizer run synchronously and keep the event loop busy
 * for seconds to minutes (a BERT-base reader on a slow machine), so the holder's 30 s refresh of
 * the lock's mtime cannot be relied on to prove it alive. The lock therefore names its owner
 * (owner.json inside it: pid, host, boot and PID namespace): a lock whose owner is a process of
 * this machine and PID namespace that no longer runs is stale at once; one whose owner cannot be
 * checked (another host or container, or no owner file) only once nobody refreshed it for
 * MODEL_PULL_LOCK_STALE_MS (10 minutes).
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { checkSync } from 'proper-lockfile';

/** A directory inside the model folder (mkdir is atomic on every filesystem, NFS included). */
export const MODEL_PULL_LOCK = '.wendao-pull.lock';

/** The file inside the lock directory that says which process holds it. */
export const MODEL_PULL_LOCK_OWNER = 'owner.json';

/**
 * A lock whose owner cannot be checked (another host, or no owner file) and whose mtime has not
 * been refreshed for this long is taken over. Well above the longest step that blocks the event
 * loop (convert or quantize of a BERT-base model: seconds here, a minute on a slow 2-core box).
 */
export const MODEL_PULL_LOCK_STALE_MS = 10 * 60_000;

/** How often the holder refreshes the lock's mtime. */
export const MODEL_PULL_LOCK_UPDATE_MS = 30_000;

export interface PullLockOwner {
  pid: number;
  hostname: string;
  /** Linux: /proc/sys/kernel/random/boot_id; tells two machines with one hostname apart. */
  bootId?: string;
  /** Linux: the PID namespace (/proc/self/ns/pid); tells containers on one kernel apart. */
  pidNamespace?: string;
  /** When it took the lock (ISO time). */
  since: string;
}

function readOptional(read: () => string): string | undefined {
  try {
    return read().trim() || undefined;
  } catch {
    return undefined;
  }
}

function machine(): Pick<PullLockOwner, 'hostname' | 'bootId' | 'pidNamespace'> {
  return {
    hostname: hostname(),
    bootId: readOptional(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    pidNamespace: readOptional(() => readlinkSync('/proc/self/ns/pid')),
  };
}

/** This process as the owner of a lock it takes now. */
export function currentPullLockOwner(pid = process.pid): PullLockOwner {
  return { pid, ...machine(), since: new Date().toISOString() };
}

/** The owner recorded in the folder's lock; undefined without a lock or an owner file (or an unreadable one). */
export function readPullLockOwner(dir: string): PullLockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, MODEL_PULL_LOCK, MODEL_PULL_LOCK_OWNER), 'utf8')) as PullLockOwner;
    return Number.isInteger(owner.pid) && typeof owner.hostname === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True only when the owner is known to be gone: a process of this machine (same hostname, boot
 * and PID namespace where they are known) that no longer runs. Another host's or container's
 * process cannot be checked: false.
 */
export function pullLockOwnerIsDead(owner: PullLockOwner): boolean {
  const here = machine();
  if (owner.hostname !== here.hostname) return false;
  if ((owner.bootId ?? here.bootId) !== here.bootId) return false;
  if ((owner.pidNamespace ?? here.pidNamespace) !== here.pidNamespace) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether a live process holds the folder's pull lock. */
export function modelPullInProgress(dir: string, staleMs = MODEL_PULL_LOCK_STALE_MS): boolean {
  if (!checkSync(dir, { realpath: false, lockfilePath: join(dir, MODEL_PULL_LOCK), stale: staleMs })) return false;
  const owner = readPullLockOwner(dir);
  return !(owner && pullLockOwnerIsDead(owner));
}
