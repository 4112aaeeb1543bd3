/**
 * The /demo page's notice that the demo widget key leaves the page out, in chromium, with the API
 * behind a reverse proxy as nginx forwards by default: the Host header is the upstream's, the page's
 * host in X-Forwarded-Host (trusted: WENDAO_TRUST_PROXY=loopback). The notice follows the origin the
 * browser is on, the one the widget's socket sends, whatever Host the server saw.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib/api-server';
import { launchChromium } from '../../api/test/support/browser';
import { startTestApp, type TestApp } from '../../api/test/support/test-app';

/** A reverse proxy to `upstream`: Host becomes the upstream's, the page's host goes in X-Forwarded-Host. */
function reverseProxy(upstream: number): Promise<Server> {
  const proxy = createServer((req, res) => {
    const forwarded = request(
      {
        host: '127.0.0.1',
        port: upstream,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          host: `127.0.0.1:${upstream}`,
          'x-forwarded-host': req.headers.host,
          'x-forwarded-proto': 'http',
          'x-forwarded-for': req.socket.remoteAddress,
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

describe('the /demo origin notice behind a reverse proxy, in chromium', () => {
  let t: TestApp;
  let proxy: Server;
  let browser: Browser;
  /** The API itself, and the page as customers open it, through the proxy. */
  let direct: string;
  let proxied: string;
  let setOrigins: (origins: string[]) => Promise<void>;

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestApp({ port, demo: true, trustProxy: 'loopback' });
    await t.wendao.app.listen(port, '127.0.0.1');
    proxy = await reverseProxy(port);
    browser = await launchChromium();
    direct = `http://127.0.0.1:${port}`;
    proxied = `http://localhost:${(proxy.address() as AddressInfo).port}`;
    await t.anonymous.get('/demo').expect(200);
    const [kb] = (await t.api.get('/api/kbs').expect(200)).body as { id: string }[];
    const [key] = (await t.api.get(`/api/kbs/${kb.id}/widget-keys`).expect(200)).body as { id: string }[];
    // An admin's edit: from then on the demo never adds its own origins to the key.
    setOrigins = async (allowedOrigins) => {
      await t.api.patch(`/api/kbs/${kb.id}/widget-keys/${key.id}`).send({ allowedOrigins }).expect(200);
    };
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (proxy ? proxy.close(done) : done(undefined)));
    await t?.close();
  });

  /** The notice the page shows when opened at `origin` (null: none shown). */
  async function notice(origin: string, lang: 'zh' | 'en' = 'en'): Promise<string | null> {
    const page = await browser.newPage();
    try {
      const response = await page.goto(`${origin}/demo?lang=${lang}`);
      expect(response?.status()).toBe(200);
      await page.getByRole('heading', { name: lang === 'en' ? 'Best sellers' : '热卖商品' }).waitFor();
      const shown = page.getByRole('status');
      return (await shown.count()) && (await shown.isVisible()) ? await shown.textContent() : null;
    } finally {
      await page.close();
    }
  }

  it('shows no notice through the proxy when the key allows the public origin, and names the API’s own origin opened directly', async () => {
    await setOrigins([proxied]);
    expect(await notice(proxied)).toBeNull();
    expect(await notice(direct)).toBe(
      `The chat on this page will not connect: the widget key “Demo page (/demo)” does not allow this page’s origin, ${direct}. ` +
        'Add it to the key’s allowed origins in the admin console (the demo knowledge base’s Widget tab).',
    );
  });

  it('names the public origin through the proxy when the key allows only the upstream, in both languages', async () => {
    await setOrigins([direct]);
    expect(await notice(direct)).toBeNull();
    expect(await notice(proxied)).toContain(`does not allow this page’s origin, ${proxied}.`);
    expect(await notice(proxied, 'zh')).toBe(
      `此页面的聊天窗口无法连接：插件密钥“Demo page (/demo)”允许的来源不包括此页面的来源 ${proxied}。` +
        '请在管理后台演示知识库的“网页插件”中把它加入允许的来源。',
    );
  });

  it('shows no notice when the key allows every origin', async () => {
    await setOrigins([]);
    expect(await notice(proxied)).toBeNull();
    expect(await notice(direct)).toBeNull();
  });
});
