/**
 * The intents page in a real browser (Debian's chromium through playwright-core) against the real API
 * and PostgreSQL: import a CSV of intent,example rows, watch the classifier train, try sentences,
 * create an intent, add and remove examples, rename and delete; a viewer reads and tries but sees no
 * way to change anything. The classifier is trained again on logged questions spread like the examples
 * (zh), and weighed by logged questions mostly about one intent (en). Each intent's questions over the
 * last 30 days (the browser's) are the analytics API's, and link to the dashboard. Screenshots go
 * to docs/images/admin-intents-zh.png and -en.png.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KbIntentClassifierService } from '../../api/src/intents/kb-intent-classifier.service';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, type TestApp } from '../../api/test/support/test-app';
import { closeNotices } from './notices';
import { EN_LABELS, signIn } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');
const CSV = [
  'intent,example',
  ...[
    ['refund', ['我要退款', '怎么申请退款', '退款多久到账', '可以退款吗', '退款进度怎么查', '退款失败了']],
    ['shipping', ['什么时候发货', '发货了吗', '几天能发货', '快递发货时间', '还没发货', '发货要多久']],
    ['invoice', ['怎么开发票', '电子发票在哪', '发票抬头写错了', '补开发票', '发票什么时候给', '能开专票吗']],
    ['password', ['忘记密码', '重置密码', '修改密码', '密码错误', '找回密码', '密码怎么改']],
    ['coupon', ['优惠券怎么用', '领优惠券', '优惠券过期了', '优惠券不能用', '有优惠券吗', '优惠券在哪']],
  ].flatMap(([intent, texts]) => (texts as string[]).map((text) => `${intent as string},${text}`)),
].join('\n');

/** The questions column of each row, by intent name. */
async function questionCounts(page: Page): Promise<Record<string, string>> {
  const rows = page.getByTestId('intent-table').locator('tbody tr');
  const counts: Record<string, string> = {};
  for (const row of await rows.all())
    counts[(await row.locator('td').first().innerText()).split('\n')[0]] =
      (await row.getByTestId('intent-questions').textContent()) ?? '';
  return counts;
}

async function shot(page: Page, name: string) {
  await closeNotices(page);
  // The classify button's label fades back in after its loader: never photograph it half-way.
  await poll(() => page.locator('button[data-loading]').count()).toBe(0);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(IMAGES, name) });
}

/** Classifies a sentence in the "try" box and returns the result line's text. */
async function trySentence(page: Page, text: string, labels = { input: '输入一句话', button: '识别' }) {
  // A toast (top right) may cover the button.
  await closeNotices(page);
  await page.getByLabel(labels.input).fill(text);
  const answered = page.waitForResponse((r) => r.url().endsWith('/intents/classify'));
  await page.getByRole('button', { name: labels.button, exact: true }).click();
  expect((await answered).status()).toBe(200);
  return page.getByTestId('intent-result');
}

