/**
 * A KB's Settings tab in a real browser: a viewer reads the settings as text (no disabled fields, no
 * Save), and at 1024 px in English the KB's tabs stay on one row and each threshold says under its
 * field what an empty one means, readable in full. Screenshots: admin-settings-viewer(-en).png,
 * admin-settings-1024-en.png.
 */
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, type TestApp } from '../../api/test/support/test-app';
import { closeNotices } from './notices';
import { EN_LABELS, signIn } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');

async function shot(page: Page, name: string) {
  await closeNotices(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(IMAGES, name) });
}

describe('KB settings tab in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let kbId: string;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    kbId = await createKb(t.api, '售后客服', 'zh');
    await t.api
      .patch(`/api/kbs/${kbId}`)
      .send({ faqThreshold: 0.6, settings: { chunkOverlap: 2 } })
      .expect(200);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows a viewer the settings as text, without fields or Save (zh and en)', async () => {
    const viewer = await t.userWithRole('viewer');
    for (const lang of ['zh', 'en'] as const) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: lang === 'zh' ? 'zh-CN' : 'en-US',
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${origin}/admin/kbs/${kbId}/settings`);
      await signIn(page, {
        who: { email: viewer.email, password: 'test-user-password' },
        labels: lang === 'zh' ? undefined : EN_LABELS,
        timeout: 30_000,
      });
      const settings = page.getByTestId('settings-read-only');
      await poll(() => settings.count()).toBe(1);
      const text = await settings.innerText();
      for (const value of ['售后客服', '0.60', lang === 'zh' ? '中文' : 'Chinese'])
        expect(text).toContain(value);
      // Nothing to type into, nothing greyed out, nothing to save.
      const main = page.locator('.mantine-AppShell-main');
      expect(await main.locator('input, textarea').count()).toBe(0);
      expect(await main.locator('fieldset[disabled], [disabled]').count()).toBe(0);
      const save = lang === 'zh' ? '保存' : 'Save';
      expect(await page.getByRole('button', { name: save, exact: true }).count()).toBe(0);
      await shot(page, lang === 'zh' ? 'admin-settings-viewer.png' : 'admin-settings-viewer-en.png');
      await context.close();
    }
  });

  it('keeps the tabs on one row at 1024 px in English and says what an empty threshold means in full', async () => {
    const context = await browser.newContext({
      viewport: { width: 1024, height: 768 },
      locale: 'en-US',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${origin}/admin/kbs/${kbId}/settings`);
    await signIn(page, { labels: EN_LABELS, timeout: 30_000 });
    const tabs = page.getByRole('tab');
    await poll(() => tabs.count()).toBe(9);
    const tops = new Set<number>();
    for (const tab of await tabs.all()) tops.add(Math.round((await tab.boundingBox())!.y));
    expect([...tops]).toHaveLength(1);
    // …and all of them fit: the last one is not cut off at the list's edge.
    const list = (await page.getByRole('tablist').boundingBox())!;
    const widget = (await page.getByRole('tab', { name: 'Widget' }).boundingBox())!;
    expect(widget.x + widget.width).toBeLessThanOrEqual(list.x + list.width);

    // The threshold left empty says what is in force under the field, not in a cut-off placeholder.
    const hint = page.getByText(/^Empty: automatic, now 0\.\d+ \(Default\)$/);
    await poll(() => hint.count()).toBe(1);
    expect(await hint.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const answer = page.getByLabel('Extracted answer threshold');
    const placeholder = (await answer.getAttribute('placeholder')) ?? '';
    expect(placeholder).toMatch(/^0\.\d+$/);
    expect(
      await answer.evaluate((el: HTMLInputElement, text) => {
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = getComputedStyle(el).font;
        return ctx.measureText(text).width <= el.clientWidth;
      }, placeholder),
    ).toBe(true);
    await shot(page, 'admin-settings-1024-en.png');
    await context.close();
  });
});
