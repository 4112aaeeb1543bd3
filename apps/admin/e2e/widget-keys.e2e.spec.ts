/**
 * The Widget tab in a real browser (Debian's chromium through playwright-core) against the real API,
 * PostgreSQL and the chat socket: create a named key with allowed origins (a bad line and a name too
 * long refused in the form), see and copy its embed code in either widget language, rename it and
 * edit its origins, revoke it after the
 * confirmation and watch a customer's open chat with it disconnected; a viewer reads keys and code but
 * changes nothing. Screenshots go to docs/images/admin-widget-keys.png and -en.png.
 */
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatClient, type Payload } from '../../api/test/support/chat-client';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, type TestApp } from '../../api/test/support/test-app';
import { EN_LABELS, signIn } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');

async function shot(page: Page, name: string) {
  await poll(() => page.locator('.mantine-Notification-root').count()).toBe(0);
  await poll(() => page.getByRole('dialog').count()).toBe(0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(IMAGES, name), fullPage: true });
}

describe('widget keys tab in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let kbId: string;
  const clients: ChatClient[] = [];
  const keys = async () => (await t.api.get(`/api/kbs/${kbId}/widget-keys`).expect(200)).body as Payload[];

  const zhContext = (): Promise<BrowserContext> =>
    browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN', reducedMotion: 'reduce' });

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    kbId = await createKb(t.api, '售后客服', 'zh');
  });

  afterAll(async () => {
    for (const c of clients) c.socket.close();
    await app?.close();
  });

  it('creates a named key with origins, shows and copies its embed code, renames it and edits its origins, revokes it and disconnects its chats', async () => {
    const context = await zhContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/admin/kbs/${kbId}/settings`);
    await signIn(page);
    await page.getByRole('tab', { name: '网页插件' }).click();
    await page.waitForURL(/\/widget$/);
    await poll(() => page.getByText('还没有插件密钥').count()).toBe(1);

    // A line that is not an origin, and a name too long, are named in the form; nothing is created.
    await page.getByRole('button', { name: '新建密钥' }).click();
    const dialog = page.getByRole('dialog');
    const origins = dialog.getByLabel('允许的来源（每行一个）');
    const name = dialog.getByLabel('名称（可选）');
    await name.fill('官'.repeat(81));
    await origins.fill('https://shop.example.com/\nshop.example.com/cart');
    await dialog.getByRole('button', { name: '创建' }).click();
    await poll(() =>
      dialog.getByText('不是有效的来源（协议://域名[:端口]，不带路径）：shop.example.com/cart').count(),
    ).toBe(1);
    expect(await dialog.getByText('名称太长（81 个字符，最多 80 个）').count()).toBe(1);
    expect(await keys()).toEqual([]);
    await name.fill('  官网商城  ');
    await origins.fill('https://shop.example.com/\nhttp://localhost:8080');
    await dialog.getByRole('button', { name: '创建' }).click();
    await poll(() => dialog.count()).toBe(0);
    const [made] = await keys();
    expect(made.allowedOrigins).toEqual(['https://shop.example.com', 'http://localhost:8080']);
    expect(made.name).toBe('官网商城');

    // The key, masked, with its origins; its embed code in the KB's language, then in English.
    const table = page.getByTestId('widget-key-table');
    const masked = `wk_${made.key.slice(3, 7)}…${made.key.slice(-4)}`;
    await poll(() => table.getByTestId('widget-key-masked').allTextContents()).toEqual([masked]);
    expect(await table.getByTestId('widget-key-name').textContent()).toBe('官网商城');
    expect(await table.textContent()).not.toContain(made.key);
    expect(await table.getByTestId('widget-key-origins').textContent()).toBe(
      'https://shop.example.comhttp://localhost:8080',
    );
    expect(await table.getByTestId('widget-key-last-used').textContent()).toBe('从未使用');
    const snippet = page.getByTestId('widget-snippet');
    const code = snippet.getByTestId('widget-snippet-code');
    expect(await snippet.getByRole('heading').textContent()).toBe('嵌入代码');
    expect(await snippet.getByTestId('widget-snippet-key').textContent()).toBe(masked);
    expect(await snippet.getByTestId('widget-snippet-name').textContent()).toBe('官网商城');
    expect(await code.textContent()).toBe(
      `<script src="${origin}/widget.js" data-key="${made.key}" data-lang="zh"></script>`,
    );
    await snippet.getByText('英文', { exact: true }).click();
    await poll(() => code.textContent()).toBe(
      `<script src="${origin}/widget.js" data-key="${made.key}" data-lang="en"></script>`,
    );
    await snippet.getByRole('button', { name: '复制代码' }).click();
    await poll(() => snippet.getByRole('button', { name: '已复制' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await code.textContent());
    await table.getByRole('button', { name: '复制密钥' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(made.key);
    await snippet.getByText('中文', { exact: true }).click();

    // A second key for any website; a customer chats on each, so both show when they were last used.
    await page.getByRole('button', { name: '新建密钥' }).click();
    await dialog.getByRole('button', { name: '创建' }).click();
    await poll(() => table.getByTestId('widget-key-masked').count()).toBe(2);
    const [, any] = await keys();
    expect(any.allowedOrigins).toEqual([]);
    // The new key's code shows at once.
    await poll(() => code.textContent()).toContain(`data-key="${any.key}"`);
    expect(await table.getByTestId('widget-key-origins').nth(1).textContent()).toBe('任何网站');
    expect(await table.getByTestId('widget-key-name').nth(1).textContent()).toBe('未命名');
    const shop = await connectChat(origin, { key: made.key }, { origin: 'https://shop.example.com' });
    const local = await connectChat(origin, { key: made.key }, { origin: 'http://localhost:8080' });
    const anywhere = await connectChat(origin, { key: any.key }, { origin: 'https://blog.example.org' });
    clients.push(shop, local, anywhere);
    await shop.send('session:start', {});
    await anywhere.send('session:start', {});
    // The key list is read again when the tab opens.
    await poll(async () => (await keys()).every((k) => k.lastUsedAt)).toBe(true);
    await page.getByRole('tab', { name: '设置' }).click();
    await page.getByRole('tab', { name: '网页插件' }).click();
    await poll(() => table.getByTestId('widget-key-last-used').allTextContents()).toEqual([
      expect.stringMatching(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/),
      expect.stringMatching(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/),
    ]);

    // Edit the first key: renamed, and localhost goes (the chat open from it is disconnected).
    const firstRow = table.getByRole('row').filter({ hasText: masked });
    await firstRow.getByRole('button', { name: '编辑' }).click();
    expect(await dialog.getByRole('heading').textContent()).toBe('编辑密钥');
    expect(await name.inputValue()).toBe('官网商城');
    expect(await origins.inputValue()).toBe('https://shop.example.com\nhttp://localhost:8080');
    expect(await dialog.getByText('在去掉的来源的网页上正在进行的聊天会立即断开').count()).toBe(1);
    const localGone = new Promise((resolve) => local.socket.once('disconnect', resolve));
    await name.fill('官网商城（主站）');
    await origins.fill('https://shop.example.com');
    await dialog.getByRole('button', { name: '保存' }).click();
    await poll(() => firstRow.getByTestId('widget-key-origins').textContent()).toBe(
      'https://shop.example.com',
    );
    expect(await firstRow.getByTestId('widget-key-name').textContent()).toBe('官网商城（主站）');
    expect((await keys())[0]).toMatchObject({
      name: '官网商城（主站）',
      allowedOrigins: ['https://shop.example.com'],
    });
    expect(await localGone).toBe('io server disconnect');
    expect(shop.socket.connected).toBe(true);
    await firstRow.click();
    await poll(() => code.textContent()).toContain(`data-key="${made.key}"`);
    await shot(page, 'admin-widget-keys.png');

    // Revoke it: asked first; then the customer's chat with it is disconnected, told why.
    const shopGone = new Promise((resolve) => shop.socket.once('disconnect', resolve));
    await firstRow.getByRole('button', { name: '撤销' }).click();
    expect(await dialog.textContent()).toContain(
      `确定撤销密钥 官网商城（主站） (${masked}) 吗？使用它的网站将无法再打开聊天，正在进行的聊天会立即断开。`,
    );
    await dialog.getByRole('button', { name: '撤销' }).click();
    await poll(() => page.locator('.mantine-Notification-root').textContent()).toContain(
      `已撤销密钥 官网商城（主站） (${masked})`,
    );
    expect(await shopGone).toBe('io server disconnect');
    expect(shop.received('error')).toEqual([
      { code: 'forbidden', message: 'this widget key has been revoked', event: 'connection' },
    ]);
    await expect(
      connectChat(origin, { key: made.key }, { origin: 'https://shop.example.com' }),
    ).rejects.toThrow('this widget key has been revoked');
    expect(anywhere.socket.connected).toBe(true);
    // The list keeps live keys; the revoked one shows on request, marked, with nothing left to do.
    await poll(() => table.getByTestId('widget-key-masked').allTextContents()).toEqual([
      `wk_${any.key.slice(3, 7)}…${any.key.slice(-4)}`,
    ]);
    expect(await code.textContent()).toContain(`data-key="${any.key}"`);
    await page.getByRole('switch', { name: '显示已撤销的密钥（1）' }).check();
    await poll(() => table.getByTestId('widget-key-masked').count()).toBe(2);
    const revokedRow = table.getByRole('row').filter({ hasText: masked });
    expect(await revokedRow.getByTestId('widget-key-revoked').textContent()).toMatch(
      /^已撤销 · \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/,
    );
    expect(await revokedRow.getByRole('button').count()).toBe(0);
    expect((await keys())[0].revokedAt).toEqual(expect.any(String));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('speaks English, in sentence case', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-US',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${origin}/admin/kbs/${kbId}/widget`);
    await signIn(page, { labels: EN_LABELS });
    const table = page.getByTestId('widget-key-table');
    await poll(() => table.getByTestId('widget-key-masked').count()).toBe(1);
    await page.getByRole('switch', { name: 'Show revoked keys (1)' }).check();
    await poll(() => table.getByTestId('widget-key-masked').count()).toBe(2);
    const headers = await table.getByRole('columnheader').allTextContents();
    expect(headers.filter(Boolean)).toEqual(['Name', 'Key', 'Allowed origins', 'Created', 'Last used']);
    expect(await table.getByTestId('widget-key-name').allTextContents()).toEqual([
      'Unnamed',
      '官网商城（主站）',
    ]);
    expect(await table.getByTestId('widget-key-revoked').textContent()).toMatch(
      /^Revoked · \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}$/,
    );
    expect(await table.getByTestId('widget-key-origins').first().textContent()).toBe('Any website');
    expect(await page.getByTestId('widget-snippet').getByRole('heading').textContent()).toBe('Embed code');
    for (const name of ['New key', 'Embed code', 'Edit', 'Revoke', 'Copy code'])
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBeGreaterThan(0);
    await shot(page, 'admin-widget-keys-en.png');
    await context.close();
  });

  it('shows a viewer the keys and their embed code, and no way to change them', async () => {
    const viewer = await t.userWithRole('viewer');
    const context = await zhContext();
    const page = await context.newPage();
    await page.goto(`${origin}/admin/kbs/${kbId}/widget`);
    await signIn(page, { who: { email: viewer.email, password: 'test-user-password' } });
    const table = page.getByTestId('widget-key-table');
    await poll(() => table.getByTestId('widget-key-masked').count()).toBe(1);
    expect(await page.getByTestId('widget-snippet-code').textContent()).toMatch(/data-key="wk_/);
    for (const name of ['新建密钥', '编辑', '撤销'])
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    await context.close();
  });
});
