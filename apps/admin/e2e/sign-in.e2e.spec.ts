/**
 * The login page's refusals in a real browser (Debian's chromium through playwright-core) against the
 * real API: a wrong password, and too many attempts (the login rate limit on), are worded in the
 * console's language, not in the API's English.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { TEST_OWNER } from '../../api/test/support/test-app';
import { EN_LABELS, ZH_LABELS } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

describe('login page in chromium', () => {
  let app: BrowserApp;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({
      adminDir,
      // A few sign-in attempts a minute from one address (the test owner's own sign-in is one).
      rateLimits: { windowMs: 60_000, perIp: 0, perKey: 0, login: 4 },
    }));
    ({ browser, origin } = app);
  });
  afterAll(async () => app?.close());

  async function loginPage(locale: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    const page = await context.newPage();
    await page.goto(`${origin}/admin`);
    return page;
  }

  /** Signs in with a wrong password; what the page's alert then says (after the API's answer). */
  async function tryWrongPassword(page: Page, labels: typeof ZH_LABELS): Promise<string> {
    await page.getByLabel(labels.email).fill(TEST_OWNER.email);
    await page.getByLabel(labels.password).fill('not-the-password');
    const answered = page.waitForResponse((res) => res.url().endsWith('/api/auth/login'));
    await page.getByRole('button', { name: labels.submit, exact: true }).click();
    await answered;
    await poll(() => page.getByRole('alert').count()).toBe(1);
    await page.waitForTimeout(100); // the alert re-rendered with this answer
    return (await page.getByRole('alert').textContent()) ?? '';
  }

  it('says a wrong password in Chinese on the Chinese console, and in English on the English one', async () => {
    const zh = await loginPage('zh-CN');
    await poll(() => zh.getByRole('button', { name: ZH_LABELS.submit, exact: true }).count()).toBe(1);
    expect(await tryWrongPassword(zh, ZH_LABELS)).toBe('邮箱或密码错误。');

    const en = await loginPage('en-US');
    await poll(() => en.getByRole('button', { name: EN_LABELS.submit, exact: true }).count()).toBe(1);
    expect(await tryWrongPassword(en, EN_LABELS)).toBe('Wrong email or password.');
  });

  it('says too many attempts, and when to try again, in the console language', async () => {
    const page = await loginPage('zh-CN');
    await poll(() => page.getByRole('button', { name: ZH_LABELS.submit, exact: true }).count()).toBe(1);
    let said = '';
    for (let i = 0; i < 6 && !said.includes('过多'); i++) said = await tryWrongPassword(page, ZH_LABELS);
    expect(said).toMatch(/^登录尝试次数过多，请 \d+ 秒后再试。$/);
  });
});
