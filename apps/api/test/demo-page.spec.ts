/**
 * GET /demo in a browser, as a new user opens it from `npm start`'s log: its footer says the chat is
 * embedded by "the one script tag below", and shows that tag, with the address this page was reached
 * at, ready to copy into a shop's page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib/api-server';
import { launchChromium } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';

describe('the demo page', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let key: string;

  beforeAll(async () => {
    const port = await freePort();
    app = await startTestApp({ port, host: '127.0.0.1', demo: true });
    await app.wendao.app.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    const [kb] = (await app.api.get('/api/kbs').expect(200)).body as { id: string }[];
    [{ key }] = (await app.api.get(`/api/kbs/${kb.id}/widget-keys`).expect(200)).body as { key: string }[];
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the script tag that embeds its chat, with this server in its src, in Chinese and English', async () => {
    // The footer said "由下面这一行脚本嵌入" (embedded by the line of script below) and showed none.
    const page = await browser.newPage();
    try {
      for (const [path, lang, said] of [
        ['/demo', 'zh', '这是 Wendao（问道）的演示页面：右下角的客服窗口由下面这一行脚本嵌入：'],
        [
          '/demo?lang=en',
          'en',
          'A Wendao demo page: the chat in the corner is embedded by this one script tag:',
        ],
      ] as const) {
        await page.goto(`${base}${path}`);
        const footer = page.locator('footer');
        await expect.poll(() => footer.innerText()).toContain(said);
        expect(await footer.locator('code').innerText()).toBe(
          `<script src="${base}/widget.js" data-key="${key}" data-lang="${lang}"></script>`,
        );
        await expect.poll(() => footer.locator('code').isVisible()).toBe(true);
      }
    } finally {
      await page.close();
    }
  });
});
