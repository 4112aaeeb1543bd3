/**
 * Two sessions of one KB taken in the agent console (chromium, the real API and chat socket): each
 * card says what tells it apart, the customer's first words, when it started and how long the
 * customer has waited for a reply. Screenshots: admin-agent-two-sessions(-en).png.
 */
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../api/test/support/chat-client';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import type { TestApp } from '../../api/test/support/test-app';
import { chatKb, openConsole, startCustomer } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');

async function shot(page: Page, name: string) {
  await poll(() => page.locator('.mantine-Notification-root').count()).toBe(0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(IMAGES, name) });
}

describe('taken sessions told apart in the agent console, in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let key: string;
  const clients: ChatClient[] = [];

  /** A customer writes, then asks for a human (an agent is online: the session waits in the queue). */
  const askForHuman = async (clientId: string, text: string) => {
    const { customer: c } = await startCustomer(origin, key, clients);
    const sent = await c.send('message', { clientId, text });
    await c.waitFor('bot:message', (m) => m.seq === sent.seq + 1);
    await c.send('handoff:request', { clientId: `${clientId}-h` });
  };

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    ({ key } = await chatKb(t));
  });

  afterAll(async () => {
    for (const c of clients) c.socket.close();
    await app?.close();
  });

  it('shows each taken session its first words, start and wait (zh, then en)', async () => {
    const { context, page } = await openConsole(browser, `${origin}/admin/agent`);
    await poll(() => page.getByTestId('agent-status').textContent()).toBe('在线');

    await askForHuman('a-1', '我上周买的羽绒服想退货，但是吊牌已经剪掉了，还能退吗？');
    await askForHuman('b-1', '发票抬头开错了怎么办');
    const queued = page.getByTestId('queued-session');
    await poll(() => queued.count()).toBe(2);
    for (let i = 0; i < 2; i++) await queued.first().getByRole('button', { name: '接入' }).click();
    const sessions = page.getByTestId('agent-session');
    await poll(() => sessions.count()).toBe(2);

    const summaries = await sessions.getByTestId('agent-session-summary').allInnerTexts();
    expect(summaries.some((s) => s.includes('我上周买的羽绒服想退货，但是吊牌已经剪掉了，还能退吗？'))).toBe(
      true,
    );
    expect(summaries.some((s) => s.includes('发票抬头开错了怎么办'))).toBe(true);
    for (const s of summaries)
      expect(s).toMatch(/\d{2}:\d{2} 开始 · 顾客(已等待不到 1 分钟|已等待回复 \d+ 分钟)/);
    expect(new Set(summaries).size).toBe(2);
    await shot(page, 'admin-agent-two-sessions.png');

    await page.getByText('English', { exact: true }).click();
    await poll(() => page.getByTestId('agent-session-summary').first().innerText()).toMatch(
      /Started .+ · Customer (waiting under a minute|waiting for a reply for \d+ min)/,
    );
    await shot(page, 'admin-agent-two-sessions-en.png');
    await context.close();
  });
});
