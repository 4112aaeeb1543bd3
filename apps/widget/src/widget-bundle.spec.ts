/**
 * The widget bundle as `npm run build:widget` makes it (vite.config.ts, built into a temporary
 * folder): under its gzip budget, with the two transports the widget uses and not WebTransport, runs
 * (its modules in an order that defines each before use), and as large as README says.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runInNewContext } from 'node:vm';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');

describe('widget.js', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'wendao-widget-'));
  let code = '';
  let gzipped = 0;

  beforeAll(async () => {
    // As `npm run build:widget` runs: vitest's NODE_ENV=test would keep the libraries' debug branches.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: resolve(__dirname, '../vite.config.ts'),
        mode: 'production',
        logLevel: 'silent',
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    code = readFileSync(join(outDir, 'widget.js'), 'utf8');
    gzipped = gzipSync(code, { level: 9 }).length;
  }, 120_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('bundles socket.io with websocket and polling, without the WebTransport transport', () => {
    expect(code).toContain('"websocket"');
    expect(code).toContain('"polling"');
    expect(code.includes('WebTransport'), 'WebTransport is bundled').toBe(false);
    expect(gzipped).toBeLessThanOrEqual(60 * 1024);
  });

  it('runs to its end: every module it bundles is defined before it is used', () => {
    // No browser: a page whose script tag has no data-key, which the widget reports and stops at.
    const errors: unknown[] = [];
    runInNewContext(code, {
      document: { currentScript: null, body: {} },
      console: { error: (...args: unknown[]) => errors.push(args.join(' ')) },
    });
    expect(errors).toEqual(['wendao widget: the script tag needs data-key="wk_…"']);
  });

  it('is as large as README says, to the kilobyte', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const said = Number(/widget\.js`,\s*about (\d+) KB gzipped/.exec(readme)?.[1]);
    expect(said, 'README: "about N KB gzipped"').toBeGreaterThan(0);
    expect(Math.abs(gzipped / 1024 - said)).toBeLessThan(1);
  });
});
