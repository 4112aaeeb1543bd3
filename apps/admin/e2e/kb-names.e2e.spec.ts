/**
 * KB names in chromium. One organisation cannot hold two KBs named alike (the database's unique index,
 * migration KbNameUnique1767100000000): a new KB with a taken name is refused in the console's
 * language. Two organisations can, and a user in both sees their KBs side by side: the KB list has an
 * Organisation column and filter for such a user, and the analytics KB picker adds the organisation's
 * name to each. Screenshots: admin-kbs-organisations.png, admin-kbs-same-name.png.
 */
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, TEST_OWNER, type TestApp } from '../../api/test/support/test-app';
import { closeNotices } from './notices';
import { signIn } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');
const OTHER_ORGANISATION = '华东分公司';

describe('KB names in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let organisation: string;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    await createKb(t.api, '售后客服', 'zh');
    // Another organisation with a KB of the same name, and the test owner an editor there too.
    const other = await t.newOrganisation(OTHER_ORGANISATION);
    await createKb(other.api, '售后客服', 'zh');
    await other.api
      .post(`/api/organisations/${other.organisationId}/users`)
      .send({ email: TEST_OWNER.email, role: 'editor' })
      .expect(201);
    const me = await t.api.get('/api/auth/me').expect(200);
    const memberships = me.body.memberships as { organisationId: string; organisationName: string }[];
    organisation = memberships.find((m) => m.organisationId === t.organisationId)!.organisationName;
    expect(memberships).toHaveLength(2);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("tells two organisations' KBs apart in the KB list and the analytics picker, and refuses a taken name", async () => {
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
    // A user in two organisations: an Organisation column says whose each KB is.
    const rows = async () => {
      const [kbs, orgs] = await Promise.all([
        names.allInnerTexts(),
        page.getByTestId('kb-organisation').allInnerTexts(),
      ]);
      return kbs.map((kb, i) => `${kb} | ${orgs[i]}`).sort();
    };
    expect(await page.getByTestId('kb-table').getByRole('columnheader').allInnerTexts()).toContain(
      '所属组织',
    );
    expect(await rows()).toEqual([`售后客服 | ${organisation}`, `售后客服 | ${OTHER_ORGANISATION}`].sort());
    // And can list one organisation's KBs only.
    const filter = page.getByTestId('kb-organisation-filter');
    expect(await filter.locator('option').allInnerTexts()).toEqual([
      '全部组织',
      organisation,
      OTHER_ORGANISATION,
    ]);
    await filter.selectOption({ label: OTHER_ORGANISATION });
    await poll(() => rows()).toEqual([`售后客服 | ${OTHER_ORGANISATION}`]);
    await filter.selectOption({ label: '全部组织' });
    await poll(() => names.count()).toBe(2);
    await closeNotices(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(IMAGES, 'admin-kbs-organisations.png') });

    // Each organisation has it: a new KB of that name is refused whichever the dialog picked.
    await page.getByRole('button', { name: '新建知识库' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('售后客服');
    await dialog.getByRole('button', { name: '创建' }).click();
    await poll(() => dialog.getByText(/这个组织已有名为“售后客服”的知识库/).count()).toBe(1);
    await closeNotices(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(IMAGES, 'admin-kbs-same-name.png') });
    await dialog.getByRole('button', { name: '取消' }).click();
    await poll(() => names.count()).toBe(2);

    await page.goto(`${origin}/admin/analytics`);
    await page.locator('.mantine-MultiSelect-input').click();
    const options = await page.getByRole('option').allInnerTexts();
    expect(options.sort()).toEqual([`售后客服 · ${organisation}`, `售后客服 · ${OTHER_ORGANISATION}`].sort());
    await context.close();
  });
});
