/**
 * The Members page in a real browser (Debian's chromium through playwright-core) against the real API
 * and PostgreSQL: the owner adds a new member with an initial password as viewer, makes them editor,
 * the member signs in and gets an editor's console (and no Members page), the owner's demotion of
 * themselves, asked first, is refused (the last owner) and said in Chinese, and the member is removed
 * (their KB list empties on their next request). Screenshots go to docs/images/admin-members.png and
 * -en.png.
 */
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, TEST_OWNER, type TestApp } from '../../api/test/support/test-app';
import { closeNotices } from './notices';
import { EN_LABELS, signIn } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');

async function shot(page: Page, name: string) {
  await closeNotices(page);
  await poll(() => page.getByRole('dialog').count()).toBe(0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(IMAGES, name), fullPage: true });
}

interface MemberBody {
  userId: string;
  email: string;
  name: string;
  role: string;
}

describe('members page in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  const members = async () =>
    (await t.api.get(`/api/organisations/${t.organisationId}/users`).expect(200)).body as MemberBody[];
  const context = (locale: 'zh-CN' | 'en-US'): Promise<BrowserContext> =>
    browser.newContext({ viewport: { width: 1280, height: 720 }, locale, reducedMotion: 'reduce' });

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    await createKb(t.api, '售后客服', 'zh');
    // An agent already there, added through the API as before this page.
    await t.api
      .post(`/api/organisations/${t.organisationId}/users`)
      .send({ email: 'chen.gang@shop.example', name: '陈刚', role: 'agent', password: 'chen-gang-pass' })
      .expect(201);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('adds a member, changes their role, they sign in with it; the last owner is kept; removes them', async () => {
    const owner = await (await context('zh-CN')).newPage();
    const errors: string[] = [];
    owner.on('pageerror', (e) => errors.push(e.message));
    await owner.goto(`${origin}/admin/kbs`);
    await signIn(owner);
    await owner.getByRole('link', { name: '成员', exact: true }).click();
    await owner.waitForURL(/\/admin\/members$/);
    const table = owner.getByTestId('member-table');
    await poll(() => table.getByTestId('member-name').allTextContents()).toEqual([
      `${TEST_OWNER.email}（你）`,
      '陈刚',
    ]);

    // A new email without a password is refused, in Chinese, in the form; with one, the member is made.
    await owner.getByRole('button', { name: '添加成员' }).click();
    const dialog = owner.getByRole('dialog');
    await dialog.getByLabel('邮箱').fill('wang.li@shop.example');
    await dialog.getByLabel('姓名（可选）').fill('王丽');
    expect(await dialog.getByLabel('角色').inputValue()).toBe('viewer');
    await dialog.getByRole('button', { name: '添加成员' }).click();
    await poll(() => dialog.getByTestId('member-add-error').textContent()).toBe(
      '未能添加 wang.li@shop.example：这个邮箱还没有账号；请填写初始密码来创建账号。',
    );
    await dialog.getByLabel('初始密码').fill('wang-li-pass');
    await dialog.getByRole('button', { name: '添加成员' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => table.getByTestId('member-name').count()).toBe(3);
    const wang = (await members()).find((m) => m.email === 'wang.li@shop.example')!;
    expect(wang).toMatchObject({ name: '王丽', role: 'viewer' });

    // Viewer -> editor.
    await table.getByLabel('角色: 王丽').selectOption('editor');
    await poll(async () => (await members()).find((m) => m.userId === wang.userId)?.role).toBe('editor');
    await poll(() => owner.getByText('王丽 的角色已改为编辑者。').count()).toBe(1);
    await closeNotices(owner);

    // The new member signs in with that password and gets an editor's console, without Members.
    const memberContext = await context('zh-CN');
    const member = await memberContext.newPage();
    await member.goto(`${origin}/admin/kbs`);
    await signIn(member, { who: { email: 'wang.li@shop.example', password: 'wang-li-pass' } });
    await poll(() => member.getByText('售后客服').count()).toBe(1);
    expect(await member.getByRole('button', { name: '新建知识库' }).count()).toBe(1);
    expect(await member.getByRole('link', { name: '成员', exact: true }).count()).toBe(0);
    await member.goto(`${origin}/admin/members`);
    await poll(() => member.getByTestId('members-owners-only').textContent()).toBe(
      '只有组织的所有者能管理成员；你在任何组织中都不是所有者。',
    );
    expect(await member.getByTestId('member-table').count()).toBe(0);

    // The only owner cannot demote themselves: refused, said why, the role stays.
    await shot(owner, 'admin-members.png');
    const mine = table.getByLabel(`角色: ${TEST_OWNER.email}`);
    await mine.selectOption('editor');
    // Asked first: it would close this page to them.
    await poll(() =>
      dialog.getByText('你将把自己的角色改为编辑者：之后你不能再管理成员，也看不到这一页。').count(),
    ).toBe(1);
    expect(await mine.inputValue()).toBe('owner');
    await dialog.getByRole('button', { name: '确认更改' }).click();
    await poll(() => owner.getByRole('alert').filter({ hasText: '未能更改' }).textContent()).toBe(
      `未能更改 ${TEST_OWNER.email} 的角色：组织必须保留至少一位所有者；请先把另一位成员设为所有者。`,
    );
    await poll(() => mine.inputValue()).toBe('owner');
    expect((await members()).find((m) => m.email === TEST_OWNER.email)?.role).toBe('owner');
    await closeNotices(owner);

    // Removing asks first, naming who; then they are gone, and their next request sees no KB.
    await table.getByRole('row').filter({ hasText: '王丽' }).getByRole('button', { name: '移除' }).click();
    await poll(() =>
      dialog.getByText('王丽将不能再访问这个组织（下一次请求起生效）。账号本身保留。').count(),
    ).toBe(1);
    await dialog.getByRole('button', { name: '确认移除' }).click();
    await poll(() => table.getByTestId('member-name').count()).toBe(2);
    expect((await members()).map((m) => m.email)).not.toContain('wang.li@shop.example');
    await member.goto(`${origin}/admin/kbs`);
    await poll(() => member.getByRole('heading', { level: 2 }).count()).toBe(1);
    await poll(() => member.getByText('售后客服').count()).toBe(0);
    expect(await member.getByRole('button', { name: '新建知识库' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await memberContext.close();
  });

  it('speaks English', async () => {
    await t.api
      .post(`/api/organisations/${t.organisationId}/users`)
      .send({ email: 'mia.lee@shop.example', name: 'Mia Lee', role: 'viewer', password: 'mia-lee-pass' })
      .expect(201);
    const page = await (await context('en-US')).newPage();
    await page.goto(`${origin}/admin/members`);
    await signIn(page, { labels: EN_LABELS });
    const table = page.getByTestId('member-table');
    await poll(() => table.getByTestId('member-name').count()).toBe(3);
    const headers = await table.getByRole('columnheader').allTextContents();
    expect(headers.filter(Boolean)).toEqual(['Member', 'Role', 'Added']);
    expect(await table.getByLabel('Role: 陈刚').inputValue()).toBe('agent');
    expect(await page.getByRole('button', { name: 'Add member' }).count()).toBe(1);
    expect(await table.getByRole('button', { name: 'Remove' }).count()).toBe(3);
    expect(await page.getByTestId('member-role-help').textContent()).toContain(
      'editor: also edits KB content, settings and widget keys',
    );
    await shot(page, 'admin-members-en.png');
  });
});
