/**
 * KBs named alike (made before the API refused a taken name) told apart in chromium: the KB list and
 * the analytics KB picker add the day each was created; a new KB with a taken name is refused in
 * the console's language. Screenshot: admin-kbs-same-name.png.
 */
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, type TestApp } from '../../api/test/support/test-app';
import { closeNotices } from './notices';
import { signIn } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');

describe('KBs named alike in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    const older = await createKb(t.api, '售后客服 (old)', 'zh');
    await createKb(t.api, '售后客服', 'zh');
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `UPDATE knowledge_base SET name = '售后客服', created_at = '2026-11-02T03:00:00Z' WHERE id = $1`,
        [older],
      );
    } finally {
      await db.end();
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('tells them apart in the KB list and the analytics picker, and refuses a third', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${origin}/admin/kbs`);
    await signIn(page, { timeout: 30_000 });
    const names = page.getByTestId('kb-table').locator('tbody tr td:first-child');
    await poll(() => names.count()).toBe(2);
    const listed = await names.allInnerTexts();
    expect(listed).toContain('售后客服 · 创建于 2026/11/02');
    expect(new Set(listed).size).toBe(2);

    await page.getByRole('button', { name: '新建知识库' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('售后客服');
    await dialog.getByRole('button', { name: '创建' }).click();
    await poll(() => dialog.getByText(/这个组织已有名为“售后客服”的知识库/).count()).toBe(1);
    await closeNotices(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(IMAGES, 'admin-kbs-same-name.png') });
    await dialog.getByRole('button', { name: '取消' }).click();

    await page.goto(`${origin}/admin/analytics`);
    await page.locator('.mantine-MultiSelect-input').click();
    const options = await page.getByRole('option').allInnerTexts();
    expect(options).toContain('售后客服 · 创建于 2026/11/02');
    expect(options.filter((o) => o.startsWith('售后客服'))).toHaveLength(2);
    expect(new Set(options).size).toBe(options.length);
    await context.close();
  });
});
