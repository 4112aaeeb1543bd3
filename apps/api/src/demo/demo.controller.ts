/**
 * GET /demo: a plain sample shop page with the widget's script tag and the demo widget key, what a
 * customer's page looks like after embedding Wendao. `?lang=en` switches the page and the widget. When
 * the key's origins leave the page's own origin out, the page's script says so above the products.
 */
import { Controller, Get, NotFoundException, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { WidgetKey } from '../chat/widget-key';
import { DemoSeeder } from './demo-seeder';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PRODUCTS = {
  zh: [
    ['无线降噪耳机', '¥899', '40 小时续航，主动降噪'],
    ['智能手表', '¥1299', '心率血氧监测，14 天续航'],
    ['机械键盘', '¥499', '热插拔轴体，RGB 背光'],
    ['便携充电宝', '¥159', '20000mAh，65W 快充'],
  ],
  en: [
    ['Wireless noise-cancelling headphones', '¥899', '40 h battery, active noise cancelling'],
    ['Smart watch', '¥1299', 'Heart rate and SpO2, 14-day battery'],
    ['Mechanical keyboard', '¥499', 'Hot-swap switches, RGB backlight'],
    ['Power bank', '¥159', '20000 mAh, 65 W fast charging'],
  ],
};

/** A value as JavaScript inside an inline <script>: JSON with `<` escaped, so no `</script>` ends it early. */
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * Why the chat on the page will not connect, when the key's origins (an admin's, or a host name the
 * demo never added) leave the page out; the widget itself only shows "chat unavailable". The page's
 * own script decides, from `location.origin`: the origin its browser sends when the widget connects
 * (allowsOrigin compares that). The server cannot know it: behind a reverse proxy the Host header is
 * the proxy's upstream (X-Forwarded-Host only where the proxy sets it and trust proxy is on), and any
 * client may send another. So the page carries the key's origins: no secret, they are the sites whose
 * pages carry the key.
 */
function originNotice(key: WidgetKey, zh: boolean): string {
  if (!key.allowedOrigins.length) return '';
  const name = key.name ?? key.id;
  // The text before and after the page's origin.
  const text = zh
    ? [
        `此页面的聊天窗口无法连接：插件密钥“${name}”允许的来源不包括此页面的来源 `,
        '。请在管理后台演示知识库的“网页插件”中把它加入允许的来源。',
      ]
    : [
        `The chat on this page will not connect: the widget key “${name}” does not allow this page’s origin, `,
        '. Add it to the key’s allowed origins in the admin console (the demo knowledge base’s Widget tab).',
      ];
  return `<p class="notice" role="status" id="origin-notice" hidden></p>
    <script>
      (function () {
        var allowed = ${inlineJson(key.allowedOrigins)};
        if (allowed.indexOf(location.origin) >= 0) return;
        var notice = document.getElementById('origin-notice');
        var text = ${inlineJson(text)};
        notice.textContent = text[0] + location.origin + text[1];
        notice.hidden = false;
      })();
    </script>
    `;
}

/**
 * The footer's "this one script tag", shown: the page's own tag, its src made absolute with the
 * origin the browser is on (what a shop's page would carry), by the page's script; the server cannot
 * know that origin (see originNotice), so without the script the relative src stays.
 */
function embedSnippet(key: WidgetKey, lang: 'zh' | 'en'): string {
  const rest = `/widget.js" data-key="${key.key}" data-lang="${lang}"></script>`;
  return `<code id="embed-snippet">${escapeHtml(`<script src="${rest}`)}</code>
    <script>
      document.getElementById('embed-snippet').textContent = ${inlineJson('<script src="')} + location.origin + ${inlineJson(rest)};
    </script>`;
}

export function demoPage(key: WidgetKey, lang: 'zh' | 'en'): string {
  const zh = lang === 'zh';
  const cards = PRODUCTS[lang]
    .map(
      ([name, price, note]) =>
        `<article class="card"><div class="img" aria-hidden="true"></div><h3>${escapeHtml(name)}</h3>` +
        `<p>${escapeHtml(note)}</p><strong>${escapeHtml(price)}</strong></article>`,
    )
    .join('\n      ');
  return `<!doctype html>
<html lang="${zh ? 'zh-CN' : 'en'}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>${zh ? '演示商城' : 'Demo Shop'} · Wendao</title>
  <style>
    body { margin: 0; font-family: system-ui, "WenQuanYi Micro Hei", sans-serif; color: #222; background: #fafafa; }
    header { background: #111827; color: #fff; padding: 16px 24px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
    header h1 { margin: 0; font-size: 22px; }
    header nav a { color: #d1d5db; margin-right: 16px; text-decoration: none; }
    main { max-width: 1000px; margin: 0 auto; padding: 24px; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; }
    .card { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
    .card .img { height: 120px; border-radius: 6px; background: linear-gradient(135deg, #e0e7ff, #fce7f3); }
    .card h3 { font-size: 16px; margin: 12px 0 4px; }
    .card p { color: #6b7280; font-size: 13px; margin: 0 0 8px; }
    .card strong { color: #dc2626; }
    .notice { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 6px; padding: 12px 16px; }
    footer { text-align: center; color: #9ca3af; font-size: 12px; padding: 32px; }
    footer code { display: block; margin: 8px auto 0; max-width: 100%; overflow-wrap: anywhere; color: #4b5563; font-size: 12px; }
  </style>
</head>
<body>
  <header>
    <h1>${zh ? '演示商城' : 'Demo Shop'}</h1>
    <nav><a href="#">${zh ? '首页' : 'Home'}</a><a href="#">${zh ? '数码' : 'Electronics'}</a><a href="#">${zh ? '售后服务' : 'After-sales'}</a></nav>
  </header>
  <main>
    ${originNotice(key, zh)}<h2>${zh ? '热卖商品' : 'Best sellers'}</h2>
    <div class="grid">
      ${cards}
    </div>
  </main>
  <footer>${zh ? '这是 Wendao（问道）的演示页面：右下角的客服窗口由下面这一行脚本嵌入：' : 'A Wendao demo page: the chat in the corner is embedded by this one script tag:'}
    ${embedSnippet(key, lang)}
  </footer>
  <script src="/widget.js" data-key="${escapeHtml(key.key)}" data-lang="${lang}"></script>
</body>
</html>
`;
}

@ApiExcludeController()
@Controller()
export class DemoController {
  constructor(private readonly seeder: DemoSeeder) {}

  @Get('demo')
  async demo(@Query('lang') lang: string | undefined, @Res() res: Response): Promise<void> {
    const key = await this.seeder.demoWidgetKey();
    if (!key) throw new NotFoundException('no demo knowledge base on this server (WENDAO_DEMO=false?)');
    res
      .status(200)
      // Its widget's requests to this server say where they come from (helmet's no-referrer would
      // strip it): a long-polling handshake, same-origin, carries no Origin, only the Referer
      // (pageOrigin). Other sites still learn nothing of the page.
      .setHeader('Referrer-Policy', 'same-origin')
      .type('text/html; charset=utf-8')
      .send(demoPage(key, lang === 'en' ? 'en' : 'zh'));
  }
}
