/**
 * Child processes that hold a model folder's pull lock, as a pull in another Wendao would, for the
 * specs of the lock's users (hub pulls, first starts, `wendao models convert` / `quantize`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import {
  currentPullLockOwner,
  MODEL_PULL_LOCK,
  MODEL_PULL_LOCK_OWNER,
  type PullLockOwner,
} from '@wendao/models';

const REPO_ROOT = resolve(__dirname, '../../..');

async function started(child: ChildProcess): Promise<ChildProcess> {
  await new Promise<void>((done, fail) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && done());
    child.on('exit', (code) => fail(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

/**
 * Takes the lock with proper-lockfile and keeps it fresh until killed; no owner file (a lock as
 * a616877 wrote it, or one whose owner file is not written yet): only its age makes it stale.
 */
export async function holdPullLock(dir: string, staleMs: number): Promise<ChildProcess> {
  const script = `
    const lockfile = require(${JSON.stringify(join(REPO_ROOT, 'node_modules/proper-lockfile'))});
    lockfile.lockSync(process.argv[1], { realpath: false, lockfilePath: process.argv[2], stale: Number(process.argv[3]) });
    console.log('locked');
    setInterval(() => undefined, 1000);`;
  return started(
    spawn(process.execPath, ['-e', script, dir, join(dir, MODEL_PULL_LOCK), String(staleMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
}

/**
 * A live owner that no longer refreshes its lock, as a pull whose converter or quantizer keeps
 * the event loop busy: the lock directory with owner.json naming the child (on `owner`'s host,
 * this machine by default), its mtime set `ageMs` into the past. Kept until the child is killed.
 */
export async function holdBusyPullLock(
  dir: string,
  ageMs: number,
  owner: Partial<PullLockOwner> = {},
): Promise<ChildProcess> {
  const template = { ...currentPullLockOwner(), ...owner };
  const script = `
    const fs = require('node:fs');
    const [lockDir, file, template, ageMs] = process.argv.slice(1);
    fs.mkdirSync(lockDir);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(template), pid: process.pid }));
    const then = new Date(Date.now() - Number(ageMs));
    fs.utimesSync(lockDir, then, then);
    console.log('locked');
    setInterval(() => undefined, 1000);`;
  const lockDir = join(dir, MODEL_PULL_LOCK);
  return started(
    spawn(
      process.execPath,
      ['-e', script, lockDir, join(lockDir, MODEL_PULL_LOCK_OWNER), JSON.stringify(template), String(ageMs)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
}

/** SIGKILL: no exit handler runs, the lock stays behind, as after a crash or power loss. */
export async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
}

/** SIGTERM, as Ctrl-C or a service manager stops it: the lock goes with it. */
export async function stopped(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}
