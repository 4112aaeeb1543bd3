/**
 * The analytics dashboard in a real browser (Debian's chromium through playwright-core) against the
 * real API and PostgreSQL, on two weeks of seeded questions (chat answers with thumbs up/down among
 * them): the charts are drawn from the API's figures, a shorter date range changes them, a chart's
 * CSV export holds the API's numbers (the trend's and the top-unanswered table's the rows they show),
 * and the labels switch to English. Screenshots:
 * docs/images/analytics-dashboard.png (-en), analytics-summary-768.png (-en), analytics-unknown-kb.png
 * (-en), analytics-date-picker.png.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsRepository } from '../../api/src/analytics/analytics.repository';
import type { QuestionEvent } from '../../api/src/analytics/question-event';
import { TEST_OWNER, type TestApp } from '../../api/test/support/test-app';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';

const IMAGES = resolve(__dirname, '../../../docs/images');
const TZ = 'Asia/Shanghai';
const INTENTS = ['运费怎么算？', '如何申请退货？', '退款多久到账？', '可以换货吗？', '如何开具发票？'];
// Asked less often than the five: the intents chart has seven, the trend chart (top 5) leaves them out.
const RARE_INTENTS = ['会员积分怎么用？', '支持花呗分期吗？'];
// More than the ten the dashboard's table shows.
const UNANSWERED = [
  '会员卡可以转让吗',
  '直播间优惠券怎么领',
  '预售商品能退定金吗',
  '可以货到付款吗',
  '你们有线下门店吗',
  '能开增值税专票吗',
  '海外能发货吗',
  '积分什么时候过期',
  '商品有保修吗',
  '可以改收货地址吗',
  '发错货了怎么办',
  '能约定送货时间吗',
];
const QUIET_DAY = 10;

const shanghaiDay = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
const daysBefore = (day: string, n: number) =>
  new Date(Date.parse(day) - n * 86_400_000).toISOString().slice(0, 10);

/**
 * Where each summary figure sits and how tall it is: a figure taller than the others wrapped. `cut`:
 * a figure wider than its card (it would end in an ellipsis).
 */
const summaryLayout = (page: Page) =>
  page.locator('[data-testid^="stat-"]').evaluateAll((els) =>
    els.map((el) => {
      const box = el.getBoundingClientRect();
      return {
        top: Math.round(el.closest('.mantine-Card-root')!.getBoundingClientRect().top),
        height: box.height,
        cut: el.scrollWidth > el.clientWidth,
      };
    }),
  );

