/**
 * The built server keeps serving when the reader of its stdout goes away (`npm start | head`, a log
 * shipper that stopped): its next log line fails with EPIPE, which used to end the process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib/api-server';
import { builtServerSuite, REPO_ROOT } from './support/built-api';

describe('a closed stdout', () => {
  const built = builtServerSuite('closed-stdout');

  it('does not stop the server: it goes on answering after its log lines fail with EPIPE', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [built.main], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        DATABASE_URL: built.databaseUrl,
        WENDAO_PULL_MODELS: 'false',
        WENDAO_DATA_DIR: built.dataDir,
        WENDAO_MODELS_DIR: join(built.dataDir, 'no-models'),
        // Every request is a debug line on stdout: each one below is a write into the closed pipe.
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let exitCode: number | null | undefined = undefined;
    const exited = new Promise((r) => child.once('exit', (code) => r((exitCode = code))));
    try {
      await expect.poll(() => stdout, { timeout: 60_000 }).toMatch(/listening on http:.*\n/);
      // What `| head` does once it has its lines: closes the reading end of the pipe.
      child.stdout.destroy();
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 20; i++) expect((await fetch(`${base}/health`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(exitCode, stderr).toBeUndefined();
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('ok');
      expect(stderr).not.toMatch(/EPIPE/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
