/**
 * The settings tab of a calibrated neural KB: the demo shop with the reference models (its mixed
 * content takes multilingual-e5-small-q4) lists the fallback's calibrated suggestion floor beside
 * the four thresholds, with a line on what it does, in Chinese and English; draws
 * docs/images/admin-settings-neural(-en).png. Runs in `npm run test:models` only; skipped without
 * ./models.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { closeNotices } from './notices';
import { EN_LABELS, signIn } from './sign-in';

const modelsDir = resolve(process.env.WENDAO_MODELS_DIR ?? join(__dirname, '../../../models'));
const available = existsSync(join(modelsDir, 'intfloat/multilingual-e5-small-q4'));
const IMAGES = resolve(__dirname, '../../../docs/images');
/** Calibration with the encoder takes longer than a lexical one on a busy two-core machine. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 90_000 });

describe.skipIf(!available)('settings of a calibrated neural KB in chromium', () => {
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({
      demo: true,
      adminDir,
      modelsDir,
    }));
    ({ browser, origin } = app);
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  const cases = [
    {
      locale: 'zh-CN',
      labels: undefined,
      tab: '设置',
      mode: '神经 FAQ 匹配',
      names: ['问答匹配', '抽取答案', '澄清下限', '澄清间距', '推荐下限'],
      hint: /^找不到答案时推荐的问题，得分须达到 0\.\d{3}$/,
      image: 'admin-settings-neural.png',
    },
    {
      locale: 'en-US',
      labels: EN_LABELS,
      tab: 'Settings',
      mode: 'Neural FAQ matching',
      names: ['FAQ match', 'Extracted answer', 'Clarify floor', 'Clarify margin', 'Suggestion floor'],
      hint: /^Fallback suggestions must score at least 0\.\d{3}$/,
      image: 'admin-settings-neural-en.png',
    },
  ];

  it('lists the calibrated suggestion floor with what it does, in Chinese and English', async () => {
    for (const c of cases) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 860 },
        locale: c.locale,
        reducedMotion: 'reduce',
      });
      const page: Page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${origin}/admin/kbs`);
      await signIn(page, { labels: c.labels });
      await page.getByRole('link', { name: '演示商城 Demo Shop' }).click();
      await page.getByRole('tab', { name: c.tab }).click();
      // The calibration runs after the demo's seed: the tab reads the KB again until it is there.
      await poll(() => page.getByTestId('threshold-suggest').count()).toBe(1);
      expect(await page.getByTestId('kb-mode').first().textContent()).toContain(c.mode);
      const rows = page.getByTestId('thresholds').locator('tbody tr');
      expect(
        await rows
          .locator('td:first-child')
          .evaluateAll((tds) => tds.map((td) => td.firstChild?.textContent)),
      ).toEqual(c.names);
      const floor = page.getByTestId('threshold-suggest');
      const value = (await floor.locator('td').nth(1).textContent())!;
      expect(value).toMatch(/^0\.\d{3}$/);
      expect(await floor.locator('td').first().locator('p').textContent()).toMatch(c.hint);
      expect(await floor.locator('td').first().textContent()).toContain(value);
      expect(await floor.locator('td').nth(2).textContent()).toBe(
        c.locale === 'zh-CN' ? '自动校准' : 'Calibrated',
      );
      await closeNotices(page);
      await page.screenshot({ path: join(IMAGES, c.image) });
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 300_000);
});
