/**
 * The API keys page in a real browser (Debian's chromium through playwright-core) against the real API
 * and PostgreSQL: the owner creates a key limited to one KB, sees it whole once (copied, with a curl
 * line), the curl line run as shown asks the KB and the key gets 200 on the API, the list shows the key
 * by its prefix only and when it was used; after the confirmation the key is revoked and the same
 * request gets 401. An editor sees no API keys in the navigation and is told why at its address.
 * Screenshots go to docs/images/admin-api-keys.png, -new.png and -en.png.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, type TestApp } from '../../api/test/support/test-app';
import { closeNotices } from './notices';
import { openConsole } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');

/**
 * What a command line shown on the page prints, run by the shell as a user would paste it (not
 * execFileSync: the API answering it runs in this process).
 */
const run = async (line: string) => JSON.parse((await promisify(execFile)('sh', ['-c', line])).stdout);

async function shot(page: Page, name: string) {
  await closeNotices(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(IMAGES, name), fullPage: true });
}

describe('API keys page in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let kbId: string;
  const ask = (key: string) =>
    fetch(`${origin}/api/kbs/${kbId}/ask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: '退货期限是多久？' }),
    });

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    kbId = await createKb(t.api, '售后客服', 'zh');
    await createKb(t.api, 'Shop FAQ', 'en');
    await t.api
      .post(`/api/kbs/${kbId}/faqs`)
      .send({ question: '退货期限是多久？', answer: '签收后7天内可申请无理由退货。' })
      .expect(201);
    await t.api
      .post(`/api/organisations/${t.organisationId}/users`)
      .send({ email: 'wang.li@shop.example', name: '王丽', role: 'editor', password: 'wang-li-pass' })
      .expect(201);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates a key for one KB, shows it once, the key asks with 200; revoked, the same ask gets 401', async () => {
    const { context, page } = await openConsole(browser, `${origin}/admin/kbs`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.getByRole('link', { name: 'API 密钥', exact: true }).click();
    await page.waitForURL(/\/admin\/api-keys$/);
    await poll(() => page.getByText('还没有 API 密钥').count()).toBe(1);

    // Name, one KB, the default role (agent): created, and shown whole this once.
    await page.getByRole('button', { name: '新建 API 密钥' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称（可选）').fill('商城后台');
    await dialog.getByLabel('知识库').selectOption({ label: '售后客服' });
    expect(await dialog.getByLabel('角色').inputValue()).toBe('agent');
    await dialog.getByRole('button', { name: '创建' }).click();
    const secret = dialog.getByTestId('api-key-secret');
    await poll(() => secret.count()).toBe(1);
    const key = (await secret.textContent())!;
    expect(key).toMatch(/^wdk_[\w-]{43}$/);
    expect(await dialog.getByTestId('api-key-once').textContent()).toContain(
      '关闭这个窗口后你将无法再次看到它',
    );
    await shot(page, 'admin-api-keys-new.png');
    // Escape does not close it: the key is not lost before it is copied.
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(await secret.count()).toBe(1);
    await dialog.getByRole('button', { name: '复制密钥' }).click();
    await poll(() => dialog.getByRole('button', { name: '已复制' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    expect(await dialog.getByText('用这个密钥向“售后客服”提问：').count()).toBe(1);
    const example = (await dialog.getByTestId('api-key-example').textContent())!;
    expect(example).toContain(`${origin}/api/kbs/${kbId}/ask`);
    expect(example).toContain(`Bearer ${key}`);

    // The curl line, run as shown, asks the KB with the key; and the key gets 200 from the API.
    const answer = await run(example);
    expect(answer.answer).toBe('签收后7天内可申请无理由退货。');
    expect((await ask(key)).status).toBe(200);

    // Closed, the key is gone from the page: the list shows its prefix only, and when it was used.
    await dialog.getByRole('button', { name: '我已保存密钥' }).click();
    await poll(() => dialog.count()).toBe(0);
    await page.reload();
    const table = page.getByTestId('api-key-table');
    await poll(() => table.getByTestId('api-key-name').allTextContents()).toEqual(['商城后台']);
    expect(await table.getByTestId('api-key-prefix').textContent()).toBe(`${key.slice(0, 10)}…`);
    expect(await table.getByTestId('api-key-scope').textContent()).toBe('售后客服');
    expect(await table.getByTestId('api-key-role').textContent()).toBe('客服');
    expect(await table.getByTestId('api-key-last-used').textContent()).not.toBe('从未使用');
    expect(await page.content()).not.toContain(key);

    // A second key, for every KB, made by a script: listed unused.
    await t.api
      .post(`/api/organisations/${t.organisationId}/api-keys`)
      .send({ name: 'BI 报表', role: 'viewer' })
      .expect(201);
    await page.reload();
    await poll(() => table.getByTestId('api-key-name').allTextContents()).toEqual(['商城后台', 'BI 报表']);
    expect(await table.getByTestId('api-key-scope').nth(1).textContent()).toBe('所有知识库');
    expect(await table.getByTestId('api-key-last-used').nth(1).textContent()).toBe('从未使用');

    // Revoking asks first, naming the key; then the key is refused at once.
    await table
      .getByRole('row')
      .filter({ hasText: '商城后台' })
      .getByRole('button', { name: '撤销' })
      .click();
    await poll(() =>
      dialog
        .getByText(
          `商城后台 (${key.slice(0, 10)}…) 将立即失效：之后用它的请求都会被拒绝（401）。撤销后不能恢复。`,
        )
        .count(),
    ).toBe(1);
    await dialog.getByRole('button', { name: '撤销' }).click();
    await poll(() => table.getByTestId('api-key-name').allTextContents()).toEqual(['BI 报表']);
    expect((await ask(key)).status).toBe(401);

    // Revoked keys are listed on request, marked as such.
    await page.getByRole('switch', { name: '显示已撤销的密钥（1）' }).check();
    await poll(() => table.getByTestId('api-key-name').allTextContents()).toEqual(['BI 报表', '商城后台']);
    expect(await table.getByTestId('api-key-revoked').textContent()).toMatch(/^已撤销 · /);
    expect(await table.getByRole('button', { name: '撤销' }).count()).toBe(1);
    await shot(page, 'admin-api-keys.png');
    expect(errors).toEqual([]);
    await context.close();

    // An editor: no API keys in the navigation, and told why at the page's address.
    const editor = await openConsole(browser, `${origin}/admin/kbs`, {
      who: { email: 'wang.li@shop.example', password: 'wang-li-pass' },
    });
    await poll(() => editor.page.getByText('售后客服').count()).toBe(1);
    expect(await editor.page.getByRole('link', { name: 'API 密钥', exact: true }).count()).toBe(0);
    await editor.page.goto(`${origin}/admin/api-keys`);
    await poll(() => editor.page.getByTestId('api-keys-owners-only').textContent()).toBe(
      '只有组织的所有者能管理 API 密钥；你在任何组织中都不是所有者。',
    );
    expect(await editor.page.getByTestId('api-key-table').count()).toBe(0);
    await editor.context.close();
  });

  it('speaks English; a viewer key is offered a read, since it may not ask', async () => {
    const { context, page } = await openConsole(browser, `${origin}/admin/api-keys`, { locale: 'en-US' });
    const table = page.getByTestId('api-key-table');
    await poll(() => table.getByTestId('api-key-name').count()).toBe(1);
    const headers = await table.getByRole('columnheader').allTextContents();
    expect(headers.filter(Boolean)).toEqual(['Name', 'Key', 'Scope', 'Role', 'Created', 'Last used']);

    await page.getByRole('button', { name: 'New API key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name (optional)').fill('Reporting');
    await dialog.getByLabel('Role').selectOption('viewer');
    expect(
      await dialog.getByText('reads KBs, FAQ entries, documents and analytics; may not ask').count(),
    ).toBe(1);
    await dialog.getByRole('button', { name: 'Create' }).click();
    const secret = dialog.getByTestId('api-key-secret');
    await poll(() => secret.count()).toBe(1);
    const key = (await secret.textContent())!;
    expect(await dialog.getByTestId('api-key-once').textContent()).toContain(
      'you will not see it again once you close this window',
    );
    // All KBs: the example reads the organisation's first KB.
    expect(
      await dialog.getByText('A viewer key may not ask; read the FAQ entries of “售后客服” with it:').count(),
    ).toBe(1);
    const example = (await dialog.getByTestId('api-key-example').textContent())!;
    const faqs = await run(example);
    expect(faqs.map((f: { question: string }) => f.question)).toEqual(['退货期限是多久？']);
    expect((await ask(key)).status).toBe(403);
    await dialog.getByRole('button', { name: 'I have saved the key' }).click();
    await poll(() => table.getByTestId('api-key-name').allTextContents()).toEqual(['BI 报表', 'Reporting']);
    expect(await table.getByTestId('api-key-role').allTextContents()).toEqual(['viewer', 'viewer']);
    await page.getByRole('switch', { name: 'Show revoked keys (1)' }).check();
    await poll(() => table.getByTestId('api-key-name').allTextContents()).toEqual([
      'BI 报表',
      'Reporting',
      '商城后台',
    ]);
    expect(await table.getByTestId('api-key-revoked').textContent()).toMatch(
      /^Revoked · \d+ \w{3} \d{4}, \d{2}:\d{2}$/,
    );
    await shot(page, 'admin-api-keys-en.png');
    await context.close();
  });
});