describe('intents page in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let kbId: string;
  let csvPath: string;

  beforeAll(async () => {
    // The traffic's intent mix is estimated again at every labelling, not hourly.
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({
      adminDir,
      intentTraining: {
        timeoutMs: 1_800_000,
        maxHeapMb: 1024,
        trafficQuestions: 2000,
        trafficRefreshMs: 0,
        selfTraining: true,
      },
    }));
    ({ t, browser, origin } = app);
    kbId = await createKb(t.api, '售后客服', 'zh');
    csvPath = join(app.bundleDir, 'intents.csv');
    writeFileSync(csvPath, CSV);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('imports a CSV, trains, classifies, creates, edits and deletes intents (owner, zh)', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/admin/kbs/${kbId}/intents`);
    await signIn(page, { timeout: 30_000 });
    await poll(() => page.getByText('还没有意图').count()).toBe(1);
    expect(await page.locator('.mantine-AppShell-navbar').getByRole('link').allTextContents()).toEqual([
      '知识库',
      '人工客服',
      '数据分析',
      '成员',
      'API 密钥',
      '审计日志',
    ]);
    await poll(() => page.getByTestId('intent-model-state').textContent()).toBe('未训练');
    const none = await trySentence(page, '我要退款');
    await poll(() => none.textContent()).toContain('还没有分类器');

    // A bad file: the server's row-numbered refusal is shown in the console's language, nothing imported.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '导入 CSV' }).click();
    await (
      await chooser
    ).setFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('intent,example\nrefund,\n'),
    });
    await poll(() => page.locator('.mantine-Notification-root').textContent()).toContain(
      'CSV 文件有 1 处问题，未导入任何内容：第 2 行：例句为空',
    );
    // An error stays until closed (it is read, then closed, as the admin would).
    await closeNotices(page);

    const chooser2 = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '导入 CSV' }).click();
    await (await chooser2).setFiles(csvPath);
    await poll(() => page.locator('.mantine-Notification-root').last().textContent()).toContain(
      '新建 5 个意图，添加 30 条例句',
    );
    // The same rows saved as GBK (Excel on Chinese Windows): read as Chinese (all duplicates here),
    // and the console says the file was guessed to be GBK.
    const chooser3 = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '导入 CSV' }).click();
    await (
      await chooser3
    ).setFiles({
      name: 'gbk.csv',
      mimeType: 'text/csv',
      // 'intent,example\nrefund,我要退款\nrefund,退款多久到账\nshipping,什么时候发货\n' in GBK.
      buffer: Buffer.from(
        '696e74656e742c6578616d706c650a726566756e642cced2d2aacdcbbfee0a726566756e642ccdcbbfeeb6e0bec3b5bdd5cb0a' +
          '7368697070696e672ccab2c3b4cab1baf2b7a2bbf50a',
        'hex',
      ),
    });
    await poll(() => page.locator('.mantine-Notification-root').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('新建 0 个意图，添加 0 条例句，跳过 3 条重复'),
        expect.stringContaining('gbk.csv 不是 UTF-8 编码，已按 GBK/GB18030 中文读取'),
      ]),
    );

    const table = page.getByTestId('intent-table');
    await poll(() => table.getByRole('row').count()).toBe(6);
    await poll(() => page.getByTestId('intent-model-state').textContent()).toBe('已训练');
    const model = page.getByTestId('intent-model');
    expect(await model.textContent()).toContain('5 个意图，30 条例句');
    expect(await model.textContent()).toMatch(/交叉验证准确率\d+\.\d%/);

    let result = await trySentence(page, '退款什么时候能到账');
    await poll(() => result.textContent()).toContain('refund');

    // A new intent with its first examples; the classifier retrains and learns it.
    await page.getByRole('button', { name: '新建意图' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('textbox', { name: '意图', exact: true }).fill('greeting');
    await drawer.getByLabel('说明').fill('打招呼');
    await drawer.getByLabel('例句（可选）').fill('你好\n在吗\n您好\n早上好\n有人吗');
    // The form says that the name and the description train the classifier too.
    expect(await drawer.textContent()).toContain('名称和说明也各算一句例句');
    await shot(page, 'admin-intent-new-zh.png');
    await drawer.getByRole('button', { name: '创建' }).click();
    await poll(() => table.getByRole('row').count()).toBe(7);
    await poll(() => model.textContent()).toContain('6 个意图，35 条例句');
    result = await trySentence(page, '你好，在吗');
    await poll(() => result.textContent()).toContain('greeting');

    // Edit refund: add one example, remove another, rename.
    await table.getByRole('row', { name: /refund/ }).click();
    await poll(() => drawer.getByTestId('intent-example-count').textContent()).toBe('6');
    await drawer.getByLabel('添加例句').fill('退款到哪里了\n我要退款');
    await drawer.getByRole('button', { name: '添加例句' }).click();
    await poll(() => drawer.getByTestId('intent-example-count').textContent()).toBe('7');
    await drawer.getByRole('button', { name: '移除 退款失败了' }).click();
    await poll(() => drawer.getByTestId('intent-example-count').textContent()).toBe('6');
    expect(await drawer.getByTestId('intent-examples').textContent()).not.toContain('退款失败了');
    await drawer.getByRole('textbox', { name: '意图', exact: true }).fill('refunds');
    await drawer.getByRole('button', { name: '保存' }).click();
    await poll(() => table.textContent()).toContain('refunds');
    await page.keyboard.press('Escape');
    await poll(() => drawer.count()).toBe(0);

    // Delete greeting, after the confirmation naming it.
    await table
      .getByRole('row', { name: /greeting/ })
      .getByRole('button', { name: '删除' })
      .click();
    expect(await page.getByRole('dialog').textContent()).toContain('确定删除意图“greeting”及其 5 条例句吗？');
    await page.getByRole('button', { name: '确认删除' }).click();
    await poll(() => table.getByRole('row').count()).toBe(6);
    await poll(() => model.textContent()).toContain('5 个意图，30 条例句');
    await poll(() => page.getByTestId('intent-model-state').textContent()).toBe('已训练');

    result = await trySentence(page, '退款什么时候能到账');
    await poll(() => result.textContent()).toContain('refunds');
    // No question logged yet: the classifier keeps the examples' mix, and says why (once the estimate
    // the labelling started has run).
    await t.wendao.app.get(KbIntentClassifierService).settled(kbId);
    await page.reload();
    await poll(() => page.getByTestId('intent-traffic').textContent()).toBe(
      '未加权：只记录了 0 条提问，至少需要 200 条',
    );
    expect(await page.getByTestId('intent-self-training').textContent()).toBe('未再训练：记录的提问还太少');
    // The classifier in force is the one trained on the examples: no figure needs a word on its origin.
    expect(await model.getByTestId(/^intent-(accuracy|recall|cut)-note$/).count()).toBe(0);

    // 225 distinct logged questions (223 that are not examples), as many of each intent as the
    // examples have: the mix is the examples', so the classifier is not weighed but trained again on
    // the questions it recognises.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    // Each labelled with its intent, as the recorder would (the traffic estimate reads the text only).
    const logged = (
      [
        ['refunds', ['退款多久到账', '怎么申请退款', '退款到账了吗']],
        ['shipping', ['我的订单发货了吗', '什么时候能发货', '下单后几天发货']],
        ['invoice', ['发票怎么开', '能开电子发票吗', '发票抬头怎么填']],
        ['password', ['忘了登录密码', '密码怎么重置', '登录密码不对']],
        ['coupon', ['优惠券怎么领', '优惠券用不了', '这张优惠券能用吗']],
      ] as const
    ).flatMap(([intent, asked]) =>
      ['', '请问', '你好，', '麻烦问一下', '我想问'].flatMap((before) =>
        asked.flatMap((question) =>
          ['', '？', '呀'].map((after) => ({ intent, question: `${before}${question}${after}` })),
        ),
      ),
    );
    await db.query(
      `INSERT INTO question_event (kb_id, channel, question, question_normalized, outcome, latency_ms, intent)
       SELECT $1, 'api', q, q, 'faq', 1, i FROM unnest($2::text[], $3::text[]) AS x(q, i)`,
      [kbId, logged.map((l) => l.question), logged.map((l) => l.intent)],
    );
    await db.end();
    const classifiers = t.wendao.app.get(KbIntentClassifierService);
    await t.api.post(`/api/kbs/${kbId}/intents/classify`).send({ text: '我要退款' }).expect(200);
    await classifiers.settled(kbId);
    await page.reload();
    await poll(() => page.getByTestId('intent-traffic').textContent()).toMatch(
      /^未加权：提问的意图比例与例句接近/,
    );
    expect(await page.getByTestId('intent-self-training').textContent()).toMatch(
      /^已再训练：用了能识别的 \d+ 条提问（共记录 223 条不同的提问）$/,
    );
    // The card says which classifier each figure is from: the accuracy and recall were cross-validated
    // on the examples alone, before the retraining; the cut in force is the retrained classifier's,
    // which on this 5-intent KB kept the examples-only one.
    // (allTextContents: the notes render with the line above, and a missing one fails at once.)
    expect(await model.getByTestId(/^intent-(accuracy|recall|cut)-note$/).allTextContents()).toEqual([
      '再训练前，仅用例句训练的模型',
      '再训练前，仅用例句训练的模型',
      '沿用仅用例句训练的模型的阈值',
    ]);
    // A plain refund question is still recognised after the retraining: on this 5-intent KB the cut is
    // kept (a cut chosen again over one held-out intent per fold had risen to 0.83 and dropped it).
    result = await trySentence(page, '退款什么时候能到账');
    await poll(() => result.textContent()).toContain('refunds');
    // 45 questions of each intent in the last 30 days, as the analytics API counts them.
    expect(await page.getByTestId('intent-table').locator('thead').innerText()).toContain('近 30 天提问');
    await poll(() => questionCounts(page)).toEqual({
      coupon: '45',
      invoice: '45',
      password: '45',
      refunds: '45',
      shipping: '45',
    });
    await shot(page, 'admin-intents-zh.png');
    expect(errors).toEqual([]);
    await context.close();
    // One long scenario (import, train, classify, edit, delete, screenshots): 39 s alone, past vitest's
    // 60 s default in a fresh-clone CI run at 94ee1f1 under load 9; the second test builds on its KB.
  }, 120_000);

  it('lets a viewer read and try, never change, and shows the classifier weighed by the traffic (en)', async () => {
    // 300 logged questions, most of them about refunds, in place of the first test's evenly spread
    // ones; a labelling starts a new estimate.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query(`DELETE FROM question_event WHERE kb_id = $1`, [kbId]);
    for (const [question, intent, n] of [
      ['退款到账了吗', 'refunds', 150],
      ['退款什么时候到', 'refunds', 100],
      ['我想退款', 'refunds', 30],
      ['发货了没', 'shipping', 10],
      ['发票怎么开', 'invoice', 8],
    ] as const)
      await db.query(
        `INSERT INTO question_event (kb_id, channel, question, question_normalized, outcome, latency_ms, intent)
         SELECT $1, 'api', $2, $2, 'faq', 1, $4 FROM generate_series(1, $3)`,
        [kbId, question, n, intent],
      );
    // Two more invoice questions a minute either side of the first of the last 30 days in Shanghai
    // (the browser's zone below), whose midnight is 16:00 UTC: only the later one is in the column.
    const { range } = (
      await t.api.get(`/api/kbs/${kbId}/analytics/intents`).query({ tz: 'Asia/Shanghai' }).expect(200)
    ).body as { range: { from: string; to: string } };
    const midnight = Date.parse(`${range.from}T00:00:00+08:00`);
    for (const at of [midnight - 60_000, midnight + 60_000])
      await db.query(
        `INSERT INTO question_event (kb_id, channel, question, question_normalized, outcome, latency_ms, intent, created_at)
         VALUES ($1, 'api', '发票怎么开', '发票怎么开', 'faq', 1, 'invoice', $2)`,
        [kbId, new Date(at)],
      );
    await db.end();
    const classifiers = t.wendao.app.get(KbIntentClassifierService);
    await t.api.post(`/api/kbs/${kbId}/intents/classify`).send({ text: '我要退款' }).expect(200);
    await classifiers.settled(kbId);

    const viewer = await t.userWithRole('viewer');
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timezoneId: 'Asia/Shanghai',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${origin}/admin/kbs/${kbId}/intents`);
    await signIn(page, {
      who: { email: viewer.email, password: 'test-user-password' },
      labels: EN_LABELS,
      timeout: 30_000,
    });
    const table = page.getByTestId('intent-table');
    await poll(() => table.getByRole('row').count()).toBe(6);
    await poll(() => page.getByTestId('intent-model-state').textContent()).toBe('Trained');
    expect(await page.getByRole('button', { name: 'New intent' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Import CSV' }).count()).toBe(0);
    expect(await table.getByRole('button', { name: 'Delete' }).count()).toBe(0);

    await poll(() => page.getByTestId('intent-traffic').textContent()).toBe('Yes (from 300 questions)');
    expect(await page.getByTestId('intent-self-training').textContent()).toBe(
      'No: weighed by traffic instead',
    );
    expect(await page.getByTestId('intent-model').textContent()).toMatch(
      /refunds: \d+\.\d% of questions \(20\.0% of examples\)/,
    );
    // Weighing shifts the intents, not the cut: every figure is the examples-only classifier's, unremarked.
    expect(await page.getByTestId(/^intent-(accuracy|recall|cut)-note$/).count()).toBe(0);

    // The questions of the last 30 days in the browser's zone (Shanghai): the API's counts over the
    // same days, and 0 (not blank) for an intent nobody asked.
    const api = (
      await t.api
        .get(`/api/kbs/${kbId}/analytics/intents`)
        .query({ tz: 'Asia/Shanghai', limit: 'all' })
        .expect(200)
    ).body as { intents: { intent: string; count: number }[] };
    const expected = { refunds: 280, shipping: 10, invoice: 9, password: 0, coupon: 0 };
    expect(Object.fromEntries(api.intents.map((i) => [i.intent, i.count]))).toEqual({
      refunds: 280,
      shipping: 10,
      invoice: 9,
    });
    await poll(() => questionCounts(page)).toEqual(
      Object.fromEntries(Object.entries(expected).map(([intent, n]) => [intent, String(n)])),
    );
    expect(await table.locator('thead').innerText()).toContain('Questions (30 days)');

    const result = await trySentence(page, '发票抬头可以改吗', { input: 'Sentence', button: 'Classify' });
    await poll(() => result.textContent()).toContain('invoice');
    await shot(page, 'admin-intents-en.png');

    await table.getByRole('row', { name: /password/ }).click();
    const drawer = page.getByRole('dialog');
    await poll(() => drawer.getByTestId('intent-example-count').textContent()).toBe('6');
    expect(await drawer.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await drawer.getByLabel('Add examples').count()).toBe(0);
    // Titled "Edit intent" before, its name and description greyed out (disabled fields): now read-only.
    expect(await drawer.getByRole('heading', { name: 'Intent details' }).count()).toBe(1);
    const name = drawer.getByRole('textbox', { name: 'Intent', exact: true });
    expect(await name.inputValue()).toBe('password');
    expect(await name.isEditable()).toBe(false);
    expect(await name.isDisabled()).toBe(false);
    expect(await drawer.getByRole('button', { name: 'Save' }).count()).toBe(0);

    await page.keyboard.press('Escape');
    await poll(() => drawer.count()).toBe(0);

    // A count opens the dashboard on this KB and the same 30 days (not the intent's editor), where the
    // top intents are the same numbers.
    const link = table.getByRole('row', { name: /refunds/ }).getByTestId('intent-questions');
    expect(await link.getAttribute('href')).toBe(
      `/admin/analytics?kb=${kbId}&from=${range.from}&to=${range.to}`,
    );
    const dashboardIntents = page.waitForResponse(
      (r) => r.url().includes(`/api/kbs/${kbId}/analytics/intents?`) && !r.url().includes('limit='),
    );
    await link.click();
    const shown = await dashboardIntents;
    expect(new URL(shown.url()).searchParams.get('tz')).toBe('Asia/Shanghai');
    expect(((await shown.json()) as { intents: { intent: string; count: number }[] }).intents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ intent: 'refunds', count: 280 }),
        expect.objectContaining({ intent: 'invoice', count: 9 }),
      ]),
    );
    expect(new URL(page.url()).pathname).toBe('/admin/analytics');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // The navigation offers only what a viewer can use: no agent console (serving customers needs
    // the agent role), and a tab opened by its address says which role it needs.
    const nav = page.locator('.mantine-AppShell-navbar');
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Knowledge bases', 'Analytics']);
    await page.goto(`${origin}/admin/kbs/${kbId}/conversations`);
    await poll(() => page.getByTestId('role-needed').textContent()).toBe(
      "Not available to your roleThis page needs the agent role (or above); your role in this knowledge base's organisation is viewer.",
    );
    expect(await page.getByText('Something went wrong').count()).toBe(0);
    await context.close();
  });
});
