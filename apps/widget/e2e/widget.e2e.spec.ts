/**
 * The chat widget in a real browser (Debian's chromium through playwright-core) against the real API,
 * PostgreSQL and demo KB: /demo embeds widget.js, a customer asks, sees the answer with its source,
 * votes, reloads into the same conversation with the vote still shown; the input row keeps its whole
 * placeholder in both languages; the talk-to-a-human button hides while an agent is awaited or serves;
 * waiting for an agent and leaving a message each say so until they end, and can be cancelled; hostile
 * host-page CSS and an FAQ answer made of HTML change nothing. Screenshots go to docs/images/.
 */
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/src/config/app-config';
import { connectChat, type ChatClient } from '../../api/test/support/chat-client';
import type { TestApp } from '../../api/test/support/test-app';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';

const AGENT_TOKEN = 'agent-secret';
const IMAGES = resolve(__dirname, '../../../docs/images');

/**
 * Waits until the open widget's socket is online: it sends only then (the send button is disabled
 * until then), and on a busy machine the first connection can take longer than filling the input.
 */
async function online(page: Page) {
  await expect
    .poll(() => page.locator('wendao-chat .status').getAttribute('data-state'), { timeout: 10_000 })
    .toBe('online');
}

/** Asks in the open widget and waits for the bot's reply to it (the next bot message). */
async function ask(page: Page, question: string) {
  await online(page);
  const bots = page.locator('wendao-chat .msg.bot[data-seq]:not([data-seq="0"])');
  const before = await bots.count();
  await page.locator('wendao-chat .composer input').fill(question);
  await page.locator('wendao-chat .composer input').press('Enter');
  await expect.poll(() => bots.count(), { timeout: 10_000 }).toBeGreaterThan(before);
  return bots.nth(before);
}

/**
 * Whether the input shows its whole placeholder: the placeholder's width in the input's own font
 * against the room inside the input (a cut placeholder read "Type your questior").
 */
function placeholderFits(page: Page) {
  return page.evaluate(() => {
    const input = document.querySelector('wendao-chat')!.shadowRoot!.querySelector('.composer input')!;
    const s = getComputedStyle(input);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const needed = Math.ceil(ctx.measureText((input as HTMLInputElement).placeholder).width);
    const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return { placeholder: (input as HTMLInputElement).placeholder, needed, room, fits: needed <= room };
  });
}

/** Whether the widget or anything in it has the focus (a widget reopened on load must not take it). */
function widgetFocused(page: Page) {
  return page.evaluate(
    () =>
      document.activeElement === document.querySelector('wendao-chat') ||
      document.querySelector('wendao-chat')!.shadowRoot!.activeElement !== null,
  );
}

/** The votes of a bot answer: which thumbs are pressed. */
async function pressed(answer: Locator, names: [string, string]) {
  return Promise.all(
    names.map((name) => answer.getByRole('button', { name, exact: true }).getAttribute('aria-pressed')),
  );
}

