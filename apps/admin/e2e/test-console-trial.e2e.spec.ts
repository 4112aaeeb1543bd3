/**
 * The test console in a real browser (Debian's chromium through playwright-core) against the real API
 * and PostgreSQL: what an admin asks there is answered, but is not a customer's question, so it is
 * neither counted in the analytics nor put in the unanswered inbox; the same question from a customer
 * (a plain REST ask) is.
 */
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestionEventRecorder } from '../../api/src/analytics/question-event-recorder';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import { createKb, uploadAndWait, type TestApp } from '../../api/test/support/test-app';
import { EN_LABELS, signIn, ZH_LABELS } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const OUT_OF_SCOPE = '你们几点下班';
const IMAGES = resolve(__dirname, '../../../docs/images');

describe('test console in chromium', () => {
  let app: BrowserApp;
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let kbId: string;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    kbId = await createKb(t.api, '试用店铺', 'zh');
    await uploadAndWait(t.api, kbId, [
      {
        name: 'faq.csv',
        content:
          '问题,答案\n发票怎么开？,在订单详情页点击“申请发票”即可。\n支持货到付款吗？,目前仅部分城市支持货到付款。\n',
        type: 'text/csv',
      },
    ]);
  });
  afterAll(async () => app?.close());

  const unanswered = async () =>
    (
      (await t.api.get(`/api/kbs/${kbId}/unanswered`).expect(200)).body as {
        representative: string;
        count: number;
      }[]
    ).map((g) => [g.representative, g.count]);
  const asked = async () =>
    (await t.api.get(`/api/kbs/${kbId}/analytics/outcomes`).expect(200)).body.total as number;
  /** A new KB with the FAQ entries of \`csv\` (an upload-format faq.csv), once they are in. */
  const kbWithFaqs = async (name: string, language: 'zh' | 'en' | 'mixed', csv: string) => {
    const id = await createKb(t.api, name, language);
    await uploadAndWait(t.api, id, [{ name: 'faq.csv', content: csv, type: 'text/csv' }]);
    return id;
  };
  /** The test console of \`kb\` in a fresh browser context in \`locale\`, signed in; ask() asks there. */
  const openConsole = async (kb: string, locale: string) => {
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale })
    ).newPage();
    await page.goto(`${origin}/admin/kbs/${kb}/test`);
    const zh = locale === 'zh-CN';
    await signIn(page, { labels: zh ? ZH_LABELS : EN_LABELS });
    const ask = async (question: string) => {
      await page.getByLabel(zh ? '问题' : 'Question').fill(question);
      await page.getByRole('button', { name: zh ? '提问' : 'Ask', exact: true }).click();
    };
    return { page, ask };
  };

  it("answers the admin's questions without counting them as customers' questions", async () => {
    const recorder = t.wendao.app.get(QuestionEventRecorder);
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    ).newPage();
    await page.goto(`${origin}/admin/kbs/${kbId}/test`);
    await signIn(page);
    for (const question of ['发票怎么开？', OUT_OF_SCOPE]) {
      await page.getByLabel('问题').fill(question);
      await page.getByRole('button', { name: '提问', exact: true }).click();
      await poll(() =>
        page.getByText(question === OUT_OF_SCOPE ? '兜底' : '问答命中', { exact: true }).count(),
      ).toBe(1);
    }
    await recorder.flushed();
    expect(await asked()).toBe(0);
    expect(await unanswered()).toEqual([]);

    // A customer asking the same is counted, and its fallback goes to the inbox.
    await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: OUT_OF_SCOPE }).expect(200);
    await recorder.flushed();
    expect(await asked()).toBe(1);
    expect(await unanswered()).toEqual([[OUT_OF_SCOPE, 1]]);
  });

  it('shows a long other answer in three lines with a control that unfolds it, in Chinese and English', async () => {
    // A 3,000-character answer shown whole made the page ~2,500 px tall.
    const long =
      `发票抬头修改说明：${'开票后如需修改抬头，请在订单详情页提交申请，财务会在三个工作日内重新开具并作废原发票。'.repeat(70)}`.slice(
        0,
        2999,
      ) + '完';
    await uploadAndWait(t.api, kbId, [
      { name: 'invoice.csv', content: `问题,答案\n发票抬头怎么开错了能改吗？,${long}\n`, type: 'text/csv' },
    ]);
    for (const [locale, more, less] of [
      ['zh-CN', '展开全文（3000 字）', '收起'],
      ['en-GB', 'Show all (3000 characters)', 'Show less'],
    ]) {
      const { page, ask } = await openConsole(kbId, locale);
      await ask('发票怎么开？');
      await poll(() => page.getByText('发票抬头修改说明', { exact: false }).count()).toBe(1);
      const pageHeight = () => page.evaluate(() => document.documentElement.scrollHeight);
      expect(await pageHeight()).toBeLessThan(1300);
      const alternative = page.getByTestId('alternative').filter({ hasText: '发票抬头修改说明' });
      const height = async () => (await alternative.boundingBox())!.height;
      // Three lines of text and the control, not 75 lines.
      expect(await height()).toBeLessThan(110);
      if (locale === 'zh-CN')
        await page.screenshot({
          path: join(IMAGES, 'admin-test-console-long-alternative.png'),
          fullPage: true,
        });
      await alternative.getByRole('button', { name: more }).click();
      // The spoiler unfolds with a height transition: the page reaches its full height at its end.
      await poll(height).toBeGreaterThan(600);
      await poll(pageHeight).toBeGreaterThan(1800);
      await alternative.getByRole('button', { name: less }).click();
      await poll(height).toBeLessThan(110);
      await page.context().close();
    }
  });

  it("says which typos were read as the KB's words, in Chinese and English (admin-test-console-typos*.png)", async () => {
    // QA: 'how lnog does dilivery take' was answered, but nothing showed how it had been read.
    const enKb = await kbWithFaqs(
      'Typo shop',
      'en',
      'question,answer\nHow long does delivery take?,Standard delivery arrives 3 to 5 days after shipping.\nHow do I cancel my order?,Orders that have not shipped can be cancelled.\n',
    );
    for (const [locale, read] of [
      ['zh-CN', '拼写容错：已将“lnog”理解为“long”，“dilivery”理解为“delivery”'],
      ['en-GB', 'Typo tolerance: read “lnog” as “long”, “dilivery” as “delivery”'],
    ]) {
      const { page, ask } = await openConsole(enKb, locale);
      await ask('how lnog does dilivery take');
      await poll(() => page.getByTestId('answer-corrections').textContent()).toBe(read);
      // The Ask button shows its loader a moment longer than the answer takes to appear: both
      // screenshots had caught it half way, the label pushed down by the spinner.
      const button = page.getByRole('button', { name: locale === 'zh-CN' ? '提问' : 'Ask', exact: true });
      await poll(() => button.getAttribute('data-loading')).toBeNull();
      await page.screenshot({
        path: join(IMAGES, `admin-test-console-typos${locale === 'zh-CN' ? '' : '-en'}.png`),
        animations: 'disabled',
      });
      // A question without typos says nothing of them.
      await ask('how do I cancel my order');
      // Waited for as the answer: the first answer's page already shows this text elsewhere, so the
      // check below could read the first answer's corrections.
      await poll(() => page.getByTestId('answer-text').textContent()).toBe(
        'Orders that have not shipped can be cancelled.',
      );
      expect(await page.getByTestId('answer-corrections').count()).toBe(0);
      await page.context().close();
    }
  });

  it("answers a mixed KB's question without letters in the console's language", async () => {
    // QA: the console sent no language, so 48 was answered as a Chinese customer's in the English console.
    const mixedKb = await kbWithFaqs(
      'Mixed shop',
      'mixed',
      'question,answer\nWhen will my order ship?,In-stock items ship within 48 hours of payment.\n订单什么时候发货？,现货商品付款后48小时内发货。\n',
    );
    for (const [locale, answer] of [
      ['zh-CN', '现货商品付款后48小时内发货。'],
      ['en-GB', 'In-stock items ship within 48 hours of payment.'],
    ]) {
      const { page, ask } = await openConsole(mixedKb, locale);
      await ask('48');
      await poll(() => page.getByTestId('answer-text').textContent()).toBe(answer);
      await page.context().close();
    }
  });
});
