/**
 * The admin console in a real browser (Debian's chromium through playwright-core) against the real
 * API and PostgreSQL: create a KB, upload a CSV FAQ and a DOCX policy and watch both progress bars
 * finish, edit an FAQ and see the test console's answer change, see the answer span highlighted,
 * turn a group of unanswered questions into an FAQ entry and get it answered. Screenshots go to
 * docs/images/admin-*.png (1280 px, one at tablet width, one in English).
 */
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/src/config/app-config';
import { connectChat, type ChatClient } from '../../api/test/support/chat-client';
import { docxDocument, RETURN_POLICY } from '../../api/test/support/fixtures';
import { createKb, uploadAndWait, type TestApp } from '../../api/test/support/test-app';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { closeNotices } from './notices';
import { newConsoleContext, openConsole, signIn } from './sign-in';

/** Waits for what the page shows: ingestion and answers take seconds on a busy two-core machine. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');
const FAQ_CSV = [
  '问题,答案,相似问题',
  '运费怎么算？,满99元包邮。,邮费多少|运费多少钱',
  '怎么修改收货地址？,在订单详情页点击“修改地址”。,',
  '支持哪些支付方式？,支持微信支付、支付宝和银行卡。,怎么付款',
  '积分怎么用？,积分可在结算时抵扣现金，100积分抵1元。,',
].join('\n');

/** Screenshot once no toast is left over the page (they close by themselves). */
async function shot(page: Page, name: string, height?: number) {
  await closeNotices(page);
  const size = page.viewportSize()!;
  if (height) await page.setViewportSize({ width: size.width, height });
  await page.screenshot({ path: join(IMAGES, name) });
  if (height) await page.setViewportSize(size);
}

/** Asks in the test console and waits for this question's answer card. */
async function ask(page: Page, question: string) {
  await page.getByLabel('问题', { exact: true }).fill(question);
  const answered = page.waitForResponse((r) => r.url().endsWith('/ask') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '提问', exact: true }).click();
  expect((await answered).status()).toBe(200);
  const card = page.getByTestId('answer');
  await poll(() => card.count()).toBe(1);
  return card;
}

