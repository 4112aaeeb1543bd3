/**
 * Following up a message a customer left, in the agent console, in a real browser (Debian's chromium
 * through playwright-core) against the real API, PostgreSQL and the chat socket: a customer still in
 * the chat is answered there (the console takes the session and marks the message handled by the
 * agent); one who has gone is answered through the contact details, which copy with a click. The
 * language switch re-words the whole console, a taken session and the server's refusal included.
 * Screenshots go to docs/images/admin-agent-follow-up.png and -en.png.
 */
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatClient, type Payload } from '../../api/test/support/chat-client';
import { startBrowserApp, type BrowserApp } from '../../api/test/support/browser-app';
import type { TestApp } from '../../api/test/support/test-app';
import { ChatGateway } from '../../api/src/chat/chat.gateway';
import { chatKb, newConsoleContext, openConsole, signIn, startCustomer } from './sign-in';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const IMAGES = resolve(__dirname, '../../../docs/images');

async function shot(page: Page, name: string) {
  await poll(() => page.locator('.mantine-Notification-root').count()).toBe(0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(IMAGES, name), fullPage: true });
}

describe('following up left messages in the agent console, in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: BrowserApp;
  let key: string;
  let kbId: string;
  const clients: ChatClient[] = [];

  /** A customer asks for a human while no agent is online, and leaves a message. */
  const leaveMessage = async (clientId: string, text: string) => {
    const { customer: c, ready } = await startCustomer(origin, key, clients);
    const asked = await c.send('handoff:request', { clientId: `${clientId}-h` });
    expect((await c.waitFor('bot:message', (m) => m.seq === asked.seq + 1)).text).toContain(
      '没有人工客服在线',
    );
    const left = await c.send('message', { clientId, text });
    expect((await c.waitFor('bot:message', (m) => m.seq === left.seq + 1)).kind).toBe('message_left');
    return { customer: c, sessionId: ready.sessionId as string, seq: left.seq as number };
  };

  beforeAll(async () => {
    app = await startBrowserApp(resolve(__dirname, '../vite.config.ts'), (adminDir) => ({ adminDir }));
    ({ t, browser, origin } = app);
    ({ kbId, key } = await chatKb(t));
  });

  afterAll(async () => {
    for (const c of clients) c.socket.close();
    await app?.close();
  });

  it('replies in the chat to a customer still there, and points to the contact details of one who has gone', async () => {
    const staying = await leaveMessage('l-1', '发票抬头开错了，请联系我 13800000000');
    const going = await leaveMessage(
      'l-2',
      '退款一周了还没到账，订单 20261201001，邮箱 wang.fang@example.com',
    );
    going.customer.socket.disconnect();

    const context = await newConsoleContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/admin/agent`);
    await signIn(page);
    await poll(() => page.getByTestId('agent-status').textContent()).toBe('在线');
    const leftMessages = page.getByTestId('left-message');
    await poll(() => leftMessages.count()).toBe(2);
    const invoice = leftMessages.filter({ hasText: '发票抬头开错了' });
    const refund = leftMessages.filter({ hasText: '退款一周了还没到账' });

    // The contact details copy with a click.
    await refund.getByRole('button', { name: '复制 wang.fang@example.com' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('wang.fang@example.com');
    await invoice.getByRole('button', { name: '复制 13800000000' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('13800000000');

    // The refund's customer has gone: the card says to use the contact details; nothing is taken.
    await refund.getByRole('button', { name: '在对话中回复' }).click();
    await poll(() => refund.getByTestId('left-customer-gone').textContent()).toBe(
      '顾客已离开对话：请通过上面的联系方式回复，回复后标记为已处理。',
    );
    expect(await refund.getByRole('button', { name: '在对话中回复' }).count()).toBe(0);
    expect(await page.getByTestId('agent-session').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);

    // The invoice's customer is still in the chat: the session opens here, the message is handled.
    await invoice.getByRole('button', { name: '在对话中回复' }).click();
    const session = page.getByTestId('agent-session');
    await poll(() => session.getByTestId('agent-messages').textContent()).toContain('发票抬头开错了');
    expect(await staying.customer.waitFor('agent:joined')).toMatchObject({ event: 'agent_joined' });
    await poll(() => page.getByTestId('left-count').textContent()).toBe('1 条待处理');
    await session.getByLabel('回复顾客').fill('您好，发票抬头要改成什么？');
    await session.getByRole('button', { name: '发送' }).click();
    expect((await staying.customer.waitFor('agent:message')).text).toBe('您好，发票抬头要改成什么？');
    await staying.customer.send('message', { clientId: 'l-1-b', text: '改成问道科技有限公司，谢谢' });
    await poll(() => session.getByTestId('agent-messages').textContent()).toContain('改成问道科技有限公司');

    const me = (await t.api.get('/api/auth/me').expect(200)).body.user;
    const handled = (await t.api.get('/api/agent/left-messages?handled=true').expect(200)).body as Payload[];
    expect(handled.map((m) => [m.sessionId, m.seq, m.handledBy])).toEqual([
      [staying.sessionId, staying.seq, me.name || me.email],
    ]);
    const log = (await t.api.get(`/api/organisations/${t.organisationId}/audit-log`).expect(200))
      .body as Payload[];
    expect(log.filter((e) => e.targetId === `${staying.sessionId}/${staying.seq}`)).toHaveLength(1);
    await shot(page, 'admin-agent-follow-up.png');

    // Answered by email: marked handled by hand.
    await refund.getByRole('button', { name: '标记已处理' }).click();
    await poll(() => leftMessages.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says the same in English', async () => {
    // The first test's console has closed: its agent socket is gone before a customer asks for one
    // (on a fast machine the next handoff came first and was "connecting you to an agent").
    const gateway = t.wendao.app.get(ChatGateway);
    await poll(() => gateway.agentsOnline({ kbId, organisationId: t.organisationId })).toBe(0);
    await leaveMessage('l-3', 'Wrong size delivered, call me on +44 20 7946 0958');
    clients[clients.length - 1].socket.disconnect();
    const { context, page } = await openConsole(browser, `${origin}/admin/agent`, { locale: 'en-US' });
    await poll(() => page.getByTestId('agent-status').textContent()).toBe('online');
    const left = page.getByTestId('left-message');
    await poll(() => left.count()).toBe(1);
    await left.getByRole('button', { name: 'Reply in chat' }).click();
    await poll(() => left.getByTestId('left-customer-gone').textContent()).toBe(
      'The customer has left the chat: reply through the contact details above, then mark it handled.',
    );
    expect(await left.getByRole('button', { name: 'Copy +44 20 7946 0958' }).count()).toBe(1);
    await page.getByRole('switch', { name: 'Show handled' }).check();
    await poll(() => left.count()).toBe(3);
    await shot(page, 'admin-agent-follow-up-en.png');
    await context.close();
  });

  it('re-words the whole console, a taken session and its refusal included, when the language is switched', async () => {
    const gateway = t.wendao.app.get(ChatGateway);
    await poll(() => gateway.agentsOnline({ kbId, organisationId: t.organisationId })).toBe(0);
    const agent = await t.userWithRole('agent');
    const { context, page } = await openConsole(browser, `${origin}/admin/agent`, {
      who: { email: agent.email, password: 'test-user-password' },
    });
    await poll(() => page.getByTestId('agent-status').textContent()).toBe('在线');

    // A customer asks for a human while this agent is online: queued, then taken.
    const customer = await connectChat(origin, { key });
    clients.push(customer);
    await customer.send('session:start', {});
    await customer.send('handoff:request', { clientId: 'w-1' });
    const queued = page.getByTestId('queued-session');
    await poll(() => queued.textContent()).toContain('顾客要求转人工');
    await queued.getByRole('button', { name: '接入' }).click();
    const session = page.getByTestId('agent-session');
    await poll(() => session.getByRole('button', { name: '交还机器人' }).count()).toBe(1);

    // The owner lowers the agent to viewer: the server closes the console's socket and says why.
    await t.api
      .patch(`/api/organisations/${t.organisationId}/users/${agent.userId}`)
      .send({ role: 'viewer' })
      .expect(200);
    await poll(() => page.getByRole('alert').textContent()).toBe(
      '你已不再接待这个组织的客户（已被移出组织，或角色已低于客服）。请重新打开客服台。',
    );

    await page.getByText('English', { exact: true }).click();
    await poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('Agent console');
    expect(await page.getByRole('alert').textContent()).toBe(
      'You no longer serve the customers of this organisation (removed from it, or your role is now below agent). Open the console again.',
    );
    expect(await page.getByTestId('agent-status').textContent()).toBe('offline');
    expect(await page.getByTestId('agent-queue').getByRole('heading').textContent()).toBe(
      'Waiting for an agent',
    );
    expect(await session.getByRole('button', { name: 'Hand back to the bot' }).count()).toBe(1);
    expect(await session.getByTestId('agent-messages').textContent()).toContain('Customer');
    expect(await session.getByLabel('Reply to the customer').count()).toBe(1);
    await context.close();
  });
});
