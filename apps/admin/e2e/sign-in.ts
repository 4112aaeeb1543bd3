/**
 * Signing in on the login page every new browser gets (the API answers 401 without a session),
 * opening the console in a new browser context, and a KB's chat with customers in it, for the admin
 * console's browser tests.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { connectChat, type ChatClient, type Payload } from '../../api/test/support/chat-client';
import { createKb, TEST_OWNER, type TestApp } from '../../api/test/support/test-app';

export const ZH_LABELS = { email: '邮箱', password: '密码', submit: '登录' };
export const EN_LABELS = { email: 'Email', password: 'Password', submit: 'Sign in' };

export interface SignInOptions {
  /** Who signs in (default the test organisation's owner). */
  who?: { email: string; password: string };
  /** The login form's labels in the page's language (default Chinese). */
  labels?: typeof ZH_LABELS;
  /** A wrong password first, to see the server's refusal. */
  wrongFirst?: boolean;
  /** How long to wait for the form and for the page behind it (ms). */
  timeout?: number;
}

export async function signIn(page: Page, options: SignInOptions = {}): Promise<void> {
  const { who = TEST_OWNER, labels = ZH_LABELS, wrongFirst = false, timeout = 20_000 } = options;
  const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout });
  const submit = page.getByRole('button', { name: labels.submit, exact: true });
  await poll(() => submit.count()).toBe(1);
  await page.getByLabel(labels.email).fill(who.email);
  if (wrongFirst) {
    await page.getByLabel(labels.password).fill('not-the-password');
    await submit.click();
    await poll(() => page.getByRole('alert').count()).toBe(1);
  }
  await page.getByLabel(labels.password).fill(who.password);
  await submit.click();
  await poll(() => page.getByRole('heading', { level: 2 }).count()).toBe(1);
}

export interface ConsoleOptions {
  /** The browser's locale (default Chinese). */
  locale?: 'zh-CN' | 'en-US';
  /** The window's size (default 1280×860). */
  viewport?: { width: number; height: number };
}

/** A new browser context for the console: a locale, a window size, no animations. */
export function newConsoleContext(browser: Browser, options: ConsoleOptions = {}): Promise<BrowserContext> {
  const { locale = 'zh-CN', viewport = { width: 1280, height: 860 } } = options;
  return browser.newContext({ viewport, locale, reducedMotion: 'reduce' });
}

/**
 * A page of the console at url in a new context (newConsoleContext), signed in with the login
 * form's labels in the context's language (unless labels says otherwise).
 */
export async function openConsole(
  browser: Browser,
  url: string,
  options: ConsoleOptions & SignInOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const { locale, viewport, ...signInOptions } = options;
  const context = await newConsoleContext(browser, { locale, viewport });
  const page = await context.newPage();
  await page.goto(url);
  await signIn(page, { labels: locale === 'en-US' ? EN_LABELS : ZH_LABELS, ...signInOptions });
  return { context, page };
}

/** A Chinese KB 售后客服 and a widget key for its chat. */
export async function chatKb(t: TestApp): Promise<{ kbId: string; key: string }> {
  const kbId = await createKb(t.api, '售后客服', 'zh');
  const key = (await t.api.post(`/api/kbs/${kbId}/widget-keys`).send({}).expect(201)).body.key;
  return { kbId, key };
}

/** A customer in the chat of a widget key, its session started; kept in clients, to be closed after. */
export async function startCustomer(
  origin: string,
  key: string,
  clients: ChatClient[],
): Promise<{ customer: ChatClient; ready: Payload }> {
  const customer = await connectChat(origin, { key });
  clients.push(customer);
  const ready = await customer.send('session:start', {});
  return { customer, ready };
}
