/**
 * Debian's chromium for the browser e2e tests (widget, admin console, analytics), launched the same
 * way everywhere: headless, no sandbox (CI runs as root), nothing that reaches the network by itself.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.WENDAO_CHROMIUM ?? '/usr/bin/chromium';

/** launch() gives chromium a fresh temporary profile (it refuses an explicit --user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