describe('analytics dashboard in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let kbId: string;
  let secondKbId: string;
  const today = shanghaiDay(new Date());

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({
      demo: true,
      adminDir,
    }));
    ({ t, browser, origin } = app);
    kbId = (await t.api.get('/api/kbs').expect(200)).body[0].id;

    // Two weeks of questions, a few more each day; chat answers are bot messages that get votes.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const [conversation] = (
      await db.query(`INSERT INTO conversation (kb_id, state) VALUES ($1, '{}') RETURNING id`, [kbId])
    ).rows;
    const events: QuestionEvent[] = [];
    const votes: [number, 'up' | 'down'][] = [];
    let seq = 0;
    let unansweredAsked = 0;
    for (let d = 13; d >= 0; d--) {
      // Ten days ago nobody asked: the answer-time chart must not draw answers across that day.
      if (d === QUIET_DAY) continue;
      const day = daysBefore(today, d);
      for (let i = 0; i < 4 + ((13 - d) % 5); i++) {
        const at = new Date(`${day}T${String(9 + i).padStart(2, '0')}:15:00+08:00`);
        const kind = (d + i) % 10;
        const outcome: QuestionEvent['outcome'] =
          kind < 5
            ? 'faq'
            : kind < 6
              ? 'extracted'
              : kind < 7
                ? 'clarify'
                : kind < 9
                  ? 'fallback'
                  : 'handoff';
        const intent =
          outcome === 'faq' || outcome === 'extracted' ? INTENTS[(d * 3 + i) % INTENTS.length] : null;
        const chat = i % 2 === 0;
        if (chat) seq++;
        // Every other handoff is the dialogue policy's, after fallbacks: an unanswered question too.
        const afterFallbacks = outcome === 'handoff' && (d + i) % 2 === 0;
        events.push({
          kbId,
          channel: chat ? 'chat' : 'api',
          conversationId: chat ? conversation.id : null,
          botMessageSeq: chat ? seq : null,
          question:
            intent ??
            (outcome === 'fallback' || afterFallbacks
              ? UNANSWERED[unansweredAsked++ % UNANSWERED.length]
              : '转人工'),
          outcome,
          handoffReason: afterFallbacks
            ? 'consecutive_fallbacks'
            : outcome === 'handoff'
              ? 'customer_request'
              : null,
          faqId: null,
          intent,
          confidence: 0.8,
          // Hundreds of milliseconds to a few seconds, as answers take: "1300 / 2400 ms" took two
          // lines of the summary at 1280 px.
          latencyMs: 120 + ((d * 7 + i * 13) % 60) * 40,
          createdAt: at,
        });
        if (chat) {
          await db.query(
            `INSERT INTO message (conversation_id, seq, role, text, created_at) VALUES ($1, $2, 'bot', '答案', $3)`,
            [conversation.id, seq, at],
          );
          if (outcome === 'faq' && i % 4 === 0) votes.push([seq, d % 4 === 0 ? 'down' : 'up']);
        }
      }
      // Every third day, one question of a rarer intent.
      if (d % 3 === 0) {
        const rare = RARE_INTENTS[d % 2];
        events.push({
          kbId,
          channel: 'api',
          conversationId: null,
          botMessageSeq: null,
          question: rare,
          outcome: 'faq',
          handoffReason: null,
          faqId: null,
          intent: rare,
          confidence: 0.8,
          latencyMs: 25 + d,
          createdAt: new Date(`${day}T20:15:00+08:00`),
        });
      }
      // And each evening one more question the bot could not answer.
      events.push({
        kbId,
        channel: 'api',
        conversationId: null,
        botMessageSeq: null,
        question: UNANSWERED[unansweredAsked++ % UNANSWERED.length],
        outcome: 'fallback',
        handoffReason: null,
        faqId: null,
        intent: null,
        confidence: 0.2,
        latencyMs: 30 + d,
        createdAt: new Date(`${day}T21:15:00+08:00`),
      });
    }
    for (const [s, vote] of votes)
      await db.query(
        `INSERT INTO message_feedback (message_id, vote) SELECT id, $3 FROM message WHERE conversation_id = $1 AND seq = $2`,
        [conversation.id, s, vote],
      );
    await db.end();
    await t.wendao.app.get(AnalyticsRepository).insert(events);
    // A second KB of the organisation, to count both together.
    secondKbId = (await t.api.post('/api/kbs').send({ name: '第二个知识库', language: 'zh' }).expect(201))
      .body.id;
    await t.wendao.app.get(AnalyticsRepository).insert(
      events.slice(0, 5).map((e) => ({
        ...e,
        kbId: secondKbId,
        channel: 'api' as const,
        conversationId: null,
        botMessageSeq: null,
      })),
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('draws the charts from the API, follows the date range and exports CSV with the API numbers', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: TZ,
      reducedMotion: 'reduce',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const from = daysBefore(today, 13);
    await page.goto(`${origin}/admin/analytics?kb=${kbId}&from=${from}&to=${today}`);
    const submit = page.getByRole('button', { name: '登录', exact: true });
    await expect.poll(() => submit.count(), { timeout: 15_000 }).toBe(1);
    await page.getByLabel('邮箱').fill(TEST_OWNER.email);
    await page.getByLabel('密码').fill(TEST_OWNER.password);
    await submit.click();

    const api = (chart: string, range: { from: string; to: string }) =>
      t.api
        .get(`/api/kbs/${kbId}/analytics/${chart}`)
        .query({ ...range, tz: TZ })
        .expect(200);
    const outcomes = (await api('outcomes', { from, to: today })).body;
    expect(outcomes.total).toBeGreaterThan(50);
    await expect
      .poll(() => page.getByTestId('stat-questions').textContent(), { timeout: 15_000 })
      .toBe(String(outcomes.total));
    expect(await page.getByTestId('stat-answered').textContent()).toBe(
      `${(outcomes.rates.answered * 100).toFixed(1)}%`,
    );
    // Every chart is drawn (SVG with marks), none shows the empty state.
    await expect.poll(() => page.locator('[data-testid="chart"] svg path').count()).toBeGreaterThan(50);
    await expect.poll(() => page.locator('[data-testid="chart"]').count()).toBe(6);
    expect(await page.getByText('这段时间没有数据。').count()).toBe(0);
    // The top intent's name is on the intents chart, the top unanswered question in its table.
    const intents = (await api('intents', { from, to: today })).body;
    await expect
      .poll(() => page.getByRole('img', { name: '热门意图', exact: true }).textContent())
      .toContain(intents.intents[0].intent);
    const unanswered = (await api('unanswered', { from, to: today })).body;
    expect(unanswered.groups.length).toBeGreaterThan(10);
    const rows = page.getByTestId('unanswered-table').locator('tbody tr');
    const firstRow = rows.first();
    expect(await firstRow.textContent()).toContain(unanswered.groups[0].question);
    expect(await firstRow.textContent()).toContain(String(unanswered.groups[0].count));
    // The table's CSV holds the table's ten rows, not the API's default twenty.
    expect(await rows.count()).toBe(10);
    const tableRows = await rows.evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('td'))
          .slice(0, 2)
          .map((td) => td.textContent)
          .join(','),
      ),
    );
    const unansweredCard = page
      .getByTestId('analytics-card')
      .filter({ has: page.getByTestId('unanswered-table') });
    const [unansweredCsv] = await Promise.all([
      page.waitForEvent('download'),
      unansweredCard.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const csvRows = readFileSync((await unansweredCsv.path())!, 'utf8')
      .replace('\uFEFF', '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(csvRows.map(([question, , count]) => `${question},${count}`)).toEqual(tableRows);
    // The trend chart draws the top five intents, and its CSV holds those five (it held the intents
    // chart's ten: the seven asked here).
    expect(intents.intents).toHaveLength(INTENTS.length + RARE_INTENTS.length);
    const topFive = intents.intents.slice(0, 5).map((i: { intent: string }) => i.intent);
    const trendCard = page.getByTestId('analytics-card').filter({ hasText: '热门意图趋势（前 5）' });
    const trendChart = trendCard.getByRole('img', { name: '热门意图趋势（前 5）', exact: true });
    await expect.poll(() => trendChart.locator('path').count()).toBeGreaterThan(5);
    const legend = (await trendChart.textContent()) ?? '';
    for (const intent of topFive) expect(legend).toContain(intent);
    for (const rare of RARE_INTENTS) expect(legend).not.toContain(rare);
    const [trendCsv] = await Promise.all([
      page.waitForEvent('download'),
      trendCard.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const trendRows = readFileSync((await trendCsv.path())!, 'utf8')
      .replace('\uFEFF', '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(trendRows.map(([intent]) => intent)).toEqual(topFive);
    expect(trendRows.map(([, total]) => Number(total))).toEqual(
      intents.intents.slice(0, 5).map((i: { count: number }) => i.count),
    );
    // Answer time: the API's range percentiles, one unit for both (p95 never below p50).
    const latency = (await api('latency', { from, to: today })).body;
    expect(latency.p95).toBeGreaterThanOrEqual(latency.p50);
    expect(await page.getByTestId('stat-latency').textContent()).toBe(
      `${Math.round(latency.p50)} / ${Math.round(latency.p95)} ms`,
    );
    const latencyPaths = await page
      .getByRole('img', { name: '每日响应时间（毫秒）', exact: true })
      .locator('path')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
    // The p50 and p95 lines (the paths of more than one segment) each break once, at the quiet day.
    const latencyLines = latencyPaths.filter((d) => (d.match(/L/g) ?? []).length > 2);
    expect(latencyLines.map((d) => d.match(/M/g)?.length)).toEqual([2, 2]);
    // The summary reconciles with the outcome chart: answered, clarifying questions, not answered and
    // handed off are its four shares and add up to 100 %, in one row of seven at 1280 px, no figure
    // wrapped.
    expect(await page.getByTestId('stat-clarify').textContent()).toBe(
      `${(outcomes.rates.clarify * 100).toFixed(1)}%`,
    );
    const shares = await Promise.all(
      ['stat-answered', 'stat-clarify', 'stat-fallback', 'stat-handoff'].map((id) =>
        page.getByTestId(id).textContent(),
      ),
    );
    expect(Math.abs(shares.reduce((sum, v) => sum + parseFloat(v!), 0) - 100)).toBeLessThanOrEqual(0.2);
    const wide = await summaryLayout(page);
    expect(wide).toHaveLength(7);
    expect(new Set(wide.map((s) => s.top)).size).toBe(1);
    expect(new Set(wide.map((s) => s.height)).size).toBe(1);
    expect(wide.filter((s) => s.cut)).toEqual([]);
    // What 'not answered' counts is said on its card and on the unanswered table, which also counts
    // the handoffs after repeated fallbacks.
    expect(await page.getByTestId('summary').textContent()).toContain('兜底回复，不含转人工');
    expect(await unansweredCard.getByTestId('chart-note').textContent()).toBe(
      '未答出的提问，加上连续未答出后转人工的提问',
    );
    // At 768 px: two rows (four and three), no figure wrapped.
    await page.setViewportSize({ width: 768, height: 900 });
    await expect.poll(async () => new Set((await summaryLayout(page)).map((s) => s.top)).size).toBe(2);
    expect(new Set((await summaryLayout(page)).map((s) => s.height)).size).toBe(1);
    expect((await summaryLayout(page)).filter((s) => s.cut)).toEqual([]);
    await page.getByTestId('summary').screenshot({ path: join(IMAGES, 'analytics-summary-768.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    // The CSV link's click scrolled down; a full-page shot from there draws the sticky header mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(IMAGES, 'analytics-dashboard.png'), fullPage: true });

    // The last 7 days: fewer questions, as the API counts them. While they load, the 30 days' figures
    // stay on screen marked busy (faded), not passed off as the week's.
    const slow = async (route: Route) => {
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue().catch(() => undefined);
    };
    await page.route('**/analytics/**', slow);
    await page.getByRole('button', { name: '最近 7 天', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('analytics-card').first().getAttribute('aria-busy'))
      .toBe('true');
    expect(await page.getByTestId('stat-questions').textContent()).toBe(String(outcomes.total));
    await page.unroute('**/analytics/**', slow);
    const week = { from: daysBefore(today, 6), to: today };
    const weekOutcomes = (await api('outcomes', week)).body;
    expect(weekOutcomes.total).toBeLessThan(outcomes.total);
    await expect
      .poll(() => page.getByTestId('stat-questions').textContent())
      .toBe(String(weekOutcomes.total));
    expect(page.url()).toContain(`from=${week.from}`);
    await expect.poll(() => page.locator('[data-testid="analytics-card"][aria-busy="true"]').count()).toBe(0);

    // The date fields write the day in the console's language (a native date input would follow the
    // browser's locale: 12/01/2026 in this English Chromium) and pick it from a calendar.
    const zhDay = (day: string) => {
      const [y, m, d] = day.split('-').map(Number);
      return `${y}年${m}月${d}日`;
    };
    const fromField = page.getByLabel('开始日期', { exact: true });
    await expect.poll(() => fromField.textContent()).toBe(zhDay(week.from));
    await fromField.click();
    await expect.poll(() => page.getByRole('table').count()).toBe(2);
    await page.screenshot({
      path: join(IMAGES, 'analytics-date-picker.png'),
      clip: { x: 0, y: 0, width: 900, height: 500 },
    });
    const dayBefore = daysBefore(week.from, 1);
    // The calendar opens on the month of the day shown; the day before may be in the month before.
    // It shows two months, so a day's number is there twice: the other month's is after the range's
    // end (disabled, days after today) or out of view; only the enabled one can be picked.
    if (dayBefore.slice(0, 7) !== week.from.slice(0, 7))
      await page.locator('[data-direction="previous"]').first().click();
    await page
      .getByRole('table')
      .locator('button:not([data-outside]):not([data-disabled])', {
        hasText: new RegExp(`^${Number(dayBefore.slice(8))}$`),
      })
      .click();
    await expect.poll(() => page.url()).toContain(`from=${dayBefore}`);
    await expect.poll(() => fromField.textContent()).toBe(zhDay(dayBefore));
    await page.getByRole('button', { name: '最近 7 天', exact: true }).click();
    await expect.poll(() => page.url()).toContain(`from=${week.from}`);
    await expect
      .poll(() => page.getByTestId('stat-questions').textContent())
      .toBe(String(weekOutcomes.total));
    // The end's calendar (today's month, then the next) offers only the range's days: it offered every
    // day of the month up to today, and a day before the start, once picked, was refused. (In the first
    // week of a month the range starts in the month before, out of view: both read 1 to today then.)
    await page.getByLabel('结束日期', { exact: true }).click();
    await expect.poll(() => page.getByRole('table').count()).toBe(2);
    const rangeDays = Array.from({ length: 7 }, (_, i) => daysBefore(today, 6 - i));
    expect(
      await page
        .getByRole('table')
        .locator('button:not([data-outside]):not([data-disabled])')
        .allTextContents(),
    ).toEqual(
      rangeDays.filter((d) => d.slice(0, 7) === today.slice(0, 7)).map((d) => String(Number(d.slice(8)))),
    );
    await page.keyboard.press('Escape');

    // The messages chart's CSV is the API's, and its numbers are the JSON's.
    const card = page.getByTestId('analytics-card').filter({ hasText: '每日提问数（按结果）' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    // UTF-8 with a BOM, so Excel reads the Chinese headers (without it: 鏃ユ湡 for 日期), in the console's
    // words; the numbers stay the API's codes' columns.
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('日期,合计,FAQ 答案,文档摘录,反问澄清,未答出,转人工');
    const json = (await api('messages', week)).body;
    expect(lines.slice(1)).toEqual(
      json.days.map(
        (d: Record<string, number | string>) =>
          `${d.day},${d.total},${d.faq},${d.extracted},${d.clarify},${d.fallback},${d.handoff}`,
      ),
    );
    expect(lines.slice(1).reduce((sum, l) => sum + Number(l.split(',')[1]), 0)).toBe(weekOutcomes.total);

    // The day axis: 12-07 in Chinese; in English the month is named, as the range fields write the day
    // (Dec 7, 2026), where 12-07 read as 12 July to some.
    const messagesChart = (title: string) => page.getByRole('img', { name: title, exact: true });
    const enAxisDay = (day: string) =>
      new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
        month: 'short',
        day: 'numeric',
        timeZone: 'UTC',
      });
    await expect.poll(() => messagesChart('每日提问数（按结果）').textContent()).toContain(today.slice(5));
    expect(await messagesChart('每日提问数（按结果）').textContent()).toContain(week.from.slice(5));

    // English labels, same figures.
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByText('Questions per day by outcome', { exact: true }).count()).toBe(1);
    await expect
      .poll(() => messagesChart('Questions per day by outcome').textContent())
      .toContain(enAxisDay(today));
    const enAxis = (await messagesChart('Questions per day by outcome').textContent()) ?? '';
    expect(enAxis).toContain(enAxisDay(week.from));
    expect(enAxis).not.toContain(today.slice(5));
    expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(7);
    const [enDownload] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByTestId('analytics-card')
        .filter({ hasText: 'Questions per day by outcome' })
        .getByRole('button', { name: 'Export CSV' })
        .click(),
    ]);
    const enLines = readFileSync((await enDownload.path())!, 'utf8')
      .replace('\uFEFF', '')
      .trim()
      .split('\r\n');
    expect(enLines).toEqual([
      'Day,Total,FAQ answer,Document extract,Clarifying question,Not answered,Handed to a human',
      ...lines.slice(1),
    ]);
    expect(await page.getByTestId('stat-questions').textContent()).toBe(String(weekOutcomes.total));
    // The English labels and hints are longer: still one row at 1280 px and two at 768, no figure wrapped.
    expect(await page.getByTestId('summary').textContent()).toContain('fallbacks only, no handoffs');
    expect(await page.getByTestId('chart-note').textContent()).toBe(
      'Not answered, plus handoffs after repeated fallbacks',
    );
    const wideEn = await summaryLayout(page);
    expect(new Set(wideEn.map((s) => s.top)).size).toBe(1);
    expect(new Set(wideEn.map((s) => s.height)).size).toBe(1);
    expect(wideEn.filter((s) => s.cut)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    // The charts redraw in English with echarts' one-second animation: shoot once it is over.
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(IMAGES, 'analytics-dashboard-en.png'), fullPage: true });
    await page.setViewportSize({ width: 768, height: 900 });
    await expect.poll(async () => new Set((await summaryLayout(page)).map((s) => s.top)).size).toBe(2);
    expect(new Set((await summaryLayout(page)).map((s) => s.height)).size).toBe(1);
    expect((await summaryLayout(page)).filter((s) => s.cut)).toEqual([]);
    await page.getByTestId('summary').screenshot({ path: join(IMAGES, 'analytics-summary-768-en.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Two KBs of the organisation counted together (the URL keeps both).
    await page.goto(`${origin}/admin/analytics?kb=${kbId},${secondKbId}&from=${from}&to=${today}`);
    const together = (
      await t.api
        .get(`/api/kbs/${kbId}/analytics/outcomes`)
        .query({ from, to: today, tz: TZ, kbIds: secondKbId })
        .expect(200)
    ).body;
    expect(together.total).toBe(outcomes.total + 5);
    await expect
      .poll(() => page.getByTestId('stat-questions').textContent(), { timeout: 15_000 })
      .toBe(String(together.total));

    // A range longer than the API aggregates is said once, in the console's language, and not asked
    // for (it was seven charts' worth of the API's English error under figures loading forever).
    await page.goto(`${origin}/admin/analytics?kb=${kbId}&from=2020-01-01&to=${today}`);
    await expect
      .poll(() => page.getByTestId('range-problem').textContent(), { timeout: 15_000 })
      .toMatch(/ days long; at most 366 days can be shown/);
    expect(await page.getByTestId('analytics-card').count()).toBe(0);
    await page.getByText('中文', { exact: true }).click();
    await expect.poll(() => page.getByTestId('range-problem').textContent()).toMatch(/最多可查看 366 天/);

    // A link to an unknown (or deleted) KB: one message in the console's language, no raw id in the
    // picker, no chart asking the API (it was its English 404 seven times), and another KB can be picked.
    const gone = '00000000-0000-4000-8000-000000000000';
    const asked: string[] = [];
    const countAsked = (request: { url(): string }) => {
      if (request.url().includes(`/api/kbs/${gone}/`)) asked.push(request.url());
    };
    page.on('request', countAsked);
    await page.goto(`${origin}/admin/analytics?kb=${gone}&from=${from}&to=${today}`);
    await expect
      .poll(() => page.getByTestId('kb-missing').textContent(), { timeout: 15_000 })
      .toBe('网址中的知识库不存在或已被删除，请在上方另选一个知识库。');
    expect(await page.getByTestId('analytics-card').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(gone);
    expect(await page.getByText('not found').count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: join(IMAGES, 'analytics-unknown-kb.png'),
      clip: { x: 0, y: 0, width: 1280, height: 320 },
    });
    await page.getByText('English', { exact: true }).click();
    await expect
      .poll(() => page.getByTestId('kb-missing').textContent())
      .toBe(
        'The knowledge base in the address does not exist or was deleted. Please pick another one above.',
      );
    await page.screenshot({
      path: join(IMAGES, 'analytics-unknown-kb-en.png'),
      clip: { x: 0, y: 0, width: 1280, height: 320 },
    });
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('textbox', { name: '知识库', exact: true }).click();
    await page.getByRole('option', { name: '演示商城 Demo Shop' }).click();
    await expect
      .poll(() => page.getByTestId('stat-questions').textContent(), { timeout: 15_000 })
      .toBe(String(outcomes.total));
    expect(await page.getByTestId('kb-missing').count()).toBe(0);
    expect(page.url()).toContain(`kb=${kbId}`);
    page.off('request', countAsked);
    expect(asked).toEqual([]);

    // A figure that failed to load reads '–', not '…' for ever; its chart says why.
    await page.route('**/analytics/outcomes*', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 400, title: 'Bad Request', detail: 'refused' }),
      }),
    );
    await page.goto(`${origin}/admin/analytics?kb=${kbId}&from=${from}&to=${today}`);
    await expect.poll(() => page.getByTestId('stat-questions').textContent(), { timeout: 15_000 }).toBe('–');
    expect(await page.getByTestId('stat-answered').textContent()).toBe('–');
    expect(await page.getByRole('alert').count()).toBeGreaterThanOrEqual(1);
    await page.unrouteAll();

    // A KB whose questions were all answered, none voted on and none matched to an intent: those
    // charts say so (they said '这段时间没有数据。' beside a count of questions); with no question at
    // all, every chart has no data.
    const quiet = (
      await t.api.post('/api/kbs').send({ name: '只答不评的知识库', language: 'zh' }).expect(201)
    ).body.id as string;
    await t.wendao.app.get(AnalyticsRepository).insert([
      {
        kbId: quiet,
        channel: 'api',
        conversationId: null,
        botMessageSeq: null,
        question: '营业时间？',
        outcome: 'extracted',
        handoffReason: null,
        faqId: null,
        intent: null,
        confidence: 0.8,
        latencyMs: 90,
      },
    ]);
    await page.goto(`${origin}/admin/analytics?kb=${quiet}&from=${from}&to=${today}`);
    await expect.poll(() => page.getByTestId('stat-questions').textContent(), { timeout: 15_000 }).toBe('1');
    const emptyCard = (title: string) =>
      page.getByTestId('analytics-card').filter({ hasText: title }).locator('p').last();
    await expect.poll(() => emptyCard('未答出的热门问题').textContent()).toBe('这段时间的提问都已答出。');
    expect(await emptyCard('每日评价').textContent()).toBe('这段时间的回答没有收到评价。');
    expect(await emptyCard('热门意图趋势').textContent()).toBe('这段时间没有提问匹配到意图。');
    expect(await page.getByText('这段时间没有数据。').count()).toBe(0);
    await page.getByText('English', { exact: true }).click();
    await expect
      .poll(() => emptyCard('Feedback per day').textContent())
      .toBe('No votes on answers in this period.');
    await page.getByText('中文', { exact: true }).click();

    // A KB deleted while its dashboard is open: its CSV export says so on the page (a plain link
    // left only the browser's download bar, with a failed download or the error's JSON as the file).
    const doomed = (await t.api.post('/api/kbs').send({ name: '将删除的知识库', language: 'zh' }).expect(201))
      .body.id as string;
    await page.goto(`${origin}/admin/analytics?kb=${doomed}&from=${from}&to=${today}`);
    await expect.poll(() => page.getByTestId('stat-questions').textContent(), { timeout: 15_000 }).toBe('0');
    await expect.poll(() => page.getByText('这段时间没有数据。').count()).toBe(7);
    await t.api.delete(`/api/kbs/${doomed}`).expect(204);
    let downloads = 0;
    page.on('download', () => downloads++);
    await page
      .getByTestId('analytics-card')
      .filter({ hasText: '每日提问数（按结果）' })
      .getByRole('button', { name: '导出 CSV' })
      .click();
    const refusal = page.getByRole('alert').filter({ hasText: '导出失败' });
    await expect
      .poll(() => refusal.textContent(), { timeout: 15_000 })
      .toBe('导出失败：这个知识库已不存在或已被删除，请刷新页面后另选一个知识库。');
    expect(downloads).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
