/**
 * An admin curating a KB's FAQ in a real browser (Debian's chromium through playwright-core) against
 * the real API and PostgreSQL: the Settings tab follows the calibration the server runs after each
 * change without a reload; an entry asking a question another entry already asks is refused in the
 * form, which keeps what was typed, and skipped, with a warning, when an import brings it. A viewer
 * reads an entry without a form to edit (docs/images/admin-faq-viewer.png and -en.png).
 */
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KbCalibrationService } from '../../api/src/indexes/kb-calibration.service';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, uploadAndWait, type TestApp } from '../../api/test/support/test-app';
import { signIn } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');
/** Five entries with alternates: enough to calibrate (5 entries, 12 test questions); four are not. */
const FAQ_CSV = [
  '问题,答案,相似问题',
  '退货期限是多久？,签收后7天内可无理由退货。,多久可以退货|退货时间',
  '运费怎么算？,满99元包邮，不满收8元。,邮费多少',
  '可以开发票吗？,可以，下单时填写抬头。,怎么开发票',
  '怎么联系客服？,拨打400-123-4567。,客服电话',
  '发货要多久？,付款后48小时内发货。,什么时候发货',
].join('\n');

interface FaqRow {
  id: string;
  question: string;
  alternates: string[];
}

describe('FAQ curation in chromium', () => {
  let app: BrowserApp;
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let kbId: string;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    kbId = await createKb(t.api, '售后客服', 'zh');
    await uploadAndWait(t.api, kbId, [{ name: 'faq.csv', content: FAQ_CSV, type: 'text/csv' }]);
    await t.wendao.app.get(KbCalibrationService).settled(kbId);
  });
  afterAll(async () => app?.close());

  const openKb = async (tab: string): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${origin}/admin/kbs/${kbId}/${tab}`);
    await signIn(page);
    return page;
  };

  it('shows the calibration of the content and settings as they are now, not as they were before a change', async () => {
    const page = await openKb('settings');
    const calibration = page.getByTestId('calibration');
    await poll(() => calibration.textContent()).toMatch(
      /^已按目标准确率 0\.90 自动校准：用本库的 \d+ 个测试问题/,
    );
    expect(await page.getByTestId('calibration-pending').count()).toBe(0);

    // A new target precision: the server calibrates again after the save, the tab follows.
    await page.getByLabel('目标准确率').fill('0.85');
    await page.getByRole('button', { name: '保存' }).click();
    await poll(() => calibration.textContent()).toMatch(/^已按目标准确率 0\.85 自动校准/);
    await poll(() => page.getByTestId('calibration-pending').count()).toBe(0);

    // One entry deleted leaves four, too few to calibrate: the defaults come back in force. The tab
    // showed the thresholds calibrated on five entries until the page was reloaded.
    await page.getByRole('tab', { name: '问答管理' }).click();
    await page
      .getByTestId('faq-table')
      .getByRole('row')
      .filter({ hasText: '怎么联系客服？' })
      .getByRole('button', { name: '删除' })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: '确认删除' }).click();
    await poll(() => page.getByTestId('kb-count-faqs').textContent()).toBe('4 条问答');
    // The deletion is said, politely (a status, not an alert), and left long enough to read.
    const deleted = page.getByRole('status').filter({ hasText: '已删除问答“怎么联系客服？”' });
    await poll(() => deleted.count()).toBe(1);
    await page.waitForTimeout(3_000);
    expect(await deleted.count()).toBe(1);
    await page.getByRole('tab', { name: '设置' }).click();
    await poll(() => calibration.textContent()).toBe(
      '知识库太小，暂不校准（至少需要 5 条问答、12 个测试问题），先使用默认阈值。',
    );
    await poll(() =>
      page.getByTestId('thresholds').locator('tbody tr td:nth-child(3)').allTextContents(),
    ).toEqual(['默认值', '默认值', '默认值', '默认值']);
    expect(await page.getByTestId('calibration-pending').count()).toBe(0);
    await page.context().close();
  });

  it('counts the entries a document has now, and says how to restore a deleted one when the file is uploaded again', async () => {
    // The first test deleted 怎么联系客服？, one of faq.csv's five entries: the Documents tab said
    // '5 条问答' still, and the file uploaded again said only that it was a duplicate.
    const page = await openKb('documents');
    await poll(() => page.getByRole('row').filter({ hasText: 'faq.csv' }).first().textContent()).toContain(
      '4 条问答，0 个段落',
    );
    await page.getByRole('tab', { name: '上传' }).click();
    await page
      .getByTestId('dropzone')
      .locator('input[type=file]')
      .setInputFiles([{ name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from(FAQ_CSV) }]);
    const row = page.getByTestId('upload-row').first();
    await poll(() => row.getAttribute('data-outcome')).toBe('duplicate');
    expect(await row.textContent()).toContain(
      '该文件内容已存在于文档 faq.csv，未重复导入。要恢复从该文档删除的问答，请在“问答管理”中手动添加，或先在“文档”中删除 faq.csv（它其余的问答会一并删除）再重新上传。',
    );
    await page.context().close();
  });

  it('refuses in the form a new entry asking what another entry asks, keeping what was typed', async () => {
    const page = await openKb('faqs');
    await poll(() => page.getByTestId('faq-table').getByText('运费怎么算？').count()).toBe(1);
    const entries = async () => (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body.length;
    const before = await entries();
    await page.getByRole('button', { name: '新建问答' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('问题').fill('运费怎么算');
    await form.getByLabel('答案').fill('不满99元收8元，偏远地区另计。');
    await form.getByRole('button', { name: '保存' }).click();
    // Saved, it would never have answered: matching keeps the older entry of one question.
    await poll(() => form.getByRole('alert').textContent()).toBe(
      '已有问答“运费怎么算？”问的是同一个问题，这一条保存了也不会被用来回答。请改为编辑那一条，或先停用它。',
    );
    expect(await form.getByLabel('答案').inputValue()).toBe('不满99元收8元，偏远地区另计。');
    expect(await entries()).toBe(before);
    // Asked another way, it is saved.
    await form.getByLabel('问题').fill('偏远地区运费多少？');
    await form.getByRole('button', { name: '保存' }).click();
    await poll(() => page.getByTestId('faq-table').getByText('偏远地区运费多少？').count()).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await entries()).toBe(before + 1);
    await page.context().close();
  });

  it('says in the form, in Chinese and before sending, that a question or an answer is over the API limit', async () => {
    const page = await openKb('faqs');
    await poll(() => page.getByTestId('faq-table').getByText('运费怎么算？').count()).toBe(1);
    const entries = async () => (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body.length;
    const before = await entries();
    // The API's limits, which the form shows: one character more is refused (in English).
    await t.api
      .post(`/api/kbs/${kbId}/faqs`)
      .send({ question: '问'.repeat(1001), answer: '答' })
      .expect(400);
    await t.api
      .post(`/api/kbs/${kbId}/faqs`)
      .send({ question: '问', answer: '答'.repeat(20001) })
      .expect(400);
    await page.getByRole('button', { name: '新建问答' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('问题').fill('问'.repeat(1001));
    await form.getByLabel('答案').fill('答'.repeat(20001));
    await poll(() => form.getByText('最多 1000 个字符，现在有 1001 个，请删减后再保存。').count()).toBe(1);
    expect(await form.getByText('最多 20000 个字符，现在有 20001 个，请删减后再保存。').count()).toBe(1);
    expect(await form.getByRole('button', { name: '保存' }).isDisabled()).toBe(true);
    // Shortened to the limits, it is saved.
    await form.getByLabel('问题').fill('问'.repeat(1000));
    await form.getByLabel('答案').fill('答'.repeat(20000));
    await poll(() => form.getByText(/请删减后再保存/).count()).toBe(0);
    await form.getByRole('button', { name: '保存' }).click();
    await poll(() => page.getByRole('dialog').count()).toBe(0);
    const saved = ((await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body as FaqRow[]).find(
      (f) => f.question === '问'.repeat(1000),
    );
    expect(saved).toBeDefined();
    expect(await entries()).toBe(before + 1);
    await t.api.delete(`/api/kbs/${kbId}/faqs/${saved!.id}`).expect(204);
    await page.context().close();
  });

  it("says in the form that the entry's own question among its alternates is left out, and saves without it", async () => {
    const page = await openKb('faqs');
    await page.getByTestId('faq-table').getByText('可以开发票吗？').click();
    const form = page.getByRole('dialog');
    await poll(() => form.getByLabel('相似问法').inputValue()).toBe('怎么开发票');
    await form.getByLabel('相似问法').fill('怎么开发票\n可以开发票吗\n能开专票吗');
    await poll(() => form.getByTestId('alternate-is-question').textContent()).toBe(
      '相似问法里有本条的问题“可以开发票吗？”，不必重复，保存时会去掉。',
    );
    await form.getByRole('button', { name: '保存' }).click();
    await poll(() => page.getByRole('dialog').count()).toBe(0);
    const saved = ((await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body as FaqRow[]).find(
      (f) => f.question === '可以开发票吗？',
    );
    expect(saved?.alternates).toEqual(['怎么开发票', '能开专票吗']);
    // Sent by a script, the API leaves it out too.
    await t.api
      .patch(`/api/kbs/${kbId}/faqs/${saved!.id}`)
      .send({ alternates: ['可以开发票吗', '怎么开发票'] })
      .expect(200);
    const again = (await t.api.get(`/api/kbs/${kbId}/faqs/${saved!.id}`).expect(200)).body as FaqRow;
    expect(again.alternates).toEqual(['怎么开发票']);
    await page.context().close();
  });

  it('imports an edited export: the questions the KB has are skipped and said so, a file with nothing new is refused', async () => {
    const page = await openKb('faqs');
    await poll(() => page.getByTestId('faq-table').getByText('运费怎么算？').count()).toBe(1);
    const entries = async () => (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body.length;
    const before = await entries();
    const exported = (await t.api.get(`/api/kbs/${kbId}/faqs/export?format=csv`).expect(200)).text;
    const importFile = async (name: string, content: string) => {
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: '批量导入' }).click();
      await (await chooser).setFiles([{ name, mimeType: 'text/csv', buffer: Buffer.from(content) }]);
    };
    // The spreadsheet edited in Excel: an answer changed, a question added. Imported, the old entries
    // kept answering and the edit was saved as a second entry that never answered.
    await importFile(
      'faqs-edited.csv',
      `${exported.replace('满99元包邮，不满收8元。', '满59元包邮。')}可以自提吗？,可以，到店自提。,,,true\r\n`,
    );
    const result = page.getByTestId('import-result');
    await poll(() => result.getByTestId('import-warning').count()).toBe(before);
    expect(await result.locator('p').first().textContent()).toBe('已导入 1 条问答');
    expect(await result.getByTestId('import-warning').allTextContents()).toContain(
      '问题“运费怎么算？”已存在于文档 faq.csv，已跳过；要改答案，请在问答管理中编辑那一条。',
    );
    expect(await entries()).toBe(before + 1);
    await page.locator('.mantine-Notification-root').getByRole('button').click();
    // Nothing new in it: refused, and the notification says what to do instead.
    await importFile('faqs-again.csv', exported);
    await poll(() => page.locator('.mantine-Notification-root').textContent()).toBe(
      `faqs-again.csv 中的 ${before} 个问题知识库里都已有（已存在于文档 faq.csv），未添加任何内容。要改答案，请在问答管理中编辑那些问答；要换成文件里的版本，请先删除它们再导入。`,
    );
    // An error stays until it is closed (it closed after 2.5 s, before it could be read), as an alert.
    const refusal = page.locator('.mantine-Notification-root');
    expect(await refusal.getAttribute('role')).toBe('alert');
    await page.waitForTimeout(4_000);
    expect(await refusal.count()).toBe(1);
    await refusal.getByRole('button').click();
    await poll(() => refusal.count()).toBe(0);
    expect(await entries()).toBe(before + 1);
    await page.context().close();
  });

  it('says how many entries and passages go with a document before deleting it, and that it was deleted', async () => {
    await uploadAndWait(t.api, kbId, [
      {
        name: 'returns.csv',
        content: '问题,答案\n退货要运费吗？,质量问题免运费。\n多久能退款？,收到退货后3天内。\n',
        type: 'text/csv',
      },
    ]);
    const page = await openKb('documents');
    const row = page.getByTestId('document-table').getByRole('row').filter({ hasText: 'returns.csv' });
    await poll(() => row.textContent()).toContain('2 条问答，0 个段落');
    await row.getByRole('button', { name: '删除' }).click();
    // It said only '它的段落和问答会一起删除': not how much of the KB was about to go.
    expect(await page.getByRole('dialog').textContent()).toContain(
      '确定删除“returns.csv”吗？它的 2 条问答和 0 个段落会一起删除。',
    );
    await page.getByRole('dialog').getByRole('button', { name: '确认删除' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: '已删除文档“returns.csv”' }).count()).toBe(1);
    await poll(() => row.count()).toBe(0);
    await page.context().close();
  });

  it('goes back a page when the last entry of the last page is deleted, instead of an empty page', async () => {
    const count = async () => (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body.length as number;
    // 21 entries: the second page of 20 holds one.
    const extra = 21 - (await count());
    const rows = Array.from({ length: extra }, (_, i) => `第${i + 1}个补充问题是什么？,补充答案${i + 1}。`);
    await uploadAndWait(t.api, kbId, [
      { name: 'more.csv', content: `问题,答案\n${rows.join('\n')}\n`, type: 'text/csv' },
    ]);
    expect(await count()).toBe(21);
    const page = await openKb('faqs');
    const table = page.getByTestId('faq-table');
    await poll(() => table.getByRole('row').count()).toBe(21); // the header and 20 entries
    await page.getByRole('button', { name: '2', exact: true }).click();
    await poll(() => table.getByRole('row').count()).toBe(2);
    await table.getByRole('row').nth(1).getByRole('button', { name: '删除' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认删除' }).click();
    // It stayed on page 2: an empty table over '第 20–20 条，共 20 条'.
    await poll(() => page.getByText('第 1–20 条，共 20 条').count()).toBe(1);
    expect(await table.getByRole('row').count()).toBe(21);
    await page.context().close();
  });

  it('shows a viewer an entry to read, not a form to edit, and an empty list without a button to look for', async () => {
    const viewer = await t.userWithRole('viewer');
    const emptyKb = await createKb(t.api, '新知识库', 'zh');
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${origin}/admin/kbs/${emptyKb}/faqs`);
    await signIn(page, { who: { email: viewer.email, password: 'test-user-password' } });
    // It said 可以新建，或上传 CSV/XLSX 批量导入 beside no button: a viewer has neither.
    await poll(() => page.getByText(/^还没有问答。/).textContent()).toBe(
      '还没有问答。编辑者或所有者添加后会显示在这里。',
    );
    expect(await page.getByRole('button', { name: '新建问答' }).count()).toBe(0);

    await t.api
      .post(`/api/kbs/${kbId}/faqs`)
      .send({ question: '会员有什么权益？', answer: '会员享受95折和生日礼券。', alternates: ['会员福利'] })
      .expect(201);
    await page.goto(`${origin}/admin/kbs/${kbId}/faqs`);
    await page.getByPlaceholder('搜索问题、相似问法或答案').fill('会员有什么权益');
    await page.getByTestId('faq-table').getByText('会员有什么权益？').click();
    const drawer = page.getByRole('dialog');
    // Titled 编辑问答 with a greyed-out 保存 before, its text greyed out too (disabled fields).
    await poll(() => drawer.getByRole('heading', { name: '问答详情' }).count()).toBe(1);
    const answer = drawer.getByLabel('答案');
    expect(await answer.inputValue()).toBe('会员享受95折和生日礼券。');
    expect(await answer.isDisabled()).toBe(false);
    expect(await answer.isEditable()).toBe(false);
    expect(await drawer.getByLabel('相似问法').inputValue()).toBe('会员福利');
    expect(await drawer.getByRole('button', { name: '保存' }).count()).toBe(0);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(IMAGES, 'admin-faq-viewer.png') });
    // The drawer covers the language switch.
    await page.keyboard.press('Escape');
    await poll(() => drawer.count()).toBe(0);
    await page.getByText('English', { exact: true }).click();
    await page.getByTestId('faq-table').getByText('会员有什么权益？').click();
    await poll(() => drawer.getByRole('heading', { name: 'FAQ details' }).count()).toBe(1);
    expect(await drawer.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(IMAGES, 'admin-faq-viewer-en.png') });
    await context.close();
  });

  it('says a KB deleted from its settings was deleted, as the list does', async () => {
    const page = await openKb('settings');
    await page.getByRole('button', { name: '删除知识库' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认删除' }).click();
    // The console went to the list without a word (the list's own delete says it).
    await poll(() => page.getByRole('status').filter({ hasText: '已删除知识库“售后客服”' }).count()).toBe(1);
    await poll(() => page.url()).toMatch(/\/admin\/kbs$/);
    await t.api.get(`/api/kbs/${kbId}`).expect(404);
    await page.context().close();
  });
});