describe('chat widget in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let kbId: string;
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (bundleDir) => ({
      demo: true,
      widgetFile: join(bundleDir, 'widget.js'),
      chat: loadConfig({ WENDAO_AGENT_TOKEN: AGENT_TOKEN }).chat,
    }));
    ({ t, browser, origin } = app);
    kbId = (await t.api.get('/api/kbs').expect(200)).body[0].id;
    for (let i = 0; i < 200; i++) {
      if ((await t.api.get(`/api/kbs/${kbId}`).expect(200)).body.calibration) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves widget.js to any page and /demo with the demo key', async () => {
    const js = await t.api.get('/widget.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const demo = await t.api.get('/demo').expect(200);
    expect(demo.text).toMatch(/<script src="\/widget.js" data-key="wk_[\w-]+" data-lang="zh"><\/script>/);
    const keys = (await t.api.get(`/api/kbs/${kbId}/widget-keys`).expect(200)).body;
    expect(keys[0].allowedOrigins).toContain(origin);
  });

  it('answers 退货期限是多久？ with 7天内 and its source, stores a thumbs up, resumes after a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    await expect.poll(() => page.locator('wendao-chat .status').textContent()).toBe('在线');
    const answer = await ask(page, '退货期限是多久？');
    await expect.poll(() => answer.locator('.bubble').textContent()).toBe('7天内');
    await answer.locator('details.source summary').click();
    expect(await answer.locator('details.source summary').textContent()).toContain('after-sales-policy.md');
    expect(await answer.locator('details.source mark').textContent()).toBe('7天内');
    expect(await answer.locator('details.source p').textContent()).toContain('签收后7天内可申请无理由退货');
    // A screen reader hears who said what: the bubbles' side and colour say it to the eye only.
    expect(await page.locator('wendao-chat .log').ariaSnapshot()).toContain(
      '智能客服: 您好！有什么可以帮您？ 我: 退货期限是多久？ 智能客服: 7天内',
    );

    await answer.getByRole('button', { name: '有帮助', exact: true }).click();
    await expect
      .poll(() => answer.getByRole('button', { name: '有帮助', exact: true }).getAttribute('aria-pressed'))
      .toBe('true');
    await page.screenshot({ path: join(IMAGES, 'widget-zh-375.png') });
    const seq = Number(await answer.getAttribute('data-seq'));
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT f.vote FROM message_feedback f JOIN message m ON m.id = f.message_id
          WHERE m.seq = $1 AND m.role = 'bot'`,
        [seq],
      );
      expect(rows).toEqual([{ vote: 'up' }]);
    } finally {
      await db.end();
    }

    // A reload resumes the stored session: the same conversation comes back from the server, in the
    // panel still open (the customer does not tap the bubble again), with the host page's focus left alone.
    await page.reload();
    expect(await page.locator('wendao-chat .panel').isVisible()).toBe(true);
    expect(await widgetFocused(page)).toBe(false);
    await expect
      .poll(() => page.locator('wendao-chat .msg.bot .bubble').allTextContents())
      .toContain('7天内');
    expect(await page.locator('wendao-chat .msg.customer .bubble').allTextContents()).toEqual([
      '退货期限是多久？',
    ]);
    // ... as it read before, greeting first (it opened with the question: the server stores no greeting) ...
    expect(await page.locator('wendao-chat .log').ariaSnapshot()).toContain(
      '智能客服: 您好！有什么可以帮您？ 我: 退货期限是多久？ 智能客服: 7天内',
    );
    // ... with the customer's vote still shown.
    const replayed = page.locator(`wendao-chat .msg.bot[data-seq="${seq}"]`);
    expect(await pressed(replayed, ['有帮助', '没有帮助'])).toEqual(['true', 'false']);

    // Closed before a reload: closed after it, the conversation still there when opened.
    await page.getByRole('button', { name: '关闭客服窗口' }).click();
    await page.reload();
    const launcher = page.getByRole('button', { name: '打开在线客服' });
    await expect.poll(() => launcher.isVisible()).toBe(true);
    expect(await page.locator('wendao-chat .panel').isVisible()).toBe(false);
    await launcher.click();
    await expect
      .poll(() => page.locator('wendao-chat .msg.customer .bubble').allTextContents())
      .toEqual(['退货期限是多久？']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a question asked in one tab in the other tab too, before its answer', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const first = await context.newPage();
    await first.goto(`${origin}/demo`);
    await first.getByRole('button', { name: '打开在线客服' }).click();
    await ask(first, '运费怎么算？');
    // The second tab shares the session (localStorage) and comes up with the panel open.
    const second = await context.newPage();
    await second.goto(`${origin}/demo`);
    await expect
      .poll(() => second.locator('wendao-chat .msg.customer .bubble').allTextContents())
      .toEqual(['运费怎么算？']);
    await expect.poll(() => second.locator('wendao-chat .status').getAttribute('data-state')).toBe('online');
    const answer = await ask(first, '发票怎么开？');
    const seq = Number(await answer.getAttribute('data-seq'));
    // The other tab showed the answer under the previous one, as if to a question never asked.
    await expect.poll(() => second.locator(`wendao-chat .msg.bot[data-seq="${seq}"]`).count()).toBe(1);
    const lines = await second
      .locator('wendao-chat .msg[data-seq]:not([data-seq="0"]) .bubble')
      .allTextContents();
    expect(lines.slice(-2)).toEqual(['发票怎么开？', await answer.locator('.bubble').textContent()]);
    expect(await first.locator('wendao-chat .msg.customer .bubble').allTextContents()).toEqual([
      '运费怎么算？',
      '发票怎么开？',
    ]);
    await context.close();
  });

  it('says "too fast" in the customer’s language and gives the refused message back to send again', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    await online(page);
    const input = page.locator('wendao-chat .composer input');
    // Over the per-session limit (10 in a window): the 11th is refused with rate_limited.
    for (let i = 1; i <= 11; i++) {
      await input.fill(`第${i}个问题：运费怎么算？`);
      await input.press('Enter');
    }
    const notice = page.locator('wendao-chat .msg.system .bubble');
    // The customer read the server's English ("too many messages from this session: at most 10 …"),
    // and the words they had typed were gone.
    await expect
      .poll(() => notice.allTextContents(), { timeout: 10_000 })
      .toEqual(['您发送得太快了，请稍等几秒再发送。']);
    await expect.poll(() => input.inputValue()).toBe('第11个问题：运费怎么算？');
    expect(await page.locator('wendao-chat .msg.customer .bubble').allTextContents()).not.toContain(
      '第11个问题：运费怎么算？',
    );
    await context.close();
  });

  it('keeps a message over the length limit whole and says how long it may be, in the customer’s language', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    await online(page);
    const input = page.locator('wendao-chat .composer input');
    // A pasted complaint of 600 characters was cut to its first 500 without a word, and sent so.
    const complaint = '我上周买的外套有质量问题，'.repeat(50).slice(0, 600);
    await input.fill(complaint);
    expect(await input.inputValue()).toBe(complaint);
    await input.press('Enter');
    await expect
      .poll(() => page.locator('wendao-chat .msg.system .bubble').allTextContents(), { timeout: 10_000 })
      .toEqual(['消息太长了（600 字），请删减到 500 字以内再发送。']);
    await expect.poll(() => input.inputValue()).toBe(complaint);
    expect(await page.locator('wendao-chat .msg.customer').count()).toBe(0);
    await context.close();
  });

  it('shows a message at once and delivers it after a lost connection comes back, not refused as sent too early', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    // The socket.io connection through a proxy in the page: it can lose a message on its way, and
    // refuse connections for a while, as a server that crashed and is starting again does.
    let down = false;
    let dropNextMessage = false;
    const open: { close(): Promise<void> }[] = [];
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (down) return void ws.close();
      const server = ws.connectToServer();
      open.push(ws);
      ws.onMessage((frame) => {
        if (dropNextMessage && typeof frame === 'string' && frame.includes('"message"')) {
          dropNextMessage = false;
          return;
        }
        server.send(frame);
      });
    });
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    await ask(page, '运费怎么算？');

    dropNextMessage = true;
    const input = page.locator('wendao-chat .composer input');
    await input.fill('退货期限是多久？');
    await input.press('Enter');
    // Shown while unanswered (it vanished from the input and appeared only with its answer) ...
    const pending = page.locator('wendao-chat .msg.customer.pending .bubble');
    await expect.poll(() => pending.allTextContents()).toEqual(['退货期限是多久？']);
    // ... then the connection drops and stays down past the 10 s the widget waits for an answer.
    down = true;
    for (const ws of open.splice(0)) await ws.close();
    await expect.poll(() => page.locator('wendao-chat .status').getAttribute('data-state')).toBe('offline');
    await page.waitForTimeout(11_000);
    down = false;
    // Back: the message goes after the session is resumed (socket.io's buffer sent it before
    // session:start, refused with the English 'start a session first (session:start)').
    await expect
      .poll(() => page.locator('wendao-chat .msg.bot .bubble').allTextContents(), { timeout: 15_000 })
      .toContain('7天内');
    expect(await page.locator('wendao-chat .msg.customer .bubble').allTextContents()).toEqual([
      '运费怎么算？',
      '退货期限是多久？',
    ]);
    expect(await page.locator('wendao-chat .msg.system').count()).toBe(0);
    expect(await input.inputValue()).toBe('');
    await context.close();
  });

  it('takes no vote while offline (it was refused after the reconnect in English), and one once back (widget-offline-zh.png)', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const answer = await ask(page, '退货期限是多久？');
    const up = answer.getByRole('button', { name: '有帮助', exact: true });
    await context.setOffline(true);
    await expect.poll(() => page.locator('wendao-chat .status').getAttribute('data-state')).toBe('offline');
    expect(await up.isDisabled()).toBe(true);
    await page.screenshot({ path: join(IMAGES, 'widget-offline-zh.png') });
    await up.click({ timeout: 1000 }).catch(() => undefined);
    await context.setOffline(false);
    await online(page);
    await up.click();
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    // The reconnect said nothing: the old widget's buffered vote read 'start a session first (session:start)'.
    expect(await page.locator('wendao-chat .msg.system').allTextContents()).toEqual([]);
    await context.close();
  });

  it('takes a message sent with Enter while offline, says it waits, and sends it once back (widget-offline-queued-*.png)', async () => {
    // Enter did nothing offline (the send button disabled, the text left in the input), with no word why.
    for (const lang of ['zh', 'en'] as const) {
      const zh = lang === 'zh';
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      await page.goto(`${origin}/demo?lang=${lang}`);
      await page.getByRole('button', { name: zh ? '打开在线客服' : 'Open the chat' }).click();
      await online(page);
      await context.setOffline(true);
      await expect.poll(() => page.locator('wendao-chat .status').getAttribute('data-state')).toBe('offline');
      const input = page.locator('wendao-chat .composer input');
      const question = zh ? '退货期限是多久？' : 'How do I return an item?';
      await input.fill(question);
      await input.press('Enter');
      const pending = page.locator('wendao-chat .msg.customer.pending');
      await expect.poll(() => pending.locator('.bubble').allTextContents()).toEqual([question]);
      expect(await input.inputValue()).toBe('');
      const note = pending.locator('.queued');
      expect(await note.isVisible()).toBe(true);
      expect(await note.textContent()).toBe(zh ? '连接恢复后自动发送' : 'Will be sent once reconnected');
      expect(await page.locator('wendao-chat .send').isDisabled()).toBe(false);
      await page.screenshot({ path: join(IMAGES, `widget-offline-queued-${lang}.png`) });
      await context.setOffline(false);
      const bots = page.locator('wendao-chat .msg.bot[data-seq]:not([data-seq="0"]) .bubble');
      await expect.poll(() => bots.count(), { timeout: 15_000 }).toBe(1);
      if (zh) expect(await bots.first().textContent()).toBe('7天内');
      else expect(await bots.first().textContent()).toContain('My orders');
      expect(await page.locator('wendao-chat .msg.customer .bubble').allTextContents()).toEqual([question]);
      expect(await pending.count()).toBe(0);
      expect(await page.locator('wendao-chat .msg.system').allTextContents()).toEqual([]);
      await context.close();
    }
  });

  it('answers on a page without WebSocket, over long-polling, instead of "connecting" for ever', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    // A page script (or an old embedded browser) without WebSocket: engine.io's WebSocket transport
    // threw before anyone listened and polling was never tried. Over polling, same-origin, the
    // handshake carries no Origin header: /demo's Referer says where the page is.
    await context.addInitScript(() => {
      delete (window as { WebSocket?: unknown }).WebSocket;
    });
    const page = await context.newPage();
    const transports = new Set<string>();
    page.on('request', (r) => {
      const transport = /[?&]transport=(\w+)/.exec(r.url())?.[1];
      if (transport) transports.add(transport);
    });
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const answer = await ask(page, '退货期限是多久？');
    await expect.poll(() => answer.locator('.bubble').textContent()).toBe('7天内');
    expect([...transports]).toEqual(['polling']);
    await context.close();
  });

  it('comes online over long-polling behind a proxy that takes the WebSocket upgrade and never answers', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    // The WebSocket opens and nothing comes through it: no error for engine.io to fall back on, only
    // socket.io's 20 s connection timeout, and every later attempt tried WebSocket again.
    await page.routeWebSocket(/\/socket\.io\//, () => {});
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    await expect
      .poll(() => page.locator('wendao-chat .status').getAttribute('data-state'), { timeout: 35_000 })
      .toBe('online');
    const answer = await ask(page, '退货期限是多久？');
    await expect.poll(() => answer.locator('.bubble').textContent()).toBe('7天内');
    await context.close();
  });

  it('keeps the keyboard in the chat after an option is picked with Enter, or a human asked for', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const focusedInWidget = () =>
      page.evaluate(() => {
        const active = document.querySelector('wendao-chat')!.shadowRoot!.activeElement;
        return active
          ? `${active.tagName.toLowerCase()}.${active.className}`
          : document.activeElement!.tagName;
      });
    const clarify = await ask(page, '退货退款');
    const option = clarify.locator('.reply').first();
    await expect.poll(() => option.count()).toBe(1);
    const bots = page.locator('wendao-chat .msg.bot[data-seq]:not([data-seq="0"])');
    const before = await bots.count();
    await option.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => bots.count()).toBeGreaterThan(before);
    // The option, disabled once answered, dropped the focus on the page's body.
    await expect.poll(focusedInWidget).toBe('input.');
    await page.keyboard.type('运费怎么算？');
    await page.keyboard.press('Enter');
    await expect.poll(() => bots.count()).toBeGreaterThan(before + 1);

    // 转人工 from the keyboard: the button hides while a human is awaited; the input keeps the focus.
    await page.getByRole('button', { name: '转人工', exact: true }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('wendao-chat .handoff').isVisible()).toBe(true);
    await expect.poll(focusedInWidget).toBe('input.');
    await context.close();
  });

  it('looks the same under hostile host-page CSS, and on a desktop-width page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const answer = await ask(page, '运费怎么算？');
    await expect.poll(() => answer.locator('.bubble').textContent()).toContain('包邮');
    await page.screenshot({ path: join(IMAGES, 'widget-zh-1280.png') });

    const look = () =>
      page.evaluate(() => {
        const root = document.querySelector('wendao-chat')!.shadowRoot!;
        return ['.panel', '.header h2', '.msg.bot .bubble', '.composer input', '.send', '.launcher'].map(
          (sel) => {
            const node = root.querySelector(sel)!;
            const box = node.getBoundingClientRect();
            const s = getComputedStyle(node);
            return {
              sel,
              box: [box.x, box.y, box.width, box.height],
              style: [s.display, s.color, s.fontSize, s.background],
            };
          },
        );
      });
    const before = await look();
    await page.addStyleTag({
      content: `:not(html):not(body) { display: none !important; color: red !important; font-size: 40px !important;
        background: yellow !important; position: static !important; width: 10px !important; }
        body { font-family: serif !important; color: red !important; line-height: 5 !important; }`,
    });
    // The host page itself is wrecked by its CSS ...
    expect(await page.locator('header h1').isVisible()).toBe(false);
    // ... the widget is not.
    expect(await look()).toEqual(before);
    expect(await page.locator('wendao-chat .panel').isVisible()).toBe(true);
    await context.close();
  });

  it('gives the open panel the launcher’s room on a phone in landscape (widget-landscape-zh.png); × and Escape bring the launcher back', async () => {
    const context = await browser.newContext({ viewport: { width: 740, height: 375 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${origin}/demo`);
    const launcher = page.locator('wendao-chat .launcher');
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const answer = await ask(page, '退货期限是多久？');
    await expect.poll(() => answer.locator('.bubble').textContent()).toBe('7天内');
    // The launcher under the panel left it 275 px (170 for the messages); now it is hidden while
    // the panel is open, and the panel reaches 16 px from the top and the bottom.
    const panel = await page.locator('wendao-chat .panel').boundingBox();
    expect(panel).toMatchObject({ y: 16, height: 375 - 32 });
    expect(await launcher.isVisible()).toBe(false);
    const log = await page.locator('wendao-chat .log').boundingBox();
    expect(log!.height).toBeGreaterThan(220);
    await page.screenshot({ path: join(IMAGES, 'widget-landscape-zh.png') });

    // The panel's × stays reachable; closing shows the launcher again, with the focus on it.
    await page.getByRole('button', { name: '关闭客服窗口' }).click();
    expect(await launcher.isVisible()).toBe(true);
    const focused = () => launcher.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b);
    expect(await focused()).toBe(true);
    // Escape as well.
    await launcher.click();
    expect(await launcher.isVisible()).toBe(false);
    await page.locator('wendao-chat .composer input').press('Escape');
    expect(await launcher.isVisible()).toBe(true);
    expect(await focused()).toBe(true);
    await context.close();
  });

  it("answers a first message without letters in the widget's language (an emoji in English was answered in Chinese)", async () => {
    for (const [lang, reply] of [
      ['en', /^Sorry/],
      ['zh', /^抱歉/],
    ] as const) {
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      await page.goto(`${origin}/demo?lang=${lang}`);
      await page.getByRole('button', { name: lang === 'en' ? 'Open the chat' : '打开在线客服' }).click();
      const answer = await ask(page, '😡');
      await expect.poll(() => answer.locator('.bubble').textContent()).toMatch(reply);
      await context.close();
    }
  });

  it('in English: a thumbs-down stays pressed after a reload; the screenshot widget-en-375.png', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/demo?lang=en`);
    await page.getByRole('button', { name: 'Open the chat' }).click();
    const answer = await ask(page, 'How do I return an item?');
    await expect.poll(() => answer.locator('.bubble').textContent()).toContain('My orders');
    expect(await page.locator('wendao-chat .log').ariaSnapshot()).toMatch(
      /Assistant: Hello! How can I help you\? You: How do I return an item\? Assistant: \S/,
    );
    await answer.getByRole('button', { name: 'Not helpful', exact: true }).click();
    await expect.poll(() => pressed(answer, ['Helpful', 'Not helpful'])).toEqual(['false', 'true']);
    await page.screenshot({ path: join(IMAGES, 'widget-en-375.png') });
    const seq = await answer.getAttribute('data-seq');

    await page.reload();
    const replayed = page.locator(`wendao-chat .msg.bot[data-seq="${seq}"]`);
    await expect.poll(() => replayed.count()).toBe(1);
    expect(await pressed(replayed, ['Helpful', 'Not helpful'])).toEqual(['false', 'true']);
    // Voting again from the reloaded page moves the press.
    await replayed.getByRole('button', { name: 'Helpful', exact: true }).click();
    await expect.poll(() => pressed(replayed, ['Helpful', 'Not helpful'])).toEqual(['true', 'false']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the whole input placeholder beside the talk-to-a-human button, in English and Chinese, phone and desktop', async () => {
    const seen: unknown[] = [];
    for (const lang of ['en', 'zh'] as const)
      // 320: the narrowest phones still sold (the placeholder read "Ask a questic" there).
      for (const width of [320, 375, 1280]) {
        const context = await browser.newContext({ viewport: { width, height: 740 } });
        const page = await context.newPage();
        await page.goto(`${origin}/demo?lang=${lang}`);
        await page.getByRole('button', { name: lang === 'en' ? 'Open the chat' : '打开在线客服' }).click();
        const human = page.getByRole('button', {
          name: lang === 'en' ? 'Talk to a human' : '转人工',
          exact: true,
        });
        expect(await human.isVisible()).toBe(true);
        seen.push({ lang, width, ...(await placeholderFits(page)) });
        await context.close();
      }
    expect(seen).toEqual(seen.map((s) => ({ ...(s as object), fits: true })));
  });

  it('keeps the header title on one line on a 320-px phone, in English and Chinese, online and offline (widget-320-*.png)', async () => {
    // 'Customer service' wrapped onto two lines beside the status there, and the header grew.
    const seen: unknown[] = [];
    for (const lang of ['en', 'zh'] as const) {
      const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
      const page = await context.newPage();
      await page.goto(`${origin}/demo?lang=${lang}`);
      await page.getByRole('button', { name: lang === 'en' ? 'Open the chat' : '打开在线客服' }).click();
      await online(page);
      const title = () =>
        page.evaluate(() => {
          const h2 = document.querySelector('wendao-chat')!.shadowRoot!.querySelector('.header h2')!;
          const lineHeight = parseFloat(getComputedStyle(h2).lineHeight);
          return { text: h2.textContent, oneLine: h2.getBoundingClientRect().height < lineHeight * 1.5 };
        });
      seen.push({ lang, state: 'online', ...(await title()) });
      await context.setOffline(true);
      await expect.poll(() => page.locator('wendao-chat .status').getAttribute('data-state')).toBe('offline');
      seen.push({ lang, state: 'offline', ...(await title()) });
      // Offline: the longest status, the one that wrapped the English title.
      await page.screenshot({ path: join(IMAGES, `widget-320-${lang}.png`) });
      await context.close();
    }
    expect(seen).toEqual(seen.map((s) => ({ ...(s as object), oneLine: true })));
  });

  it('shows an FAQ answer made of HTML as text, never running it', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> 请看说明';
    await t.api
      .post(`/api/kbs/${kbId}/faqs`)
      .send({ question: '礼品卡怎么激活？', answer: hostile })
      .expect(201);
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    await expect.poll(() => page.locator('wendao-chat .status').textContent()).toBe('在线');
    const answer = await ask(page, '礼品卡怎么激活？');
    await expect.poll(() => answer.locator('.bubble').textContent()).toBe(hostile);
    expect(
      await page.evaluate(
        () => document.querySelector('wendao-chat')!.shadowRoot!.querySelectorAll('img, script').length,
      ),
    ).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await context.close();
  });

  it('answers the follow-up 那换货呢？ and carries a conversation with a human agent', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    let agent: ChatClient | undefined;
    try {
      await page.goto(`${origin}/demo`);
      await page.getByRole('button', { name: '打开在线客服' }).click();
      await expect.poll(() => page.locator('wendao-chat .status').textContent()).toBe('在线');
      await ask(page, '退货期限是多久？');
      const followUp = await ask(page, '那换货呢？');
      await expect.poll(() => followUp.locator('.bubble').textContent()).toContain('换货');
      expect(await followUp.locator('details.source summary').textContent()).toContain('可以换货吗？');

      agent = await connectChat(origin, { agent: true });
      await agent.send('agent:join', { token: AGENT_TOKEN, name: 'alice' });
      await page.getByRole('button', { name: '转人工' }).click();
      const queued = await agent.waitFor('agent:queue');
      await agent.send('agent:take', { sessionId: queued.sessionId });
      await agent.send('agent:message', { sessionId: queued.sessionId, text: '您好，我是客服小王。' });
      await expect
        .poll(() => page.locator('wendao-chat .msg.agent .bubble').allTextContents())
        .toEqual(['您好，我是客服小王。']);
      await page.locator('wendao-chat .composer input').fill('我的订单号是 12345');
      await page.locator('wendao-chat .composer input').press('Enter');
      expect((await agent.waitFor('customer:message')).text).toBe('我的订单号是 12345');

      // While the agent serves, the customer is not offered an agent again, also after a reload.
      const human = page.locator('wendao-chat .composer .human');
      expect(await human.isVisible()).toBe(false);
      await page.reload();
      await expect
        .poll(() => page.locator('wendao-chat .msg.agent .bubble').allTextContents())
        .toEqual(['您好，我是客服小王。']);
      expect(await human.isVisible()).toBe(false);
      // Handed back to the bot: the button is back.
      await agent.send('agent:handback', { sessionId: queued.sessionId });
      await expect.poll(() => human.isVisible()).toBe(true);
      // Taken again and closed by the agent: back again.
      const from = agent.events.length;
      await human.click();
      await agent.waitFor('agent:queue', (q) => q.sessionId === queued.sessionId, from);
      await agent.send('agent:take', { sessionId: queued.sessionId });
      await expect.poll(() => human.isVisible()).toBe(false);
      await agent.send('agent:close', { sessionId: queued.sessionId });
      await expect.poll(() => human.isVisible()).toBe(true);
    } finally {
      agent?.socket.disconnect();
      await context.close();
    }
  });

  it('lets only the latest bot message’s quick replies be pressed, and none while an agent is awaited or serves (widget-quick-replies-zh.png)', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    let agent: ChatClient | undefined;
    /** The quick replies of a bot message: label and whether it can be pressed. */
    const replies = (message: Locator) =>
      message
        .locator('.reply')
        .evaluateAll((buttons) => buttons.map((b) => [b.textContent, !(b as HTMLButtonElement).disabled]));
    try {
      await page.goto(`${origin}/demo`);
      await page.getByRole('button', { name: '打开在线客服' }).click();
      const first = await ask(page, '退休金怎么领取？');
      await expect.poll(() => replies(first)).toContainEqual(['转人工', true]);
      expect((await replies(first)).every(([, live]) => live)).toBe(true);

      // A later answer retires them, visibly.
      await ask(page, '运费怎么算？');
      await expect.poll(() => replies(first)).toContainEqual(['转人工', false]);
      expect((await replies(first)).some(([, live]) => live)).toBe(false);
      const second = await ask(page, '退休金怎么领取？');
      await expect.poll(() => replies(second)).toContainEqual(['转人工', true]);
      const look = (message: Locator) =>
        message
          .locator('.reply')
          .last()
          .evaluate((b) => [getComputedStyle(b).color, getComputedStyle(b).cursor]);
      const [live, retired] = [await look(second), await look(first)];
      expect(retired[0]).not.toBe(live[0]);
      expect(retired[1]).toBe('default');
      await page.screenshot({ path: join(IMAGES, 'widget-quick-replies-zh.png') });

      // The latest 转人工 asks for a human; while waiting and with the agent, no quick reply works.
      agent = await connectChat(origin, { agent: true });
      await agent.send('agent:join', { token: AGENT_TOKEN, name: 'alice' });
      await second.getByRole('button', { name: '转人工' }).click();
      const queued = await agent.waitFor('agent:queue');
      await expect.poll(async () => (await replies(second)).some(([, on]) => on)).toBe(false);
      await agent.send('agent:take', { sessionId: queued.sessionId });
      await page.reload();
      await expect
        .poll(() => page.locator('wendao-chat .msg.system').last().textContent())
        .toContain('人工客服已接入');
      const all = page.locator('wendao-chat .reply');
      expect(await all.count()).toBeGreaterThan(2);
      expect(
        await all.evaluateAll((buttons) => buttons.filter((b) => !(b as HTMLButtonElement).disabled).length),
      ).toBe(0);
      // Handed back: the bot's message is now the latest, and it offers none.
      await agent.send('agent:handback', { sessionId: queued.sessionId });
      await expect.poll(() => page.locator('wendao-chat .composer .human').isVisible()).toBe(true);
      expect(
        await all.evaluateAll((buttons) => buttons.filter((b) => !(b as HTMLButtonElement).disabled).length),
      ).toBe(0);
    } finally {
      agent?.socket.disconnect();
      await context.close();
    }
  });

  it('shows the thumbs under answers only, not under a clarification or a fallback', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const thumbs = (message: Locator) => message.getByRole('button', { name: /^(有帮助|没有帮助)$/ });
    try {
      await page.goto(`${origin}/demo`);
      await page.getByRole('button', { name: '打开在线客服' }).click();
      // 退货 and 退款 are two entries within the demo KB's margin: the bot asks which, with a button each.
      const clarify = await ask(page, '退货退款');
      await expect.poll(() => clarify.locator('.bubble').textContent()).toContain('您是想问');
      const option = clarify.getByRole('button', { name: '如何申请退货？', exact: true });
      expect(await option.count()).toBe(1);
      expect(await thumbs(clarify).count()).toBe(0);

      // The option picked is the answer, and the customer can say whether it helped.
      const bots = page.locator('wendao-chat .msg.bot[data-seq]:not([data-seq="0"])');
      const before = await bots.count();
      await option.click();
      await expect.poll(() => bots.count()).toBe(before + 1);
      const answer = bots.nth(before);
      expect(await answer.locator('.bubble').textContent()).toContain('申请售后');
      expect(await thumbs(answer).count()).toBe(2);

      const fallback = await ask(page, '你们公司招聘客服吗？');
      await expect.poll(() => fallback.locator('.reply').count()).toBeGreaterThan(0);
      expect(await thumbs(fallback).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('says the customer is waiting for an agent, until they stop; leaving a message reads otherwise (widget-handoff-*.png)', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const bar = page.locator('wendao-chat .handoff');
    const human = page.locator('wendao-chat .composer .human');
    const input = page.locator('wendao-chat .composer input');
    let agent: ChatClient | undefined;
    try {
      agent = await connectChat(origin, { agent: true });
      await agent.send('agent:join', { token: AGENT_TOKEN, name: 'alice' });
      await page.goto(`${origin}/demo`);
      await page.getByRole('button', { name: '打开在线客服' }).click();
      await ask(page, '运费怎么算？');
      await human.click();
      const queued = await agent.waitFor('agent:queue');
      await expect.poll(() => bar.isVisible()).toBe(true);
      expect(await bar.textContent()).toContain('正在为您转接人工客服，请稍候…');
      expect(await human.isVisible()).toBe(false);
      await page.screenshot({ path: join(IMAGES, 'widget-handoff-zh.png') });

      // Still waiting after a reload: the state comes from session:ready.
      await page.reload();
      await expect.poll(() => bar.textContent()).toContain('正在为您转接人工客服');
      expect(await human.isVisible()).toBe(false);

      // The customer stops waiting: back with the bot, and the agents drop the session.
      await page.getByRole('button', { name: '取消转人工' }).click();
      await expect.poll(() => bar.isVisible()).toBe(false);
      expect(await agent.waitFor('agent:dequeued')).toEqual({
        sessionId: queued.sessionId,
        reason: 'cancelled',
      });
      await expect
        .poll(() => page.locator('wendao-chat .msg.bot .bubble').last().textContent())
        .toContain('已取消转人工');
      expect(await human.isVisible()).toBe(true);
      const again = await ask(page, '运费怎么算？');
      expect(await again.locator('.bubble').textContent()).toContain('包邮');

      // Nobody online: asking for a human offers to leave a message, and says so otherwise.
      agent.socket.disconnect();
      agent = undefined;
      await new Promise((r) => setTimeout(r, 200));
      await human.click();
      await expect.poll(() => bar.getAttribute('data-handoff')).toBe('leaving_message');
      expect(await bar.textContent()).toContain('暂无人工客服在线，请留言');
      expect(await bar.textContent()).not.toContain('正在为您转接');
      expect(await placeholderFits(page)).toMatchObject({
        placeholder: '请留下您的问题和联系方式…',
        fits: true,
      });
      const left = await ask(page, '我的订单 12345 还没发货，电话 13800000000');
      expect(await left.locator('.bubble').textContent()).toContain('已收到您的留言');
      await expect.poll(() => bar.isVisible()).toBe(false);
      expect(await input.getAttribute('placeholder')).toBe('请输入您的问题…');
      expect(await human.isVisible()).toBe(true);
    } finally {
      agent?.socket.disconnect();
      await context.close();
    }

    // In English, leaving a message, and going back to the assistant instead.
    const en = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'en-US' });
    const enPage = await en.newPage();
    try {
      await enPage.goto(`${origin}/demo?lang=en`);
      await enPage.getByRole('button', { name: 'Open the chat' }).click();
      const fallback = await ask(enPage, 'Do you sell used cars?');
      const offered = fallback.locator('.reply');
      await expect.poll(() => offered.count()).toBeGreaterThan(0);
      expect(await offered.first().isDisabled()).toBe(false);
      await enPage.locator('wendao-chat .composer .human').click();
      const enBar = enPage.locator('wendao-chat .handoff');
      // A suggestion pressed now would be left for an agent as the message: none can be.
      await expect.poll(() => offered.first().isDisabled()).toBe(true);
      // The bot's notice in the customer's language, on the demo's mixed-language KB too.
      await expect
        .poll(() => enPage.locator('wendao-chat .msg.bot .bubble').last().textContent())
        .toContain('no agent is online');
      await expect.poll(() => enBar.textContent()).toContain('No agent online: leave a message');
      expect(await placeholderFits(enPage)).toMatchObject({
        placeholder: 'Your message and contact info…',
        fits: true,
      });
      await enPage.screenshot({ path: join(IMAGES, 'widget-handoff-en.png') });
      await enPage.getByRole('button', { name: 'Back to the assistant' }).click();
      await expect.poll(() => enBar.isVisible()).toBe(false);
      const answered = await ask(enPage, 'How do I return an item?');
      expect(await answered.locator('.bubble').textContent()).toContain('My orders');
    } finally {
      await en.close();
    }
  });

  it('says the chat is unavailable, in its language, once the page’s key is revoked; no endless "reconnecting"', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${origin}/demo`);
    await page.getByRole('button', { name: '打开在线客服' }).click();
    await ask(page, '运费怎么算？');
    const keys = (await t.api.get(`/api/kbs/${kbId}/widget-keys`).expect(200)).body as {
      id: string;
      revokedAt: string | null;
    }[];
    for (const key of keys.filter((k) => !k.revokedAt))
      await t.api.delete(`/api/kbs/${kbId}/widget-keys/${key.id}`).expect(204);
    const status = page.locator('wendao-chat .status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('unavailable');
    expect(await status.textContent()).toBe('客服暂不可用');
    await expect
      .poll(() => page.locator('wendao-chat .msg.system').allTextContents())
      .toContain('本页面的在线客服已停用，请通过其他方式联系商家。');
    // It stays so: the server closed the chat and the widget does not pretend to reconnect.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await status.getAttribute('data-state')).toBe('unavailable');
    expect(await page.locator('wendao-chat .send').isDisabled()).toBe(true);
    await context.close();
  });
});
