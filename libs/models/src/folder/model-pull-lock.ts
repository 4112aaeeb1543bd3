/**
 * The lock a `wendao models pull` (or a first start's pull) holds inside a model folder while it
 * downloads and prepares it. Readers check it so a folder is never loaded half-written.
 */
import { join } from 'node:path';
import { checkSync } from 'proper-lockfile';

/** A directory inside the model folder (mkdir is atomic on every filesystem, NFS included). */
export const MODEL_PULL_LOCK = '.wendao-pull.lock';

/**
 * A lock whose mtime has not been refreshed for this long belongs to a process that was killed
 * (SIGKILL, power loss): the next puller takes it over. The holder refreshes it every half of
 * this; the margin covers a quantizer or converter that keeps the event loop busy for seconds.
 */
export const MODEL_PULL_LOCK_STALE_MS = 60_000;

/** Whether a live process holds the folder's pull lock. */
export function modelPullInProgress(dir: string, staleMs = MODEL_PULL_LOCK_STALE_MS): boolean {
  return checkSync(dir, { realpath: false, lockfilePath: join(dir, MODEL_PULL_LOCK), stale: staleMs });
}