describe('admin console in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let kbId: string;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({
      demo: true,
      adminDir,
      chat: loadConfig({ WENDAO_CHAT_HANDOFF_AFTER_FALLBACKS: '0' }).chat,
    }));
    ({ t, browser, origin } = app);
  });

  afterAll(async () => {
    for (const c of clients) c.socket.close();
    await app?.close();
  });

  it('signs in, creates a KB, uploads a CSV FAQ and a DOCX policy, edits an FAQ, answers from both, turns unanswered questions into an FAQ', async () => {
    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing the console loads is missing (the browser asked for /favicon.ico on every page once:
    // the browser's own requests show only as console errors, not as the page's responses).
    const missing: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && m.text().includes('status of 404')) missing.push(m.location().url);
    });

    // Knowledge bases: the demo KB is listed with its counts; create one.
    await page.goto(`${origin}/admin`);
    await signIn(page, { wrongFirst: true });
    await poll(() => page.getByTestId('kb-table').getByRole('link').allTextContents()).toEqual([
      '演示商城 Demo Shop',
    ]);
    await page.getByRole('button', { name: '新建知识库' }).click();
    await page.getByRole('dialog').getByLabel('名称').fill('售后客服');
    await page.getByRole('dialog').getByRole('button', { name: '创建' }).click();
    await page.waitForURL(/\/admin\/kbs\/[0-9a-f-]{36}\/upload$/);
    kbId = /kbs\/([0-9a-f-]{36})/.exec(page.url())![1];

    // Upload: two files dropped at once, a progress bar each, both finish; the counts refresh.
    await page
      .getByTestId('dropzone')
      .locator('input[type=file]')
      .setInputFiles([
        { name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from(FAQ_CSV) },
        {
          name: 'after-sales-policy.docx',
          mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          buffer: await docxDocument('售后服务政策', [RETURN_POLICY, '换货政策：签收后15天内可以申请换货。']),
        },
      ]);
    const rows = page.getByTestId('upload-row');
    await poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual([
      'added',
      'added',
    ]);
    for (const name of ['faq.csv', 'after-sales-policy.docx'])
      expect(await page.getByRole('progressbar', { name }).getAttribute('aria-valuenow')).toBe('100');
    await poll(() => page.getByTestId('kb-count-faqs').textContent()).toBe('4 条问答');
    await poll(() => page.getByTestId('kb-count-documents').textContent()).toBe('2 个文档');
    // The same file again is reported as a duplicate, not ingested twice.
    await page
      .getByTestId('dropzone')
      .locator('input[type=file]')
      .setInputFiles([{ name: 'faq-copy.csv', mimeType: 'text/csv', buffer: Buffer.from(FAQ_CSV) }]);
    await poll(() => rows.first().getAttribute('data-outcome')).toBe('duplicate');
    // Refused uploads (an empty file, a type it does not read) and a failed job say why in Chinese,
    // from the code and values the API sends beside its English message.
    await page
      .getByTestId('dropzone')
      .locator('input[type=file]')
      .setInputFiles([
        { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) },
        { name: 'faq.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') },
        { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('问题,答案\n退货多久？,"七天内\n') },
      ]);
    const reason = (file: string) =>
      page.locator(`[data-testid=upload-row][data-file="${file}"]`).getByRole('alert').textContent();
    await poll(() => reason('empty.csv')).toBe('empty.csv 是空文件。');
    await poll(() => reason('faq.exe')).toBe(
      'faq.exe：不支持 .exe 文件，请上传 CSV、XLSX、JSON、Markdown、HTML、TXT、DOCX 或 PDF 文件。',
    );
    await poll(() => reason('broken.csv')).toBe(
      '无法读取 broken.csv：有引号没有闭合，直到第 2 行（文件末尾）也没有配对的引号。',
    );
    await shot(page, 'admin-upload.png', 1040);

    // Documents: the DOCX's passage with its offsets, and every upload's job.
    await page.getByRole('tab', { name: '文档' }).click();
    await page.getByTestId('document-table').getByText('after-sales-policy.docx').click();
    await poll(() => page.getByTestId('passages').textContent()).toContain('签收后7天内可申请无理由退货');
    // The refused uploads made no job; the failed one is listed with its reason in Chinese.
    expect(await page.getByTestId('job-table').getByRole('row').count()).toBe(5);
    expect(await page.getByTestId('job-table').textContent()).toContain(
      '无法读取 broken.csv：有引号没有闭合，直到第 2 行（文件末尾）也没有配对的引号。',
    );
    await shot(page, 'admin-documents.png', 1100);

    // Test console, then edit that FAQ's answer: the next question gets the new answer at once.
    await page.getByRole('tab', { name: '测试台' }).click();
    let answer = await ask(page, '邮费多少');
    expect(await answer.getByTestId('answer-path').textContent()).toBe('问答命中');
    // The part that answered, in the words the KB's header uses for what answers it.
    expect(await answer.getByTestId('answer-mode').textContent()).toBe('词法 FAQ 匹配');
    expect(await page.getByTestId('kb-mode').textContent()).toBe('词法 FAQ 匹配 · 词法阅读');
    // Why, in Chinese, from the answer's decision (the API's reason is English).
    expect(await answer.getByTestId('answer-reason').textContent()).toMatch(
      /^判断依据：最佳问答的匹配度 [\d.]+ ≥ 问答匹配阈值 [\d.]+，直接用该问答的答案回答$/,
    );
    expect(await answer.getByTestId('answer-text').textContent()).toBe('满99元包邮。');
    await page.getByRole('tab', { name: '问答管理' }).click();
    await page.getByTestId('faq-table').getByText('运费怎么算？').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('答案').fill('满99元包邮，不满99元运费8元。');
    await drawer.getByRole('button', { name: '保存' }).click();
    await poll(() => page.getByTestId('faq-table').getByText('不满99元运费8元').count()).toBe(1);
    // One word for alternate questions, in the list as in the editor.
    expect(await page.getByTestId('faq-table').getByRole('columnheader', { name: '相似问法' }).count()).toBe(
      1,
    );
    await shot(page, 'admin-faqs.png');
    // Export as Excel: a file download with the KB's entries.
    await page.getByRole('button', { name: '导出' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Excel (XLSX)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('售后客服-faqs.xlsx');
    // Import on the FAQ page: the same CSV again is recognised as a duplicate, and nothing is added.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '批量导入' }).click();
    await (
      await chooser
    ).setFiles([{ name: 'faq-again.csv', mimeType: 'text/csv', buffer: Buffer.from(FAQ_CSV) }]);
    await poll(() => page.locator('.mantine-Notification-root').textContent()).toContain(
      '该文件内容已存在于文档 faq.csv',
    );
    expect(await page.getByTestId('kb-count-faqs').textContent()).toBe('4 条问答');
    await page.getByRole('tab', { name: '测试台' }).click();
    answer = await ask(page, '邮费多少');
    expect(await answer.getByTestId('answer-text').textContent()).toBe('满99元包邮，不满99元运费8元。');

    // An answer read out of the DOCX: its span is highlighted inside the passage.
    answer = await ask(page, '退货期限是多久？');
    expect(await answer.getByTestId('answer-path').textContent()).toBe('文档抽取');
    expect(await answer.getByTestId('answer-mode').textContent()).toBe('词法阅读');
    expect(await answer.getByTestId('answer-span').textContent()).toBe('7天内');
    expect(await answer.getByTestId('source-text').textContent()).toContain('签收后7天内可申请无理由退货');
    expect(await answer.getByTestId('answer-reason').textContent()).toMatch(
      /^判断依据：没有问答达到问答匹配阈值 [\d.]+（最高 [\d.]+），阅读器抽取到答案（置信度 [\d.]+ ≥ 抽取答案阈值 [\d.]+）$/,
    );
    await shot(page, 'admin-test-console.png', 1100);

    // Questions the KB cannot answer, asked three ways by customers (over REST: the test console's
    // own asks are trials, not logged), plus a chat session: they show up grouped in the unanswered inbox.
    for (const question of ['可以开发票吗？', '能开发票吗', '开发票吗？']) {
      const asked = await t.api.post(`/api/kbs/${kbId}/ask`).send({ question }).expect(200);
      expect(asked.body.type).toBe('fallback');
    }
    const key = (await t.api.post(`/api/kbs/${kbId}/widget-keys`).send({}).expect(201)).body.key;
    const customer = await connectChat(origin, { key });
    clients.push(customer);
    await customer.send('session:start', {});
    for (const [i, text] of ['运费怎么算？', '可以用优惠券吗？'].entries()) {
      const ack = await customer.send('message', { clientId: `m-${i}`, text });
      await customer.waitFor('bot:message', (m) => m.seq === ack.seq + 1);
    }
    await page.getByRole('tab', { name: '未解答问题' }).click();
    const group = page.getByTestId('unanswered-group').first();
    await poll(() => group.textContent()).toContain('3 次');
    await shot(page, 'admin-unanswered.png');
    await group.getByRole('button', { name: '转为问答' }).click();
    const form = page.getByRole('dialog');
    expect((await form.getByLabel('相似问法').inputValue()).split('\n')).toHaveLength(2);
    await form.getByLabel('答案').fill('可以，下单时填写发票抬头，发货后电子发票发到邮箱。');
    await form.getByRole('button', { name: '保存' }).click();
    await poll(() => page.getByTestId('unanswered-group').allTextContents()).not.toContainEqual(
      expect.stringContaining('发票'),
    );
    await page.getByRole('tab', { name: '测试台' }).click();
    answer = await ask(page, '能开发票吗');
    expect(await answer.getByTestId('answer-path').textContent()).toBe('问答命中');
    expect(await answer.getByTestId('answer-text').textContent()).toContain('电子发票发到邮箱');

    // Conversations: the chat session with its fallback.
    await page.getByRole('tab', { name: '会话记录' }).click();
    await page.getByTestId('conversation-table').getByText('运费怎么算？').click();
    await poll(() => page.getByTestId('transcript').textContent()).toContain('可以用优惠券吗？');
    // Each bot reply says why it was given, in the console's language, and the answered one its intent.
    const why = await page.getByTestId('message-decision').allTextContents();
    expect(why).toHaveLength(2);
    for (const line of why) expect(line).toMatch(/^判断依据：\S/);
    expect(await page.getByTestId('message-intent').first().textContent()).toMatch(/^意图：\S/);
    await shot(page, 'admin-conversations.png');
    await page.keyboard.press('Escape');

    // Settings: the thresholds in force and where they come from.
    await page.getByRole('tab', { name: '设置' }).click();
    await poll(() => page.getByTestId('thresholds').textContent()).toMatch(/问答匹配/);
    await shot(page, 'admin-settings.png');
    // Every optional setting shows its default; a value out of range is refused with its range and
    // kept as typed (never clamped), and nothing is saved.
    const placeholders = await Promise.all(
      ['目标准确率', '段落目标长度', '段落最大长度', '重叠句数', '兜底回复'].map((label) =>
        page.getByLabel(label).getAttribute('placeholder'),
      ),
    );
    expect(placeholders).toEqual([
      '0.9',
      '300',
      '480',
      '1',
      // Empty, the bot says one of two replies: the first only when it has questions to suggest.
      '有推荐问题时：抱歉，没有找到相关答案。您是不是想问下面的问题？也可以转人工客服。\n' +
        '没有推荐问题时：抱歉，没有找到相关答案。您可以换个说法再问，或转人工客服。',
    ]);
    const patches: string[] = [];
    page.on('request', (r) => r.method() === 'PATCH' && patches.push(r.url()));
    const saveSettings = () => page.getByRole('button', { name: '保存' }).click();
    await page.getByLabel('目标准确率').fill('0.3');
    await page.getByLabel('问答匹配阈值').fill('1.5');
    await page.getByLabel('段落目标长度').fill('500');
    await page.getByLabel('段落最大长度').fill('100');
    await saveSettings();
    await poll(() => page.getByText('须在 0.5 到 0.99 之间').count()).toBe(1);
    expect(await page.getByText('须在 0 到 1 之间').count()).toBe(1);
    expect(await page.getByText('不能大于最大长度（100）').count()).toBe(1);
    expect(await page.getByLabel('目标准确率').inputValue()).toBe('0.3');
    expect(await page.getByLabel('问答匹配阈值').inputValue()).toBe('1.5');
    expect(patches).toEqual([]);
    await shot(page, 'admin-settings-invalid.png');
    // Corrected and saved; then emptied and saved: back to the defaults.
    const settings = async () => (await t.api.get(`/api/kbs/${kbId}`).expect(200)).body;
    await page.getByLabel('目标准确率').fill('0.8');
    await page.getByLabel('问答匹配阈值').fill('');
    await page.getByLabel('段落目标长度').fill('');
    await page.getByLabel('段落最大长度').fill('');
    await page.getByLabel('兜底回复').fill('请稍后再问，或转人工客服。');
    await saveSettings();
    await poll(async () => (await settings()).settings).toEqual({
      targetPrecision: 0.8,
      fallbackMessage: '请稍后再问，或转人工客服。',
    });
    expect(await page.getByText('须在', { exact: false }).count()).toBe(0);
    await page.getByLabel('目标准确率').fill('');
    await page.getByLabel('兜底回复').fill('');
    await saveSettings();
    await poll(async () => (await settings()).settings).toEqual({});
    expect((await settings()).faqThreshold).toBeNull();
    // The KB's content is Chinese: set to English (its models are chosen by language), it says so.
    expect(await page.getByTestId('language-mismatch').count()).toBe(0);
    const chooseLanguage = async (label: string) => {
      await page.getByRole('textbox', { name: '语言' }).click();
      await page.getByRole('option', { name: label }).click();
      await page.getByRole('button', { name: '保存' }).click();
    };
    await chooseLanguage('英文');
    await poll(() => page.getByTestId('language-mismatch').textContent()).toContain(
      '内容看起来是中文，而知识库语言设为英文',
    );
    await shot(page, 'admin-settings-language.png');
    await chooseLanguage('中文');
    await poll(() => page.getByTestId('language-mismatch').count()).toBe(0);
    // The demo KB (44 entries) says what its calibration chose, in Chinese.
    await page.goto(`${origin}/admin/kbs`);
    await page.getByRole('link', { name: '演示商城 Demo Shop' }).click();
    await page.getByRole('tab', { name: '设置' }).click();
    await poll(() => page.getByTestId('calibration').textContent()).toMatch(
      /^已按目标准确率 0\.90 自动校准：.*选出问答匹配阈值 0\.\d+ 和澄清间距 0\.\d+，.*本库没有的同类问题.*有 [\d.]+% 仍会得到回答或澄清。$/,
    );
    await shot(page, 'admin-settings-calibrated.png');
    expect(errors).toEqual([]);
    expect(missing).toEqual([]);
    await context.close();
    // One long scenario: 48-58 s measured on the shared 2-core machine under load (vitest's default is 60 s).
  }, 120_000);

  it('fits a tablet and speaks English', async () => {
    const { context: tablet, page } = await openConsole(browser, `${origin}/admin/kbs/${kbId}/faqs`, {
      viewport: { width: 820, height: 1000 },
    });
    await poll(() => page.getByTestId('faq-table').getByRole('row').count()).toBe(6);
    // Nothing wider than the screen: no sideways scrolling of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await shot(page, 'admin-faqs-tablet.png');
    await tablet.close();

    const { context, page: english } = await openConsole(browser, `${origin}/admin/kbs`, { locale: 'en-US' });
    await poll(() => english.getByRole('heading', { level: 2 }).textContent()).toBe('Knowledge bases');
    await poll(() => english.getByTestId('kb-table').getByRole('link').count()).toBe(2);
    expect(await english.getByTestId('kb-mode').allTextContents()).toEqual([
      'Lexical FAQ matching · Lexical reader',
      'Lexical FAQ matching · Lexical reader',
    ]);
    await shot(english, 'admin-kbs-en.png');
    await english.getByRole('link', { name: '售后客服' }).click();
    await english.getByRole('tab', { name: 'Test console' }).click();
    await english.getByLabel('Question', { exact: true }).fill('退货期限是多久？');
    await english.getByRole('button', { name: 'Ask', exact: true }).click();
    await poll(() => english.getByTestId('answer').count()).toBe(1);
    expect(await english.getByText('Timings per stage').count()).toBe(1);
    // Labels in sentence case, like every other label.
    const stages = await english.getByTestId('timings').locator('tr td:first-child').allTextContents();
    expect(stages).toContain('Cache');
    for (const stage of stages) expect(stage).toMatch(/^[A-Z]/);
    expect(await english.getByTestId('answer-reason').textContent()).toMatch(
      /^Why: No FAQ reached the FAQ match threshold [\d.]+ \(best [\d.]+\); the reader extracted an answer/,
    );
    await shot(english, 'admin-test-console-en.png', 1100);
    // The demo KB (44 entries) is calibrated: its settings say which FAQ threshold and margin were
    // chosen, and how many questions it does not cover would still not fall back.
    await english.goto(`${origin}/admin/kbs`);
    await english.getByRole('link', { name: '演示商城 Demo Shop' }).click();
    await english.getByRole('tab', { name: 'Settings' }).click();
    await poll(() => english.getByTestId('calibration').textContent()).toMatch(
      /^Calibrated for a target precision of 0\.90 on \d+ .*FAQ threshold 0\.\d+, clarify margin 0\.\d+, .* Of the questions on this topic that the KB does not cover .*, [\d.]+% would still be answered or clarified\.$/,
    );
    expect(
      await english.getByTestId('thresholds').locator('tbody tr td:first-child').allTextContents(),
    ).toEqual(['FAQ match', 'Extracted answer', 'Clarify floor', 'Clarify margin']);
    await shot(english, 'admin-settings-calibrated-en.png');

    // Documents in English: one FAQ and one passage said in the singular, Markdown written as a
    // name, dates with the month named (the date pickers may put the month or the day first).
    const docsKb = await createKb(t.api, 'Returns (EN)', 'en');
    await uploadAndWait(t.api, docsKb, [
      {
        name: 'returns.md',
        content: '# Returns\n\nYou can return an item within 30 days of delivery.\n',
        type: 'text/markdown',
      },
      { name: 'shipping.csv', content: 'question,answer\nDo you ship abroad?,We ship to 30 countries.\n' },
    ]);
    await english.goto(`${origin}/admin/kbs/${docsKb}/documents`);
    const documents = english.getByTestId('document-table');
    await poll(() => documents.getByRole('row').count()).toBe(3);
    const cells = (name: string) =>
      documents.getByRole('row').filter({ hasText: name }).getByRole('cell').allTextContents();
    const [, mdType, mdStatus, , mdUploaded] = await cells('returns.md');
    const [, csvType, csvStatus] = await cells('shipping.csv');
    expect([mdType, csvType]).toEqual(['Markdown', 'CSV']);
    expect(mdStatus).toMatch(/0 FAQs, 1 passage$/);
    expect(csvStatus).toMatch(/1 FAQ, 0 passages$/);
    expect(mdUploaded).toMatch(
      /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}$/,
    );
    await shot(english, 'admin-documents-en.png');
    await context.close();
  });

  it('serves a handoff in the agent console: messages left before it opened, take the waiting session, reply, hear the customer, hand back, mark a left message handled', async () => {
    // Customers ask for a human while no agent console is open, and leave messages.
    const key = (await t.api.post(`/api/kbs/${kbId}/widget-keys`).send({}).expect(201)).body.key;
    const leaveMessage = async (clientId: string, text: string) => {
      const c = await connectChat(origin, { key });
      clients.push(c);
      const ready = await c.send('session:start', {});
      const asked = await c.send('handoff:request', { clientId: `${clientId}-h` });
      expect((await c.waitFor('bot:message', (m) => m.seq === asked.seq + 1)).text).toContain(
        '没有人工客服在线',
      );
      const left = await c.send('message', { clientId, text });
      expect((await c.waitFor('bot:message', (m) => m.seq === left.seq + 1)).kind).toBe('message_left');
      return ready.sessionId as string;
    };
    await leaveMessage('l-1', '发票抬头开错了，请联系我 13800000000');
    await leaveMessage('l-2', '退款一周了还没到账，订单 20261201001，邮箱 wang.fang@example.com');

    const { context, page } = await openConsole(browser, `${origin}/admin/agent`);
    await poll(() => page.getByTestId('agent-status').textContent()).toBe('在线');
    // The console opened after they were left: both are in its inbox, newest first, with their contacts.
    const leftMessages = page.getByTestId('left-message');
    await poll(() => leftMessages.count()).toBe(2);
    expect(await leftMessages.first().textContent()).toContain('退款一周了还没到账');
    const invoice = leftMessages.filter({ hasText: '发票抬头开错了' });
    expect(await invoice.getByTestId('left-contact').textContent()).toBe('电话13800000000');
    expect(await invoice.textContent()).toContain('售后客服');
    expect(await leftMessages.first().getByTestId('left-contact').textContent()).toBe(
      '邮箱wang.fang@example.com',
    );
    expect(await page.getByTestId('left-count').textContent()).toBe('2 条待处理');

    const customer = await connectChat(origin, { key });
    clients.push(customer);
    await customer.send('session:start', {});
    const ack = await customer.send('message', { clientId: 'h-0', text: '我的快递三天没动了' });
    await customer.waitFor('bot:message', (m) => m.seq === ack.seq + 1);
    await customer.send('handoff:request', { clientId: 'h-1' });
    const queued = page.getByTestId('queued-session');
    await poll(() => queued.count()).toBe(1);
    await queued.getByRole('button', { name: '接入' }).click();
    const session = page.getByTestId('agent-session');
    await poll(() => session.getByTestId('agent-messages').textContent()).toContain('我的快递三天没动了');
    expect(await queued.count()).toBe(0);

    await session.getByLabel('回复顾客').fill('您好，我帮您查一下物流。');
    await session.getByRole('button', { name: '发送' }).click();
    expect((await customer.waitFor('agent:message')).text).toBe('您好，我帮您查一下物流。');
    await customer.send('message', { clientId: 'h-2', text: '好的，谢谢' });
    await poll(() => session.getByTestId('agent-messages').textContent()).toContain('好的，谢谢');
    await shot(page, 'admin-agent.png');

    // A reload (or a dropped connection) strands nobody: the session is still this agent's, with its
    // history, and the customer's next message and the agent's reply still go through.
    await page.reload();
    await poll(() => page.getByTestId('agent-status').textContent()).toBe('在线');
    await poll(() => session.count()).toBe(1);
    expect(await session.getByTestId('agent-messages').textContent()).toContain('您好，我帮您查一下物流。');
    await customer.send('message', { clientId: 'h-3', text: '大概什么时候能到？' });
    await poll(() => session.getByTestId('agent-messages').textContent()).toContain('大概什么时候能到？');
    await session.getByLabel('回复顾客').fill('预计明天送达。');
    await session.getByRole('button', { name: '发送' }).click();
    expect((await customer.waitFor('agent:message', (m) => m.text === '预计明天送达。')).role).toBe('agent');

    await session.getByRole('button', { name: '交还机器人' }).click();
    expect(await customer.waitFor('bot:message', (m) => m.event === 'handed_back')).toMatchObject({
      role: 'bot',
    });
    await poll(() => session.count()).toBe(0);

    // A customer who stops waiting leaves the queue with a word why.
    const impatient = await connectChat(origin, { key });
    clients.push(impatient);
    await impatient.send('session:start', {});
    const asked = await impatient.send('message', { clientId: 'c-0', text: '我要改收货地址' });
    await impatient.waitFor('bot:message', (m) => m.seq === asked.seq + 1);
    await impatient.send('handoff:request', { clientId: 'c-1' });
    await poll(() => queued.count()).toBe(1);
    await impatient.send('handoff:cancel', {});
    await poll(() => queued.count()).toBe(0);
    const notice = page.locator('.mantine-Notification-root', { hasText: '顾客取消了等待' });
    await poll(() => notice.count()).toBe(1);

    // Handled: it leaves the inbox, and stays handled when the console opens again.
    await invoice.getByRole('button', { name: '标记已处理' }).click();
    await poll(() => leftMessages.count()).toBe(1);
    expect(await page.getByTestId('left-count').textContent()).toBe('1 条待处理');
    const listed = page.waitForResponse((r) => r.url().includes('/api/agent/left-messages'));
    await page.reload();
    expect((await listed).status()).toBe(200);
    await poll(() => page.getByTestId('agent-status').textContent()).toBe('在线');
    await poll(() => leftMessages.count()).toBe(1);
    expect(await leftMessages.textContent()).toContain('退款一周了还没到账');
    await page.getByRole('switch', { name: '显示已处理' }).check();
    await poll(() => leftMessages.count()).toBe(2);
    expect(await invoice.getByTestId('left-handled').textContent()).toMatch(/已处理 · /);
    // Its conversation, in the transcripts: the message is labelled as left, and handled.
    await invoice.getByRole('link', { name: '查看会话' }).click();
    const label = page.getByTestId('transcript').getByTestId('left-message-label');
    await poll(() => label.textContent()).toMatch(/^留言 · .+ 已处理$/);
    await context.close();

    // In English: the waiting message, and (shown on request) the handled one.
    const { context: en, page: english } = await openConsole(browser, `${origin}/admin/agent`, {
      locale: 'en-US',
    });
    await poll(() => english.getByTestId('agent-status').textContent()).toBe('online');
    const leftEn = english.getByTestId('left-message');
    await poll(() => leftEn.count()).toBe(1);
    expect(await english.getByTestId('left-count').textContent()).toBe('1 waiting');
    await english.getByRole('switch', { name: 'Show handled' }).check();
    await poll(() => leftEn.count()).toBe(2);
    expect(await leftEn.last().getByTestId('left-handled').textContent()).toMatch(/^handled by .+ · /);
    await shot(english, 'admin-agent-en.png');
    await leftEn.last().getByRole('link', { name: 'View conversation' }).click();
    await poll(() =>
      english.getByTestId('transcript').getByTestId('left-message-label').textContent(),
    ).toMatch(/^Left message · handled by .+$/);
    await en.close();
  });

  it('shows markup in FAQ text literally and never runs it (FAQ list, test console)', async () => {
    const payload = '<img src=x onerror="window.__pwned=1">退款<script>window.__pwned=2</script>';
    const markupKb = await createKb(t.api, '标记测试', 'zh');
    await t.api
      .post(`/api/kbs/${markupKb}/faqs`)
      .send({ question: '<b>退款</b>多久到账？', answer: payload, alternates: [] })
      .expect(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${origin}/admin/kbs/${markupKb}/faqs`);
    await signIn(page);
    const table = page.getByTestId('faq-table');
    await poll(() => table.textContent()).toContain('<b>退款</b>多久到账？');
    expect(await table.textContent()).toContain('<img src=x onerror=');
    await page.getByRole('tab', { name: '测试台' }).click();
    const card = await ask(page, '<b>退款</b>多久到账？');
    await poll(() => card.textContent()).toContain('<script>window.__pwned=2</script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await context.close();
  });

  it("says a job's warnings in the console's language: skipped rows, a repeated question, a GBK file, a JSON item, a question without an answer", async () => {
    const warningsKb = await createKb(t.api, '导入提示', 'zh');
    const { context, page } = await openConsole(browser, `${origin}/admin/kbs/${warningsKb}/upload`);
    // Saved by Excel on Chinese Windows (GBK): "问题,答案 / 发票怎么开？,在订单详情页申请电子发票。 /
    // 运费谁出？,(no answer) / 发票怎么开？,下单时填写发票抬头。"
    const gbkCsv = Buffer.from(
      'cecacce22cb4f0b0b80ab7a2c6b1d4f5c3b4bfaaa3bf2cd4dab6a9b5a5cfeac7e9d2b3c9eac7ebb5e7d7d3b7a2c6b1a1a30a' +
        'd4cbb7d1cbadb3f6a3bf2c0ab7a2c6b1d4f5c3b4bfaaa3bf2ccfc2b5a5cab1cceed0b4b7a2c6b1cca7cdb7a1a30a',
      'hex',
    );
    const json = JSON.stringify([
      { question: '支持货到付款吗？', answer: '暂不支持货到付款。' },
      { question: '可以开专票吗？' },
    ]);
    await page
      .getByTestId('dropzone')
      .locator('input[type=file]')
      .setInputFiles([
        { name: '发票.csv', mimeType: 'text/csv', buffer: gbkCsv },
        { name: '付款.json', mimeType: 'application/json', buffer: Buffer.from(json) },
        {
          name: '说明.md',
          mimeType: 'text/markdown',
          buffer: Buffer.from('# 售后说明\n\nQ: 这个问题还没有答案？\n\n退货请先联系客服。\n'),
        },
      ]);
    const warnings = (file: string) =>
      page
        .locator(`[data-testid=upload-row][data-file="${file}"]`)
        .getByTestId('upload-warning')
        .allTextContents();
    await poll(() => warnings('发票.csv')).toEqual([
      '发票.csv 不是 UTF-8 编码，已按 GBK/GB18030 中文读取。建议另存为 UTF-8 后再上传，以免乱码。',
      '第 3 行：答案为空，已跳过。',
      '第 4 行：问题“发票怎么开？”与第 2 行重复，已跳过。',
    ]);
    await poll(() => warnings('付款.json')).toEqual(['第 2 项缺少 "answer" 或为空，已跳过。']);
    await poll(() => warnings('说明.md')).toEqual(['没有答案的问题已作为正文保留：“这个问题还没有答案？”']);
    expect(
      await page
        .getByTestId('upload-row')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome'))),
    ).toEqual(['added', 'added', 'added']);
    await shot(page, 'admin-upload-warnings.png');

    // The same jobs in the English console: the sentences change language, the rows and values stay.
    await page.locator('label', { hasText: 'English' }).click();
    await poll(() => warnings('发票.csv')).toEqual([
      '发票.csv is not UTF-8; it was read as GBK/GB18030 Chinese text. Save it as UTF-8 to be sure.',
      'Row 3: empty answer, skipped.',
      'Row 4: question "发票怎么开？" repeats Row 2, skipped.',
    ]);
    expect(await warnings('付款.json')).toEqual(['Item 2: empty or missing "answer", skipped.']);
    await shot(page, 'admin-upload-warnings-en.png');

    // The Documents tab's upload list keeps them once the Upload tab is left, folded past two lines.
    await page.getByRole('tab', { name: 'Documents' }).click();
    const csvJob = page.getByTestId('job-table').locator('tbody tr', { hasText: '发票.csv' });
    await poll(() => csvJob.getByTestId('job-warning').allTextContents()).toEqual([
      '发票.csv is not UTF-8; it was read as GBK/GB18030 Chinese text. Save it as UTF-8 to be sure.',
      'Row 3: empty answer, skipped.',
      'Row 4: question "发票怎么开？" repeats Row 2, skipped.',
    ]);
    await csvJob.getByRole('button', { name: 'All 3 warnings' }).click();
    await poll(() => csvJob.getByRole('button', { name: 'Show fewer' }).count()).toBe(1);
    await csvJob.scrollIntoViewIfNeeded();
    await shot(page, 'admin-documents-warnings-en.png');
    await context.close();
    await t.api.delete(`/api/kbs/${warningsKb}`).expect(204);
  });
});
