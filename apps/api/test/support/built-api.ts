/**
 * The API's current sources built the way `npm run build` builds dist/ (swc), into a git-ignored
 * folder under tmp/, for tests that run the server as a child process (scale-out, kill -9).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../../../bench/lib/api-server';
import { createTestDatabase } from './test-app';

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

/**
 * For a describe block that runs the built server as a child process: builds it (beforeAll), with a
 * test database and a data folder of its own, all removed afterwards. Read the fields inside tests.
 */
export function builtServerSuite(name: string): {
  readonly main: string;
  readonly databaseUrl: string;
  readonly dataDir: string;
} {
  const dataDir = mkdtempSync(join(tmpdir(), `wendao-${name}-`));
  let built: { dir: string; main: string } | undefined;
  let database: { url: string; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    built = buildApi(name);
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    if (built) rmSync(built.dir, { recursive: true, force: true });
  });
  return {
    get main() {
      return built!.main;
    },
    get databaseUrl() {
      return database!.url;
    },
    dataDir,
  };
}

/**
 * Runs the built server `main` (from the repository root) until it exits, with PATH, HOME and a free
 * PORT, then `env`, for its whole environment; returns its exit code and its stdout and stderr, in one.
 */
export async function runUntilExit(
  main: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [main], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(await freePort()), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, output };
}
