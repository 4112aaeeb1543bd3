/**
 * The audit log page in a real browser (Debian's chromium through playwright-core) against the real
 * API and PostgreSQL: after the owner edits an FAQ entry and changes a KB's settings, an API key adds
 * an entry and a KB is deleted, the owner reads those rows newest first in words, with the right KB
 * and actor; opens the FAQ edit to see the answer before and after; filters by KB, the deleted one
 * too. English too. An
 * editor sees no audit log in the navigation and is told why at its address. Screenshots go to
 * docs/images/admin-audit-log.png and admin-audit-log-en.png.
 */
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, TEST_OWNER, type TestApp } from '../../api/test/support/test-app';
import { closeNotices } from './notices';
import { openConsole } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');

async function shot(page: Page, name: string) {
  await closeNotices(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(IMAGES, name), fullPage: true });
}

/** The table's rows (not the opened detail rows) as [who, what, KB]. */
async function rows(page: Page): Promise<string[][]> {
  const table = page.getByTestId('audit-table');
  const [who, what, kb] = await Promise.all([
    table.getByTestId('audit-actor').allTextContents(),
    table.getByTestId('audit-action').allTextContents(),
    table.getByTestId('audit-kb').allTextContents(),
  ]);
  return what.map((w, i) => [who[i], w, kb[i]]);
}

