/**
 * The API's current sources built the way `npm run build` builds dist/ (swc), into a git-ignored
 * folder under tmp/, for tests that run the server as a child process (scale-out, kill -9).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');

/** Builds into `tmp/<name>-<pid>`; returns the folder and the server entry point in it. */
export function buildApi(name: string): { dir: string; main: string } {
  const dir = join(REPO_ROOT, 'tmp', `${name}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const swc = spawnSync(
    join(REPO_ROOT, 'node_modules/.bin/swc'),
    [
      'apps/api/src',
      'libs',
      'migrations',
      '-d',
      dir,
      '--config-file',
      '.swcrc',
      '--ignore',
      '**/*.spec.ts',
      '-q',
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (swc.status !== 0) throw new Error(`swc build failed: ${swc.stderr}`);
  return { dir, main: join(dir, 'apps/api/src/main.js') };
}
