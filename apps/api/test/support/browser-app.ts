/**
 * What every browser e2e test starts from: the front end built from its current source into a
 * temporary folder (so a test never runs a stale dist/), the API serving it on a free port, and
 * Debian's chromium. `close()` undoes all three.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { freePort } from '../../../../bench/lib/api-server';
import type { AppConfig } from '../../src/config/app-config';
import { launchChromium } from './browser';
import { startTestApp, type TestApp } from './test-app';

export interface BrowserApp {
  t: TestApp;
  browser: Browser;
  /** http://127.0.0.1:<port>, where the API and the built front end are served. */
  origin: string;
  /** The built bundle's folder (temporary; removed by close). */
  bundleDir: string;
  close(): Promise<void>;
}

/**
 * Builds the front end of `viteConfig`, starts the API with `config(bundleDir)` on a free port (the
 * config says where the bundle is served from: `adminDir`, `widgetFile`) and launches chromium.
 */
export async function startBrowserApp(
  viteConfig: string,
  config: (bundleDir: string) => Partial<AppConfig>,
): Promise<BrowserApp> {
  const bundleDir = mkdtempSync(join(tmpdir(), 'wendao-e2e-'));
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await t?.close();
    rmSync(bundleDir, { recursive: true, force: true });
  };
  try {
    await build({ configFile: viteConfig, build: { outDir: bundleDir }, logLevel: 'error' });
    const port = await freePort();
    t = await startTestApp({ ...config(bundleDir), port });
    await t.wendao.app.listen(port, '127.0.0.1');
    browser = await launchChromium();
    return { t, browser, origin: `http://127.0.0.1:${port}`, bundleDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}