describe('audit log page in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    const shop = await createKb(t.api, '售后客服', 'zh');
    const en = await createKb(t.api, 'Shop FAQ', 'en');
    const old = await createKb(t.api, '旧活动问答', 'zh');
    const faq = (
      await t.api
        .post(`/api/kbs/${shop}/faqs`)
        .send({ question: '退货期限是多久？', answer: '签收后7天内可申请无理由退货。' })
        .expect(201)
    ).body;
    await t.api
      .post(`/api/organisations/${t.organisationId}/users`)
      .send({ email: 'wang.li@shop.example', name: '王丽', role: 'editor', password: 'wang-li-pass' })
      .expect(201);
    const key = (
      await t.api
        .post(`/api/organisations/${t.organisationId}/api-keys`)
        .send({ name: '商城后台', kbId: en, role: 'editor' })
        .expect(201)
    ).body.key as string;
    const byKey = await fetch(`${origin}/api/kbs/${en}/faqs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'How long does delivery take?', answer: '2-3 working days.' }),
    });
    expect(byKey.status).toBe(201);
    await t.api.delete(`/api/kbs/${old}`).expect(204);
    // The owner's two edits: an FAQ entry's answer, and a KB setting.
    await t.api
      .patch(`/api/kbs/${shop}/faqs/${faq.id}`)
      .send({ answer: '签收后15天内可申请无理由退货。' })
      .expect(200);
    await t.api
      .patch(`/api/kbs/${en}`)
      .send({ settings: { fallbackMessage: 'Sorry, I do not know. Leave a message and we will reply.' } })
      .expect(200);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reads the changes in words, opens an FAQ edit on its before and after, filters by KB', async () => {
    const { context, page } = await openConsole(browser, `${origin}/admin/kbs`);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.getByRole('link', { name: '审计日志', exact: true }).click();
    await page.waitForURL(/\/admin\/audit-log$/);
    await poll(() => page.getByTestId('audit-action').count()).toBe(10);
    const owner = TEST_OWNER.email;
    const shown = await rows(page);
    // The key by its name and prefix (never the key), with what kind of actor it is.
    expect(shown[3][0]).toMatch(/^API 密钥商城后台wdk_.{6}…$/);
    expect(shown.map(([who, ...rest]) => [who.startsWith('API 密钥') ? 'key' : who, ...rest])).toEqual([
      [owner, '修改了知识库设置', 'Shop FAQ'],
      [owner, '编辑了问答', '售后客服'],
      [owner, '删除了知识库', '旧活动问答（已删除）'],
      ['key', '新增了问答', 'Shop FAQ'],
      [owner, '新建了 API 密钥', '—'],
      [owner, '添加了成员', '—'],
      [owner, '新增了问答', '售后客服'],
      [owner, '新建了知识库', '旧活动问答（已删除）'],
      [owner, '新建了知识库', 'Shop FAQ'],
      [owner, '新建了知识库', '售后客服'],
    ]);

    // The FAQ edit opened: the answer before and after, and nothing else.
    const table = page.getByTestId('audit-table');
    await table.getByRole('row').nth(2).getByRole('button', { name: '前后对比' }).click();
    const detail = page.getByTestId('audit-detail');
    await poll(() => detail.getByTestId('audit-change').count()).toBe(1);
    expect(await detail.getByTestId('audit-change').locator('td').allTextContents()).toEqual([
      '答案',
      '签收后7天内可申请无理由退货。',
      '签收后15天内可申请无理由退货。',
    ]);
    await shot(page, 'admin-audit-log.png');
    await table.getByRole('button', { name: '收起' }).click();
    await poll(() => detail.count()).toBe(0);

    // One KB's rows only.
    await page.getByLabel('知识库').selectOption({ label: '售后客服' });
    await poll(() => rows(page)).toEqual([
      [owner, '编辑了问答', '售后客服'],
      [owner, '新增了问答', '售后客服'],
      [owner, '新建了知识库', '售后客服'],
    ]);
    expect(await page.getByText('第 1–3 条，共 3 条').count()).toBe(1);
    // The filter offers the KBs the log names, the deleted one too (by the name its rows recorded).
    expect(await page.getByLabel('知识库').locator('option').allTextContents()).toEqual([
      '全部知识库',
      'Shop FAQ',
      '售后客服',
      '旧活动问答（已删除）',
    ]);
    await page.getByLabel('知识库').selectOption({ label: '旧活动问答（已删除）' });
    await poll(() => rows(page)).toEqual([
      [owner, '删除了知识库', '旧活动问答（已删除）'],
      [owner, '新建了知识库', '旧活动问答（已删除）'],
    ]);
    expect(errors).toEqual([]);
    await context.close();

    // An editor: no audit log in the navigation, and told why at the page's address.
    const editor = await openConsole(browser, `${origin}/admin/kbs`, {
      who: { email: 'wang.li@shop.example', password: 'wang-li-pass' },
    });
    await poll(() => editor.page.getByText('售后客服').count()).toBe(1);
    expect(await editor.page.getByRole('link', { name: '审计日志', exact: true }).count()).toBe(0);
    await editor.page.goto(`${origin}/admin/audit-log`);
    await poll(() => editor.page.getByTestId('audit-owners-only').textContent()).toBe(
      '只有组织的所有者能查看审计日志；你在任何组织中都不是所有者。',
    );
    expect(await editor.page.getByTestId('audit-table').count()).toBe(0);
    await editor.context.close();
  });

  it('speaks English: a settings change opened shows the setting before and after', async () => {
    const { context, page } = await openConsole(browser, `${origin}/admin/audit-log`, { locale: 'en-US' });
    const table = page.getByTestId('audit-table');
    await poll(() => table.getByTestId('audit-action').count()).toBe(10);
    const headers = await table.getByRole('columnheader').allTextContents();
    expect(headers.filter(Boolean)).toEqual(['When', 'Who', 'What', 'Knowledge base']);
    expect((await rows(page)).slice(0, 4).map((r) => r.slice(1))).toEqual([
      ['changed KB settings', 'Shop FAQ'],
      ['edited FAQ entry', '售后客服'],
      ['deleted KB', '旧活动问答 (deleted)'],
      ['added FAQ entry', 'Shop FAQ'],
    ]);
    await table.getByRole('row').nth(1).getByRole('button', { name: 'Before / after' }).click();
    const detail = page.getByTestId('audit-detail');
    await poll(() => detail.getByTestId('audit-change').count()).toBe(1);
    expect(await detail.getByTestId('audit-change').locator('td').allTextContents()).toEqual([
      'Fallback message',
      '—',
      'Sorry, I do not know. Leave a message and we will reply.',
    ]);
    await shot(page, 'admin-audit-log-en.png');
    await context.close();
  });
});
