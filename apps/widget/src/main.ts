/**
 * widget.js entry: `<script src="https://HOST/widget.js" data-key="wk_…" data-lang="zh"></script>`.
 * Reads its own data-* attributes (document.currentScript is only set while this script first runs)
 * and connects to the origin it was loaded from.
 */
import { ChatWidget } from './chat-widget';
import { pickLang } from './strings';

const script = document.currentScript as HTMLScriptElement | null;

function start(): void {
  const key = script?.dataset.key;
  if (!script || !key) {
    console.error('wendao widget: the script tag needs data-key="wk_…"');
    return;
  }
  const server = new URL(script.src, location.href).origin;
  const widget = new ChatWidget({
    server,
    key,
    lang: pickLang(script.dataset.lang ?? document.documentElement.lang),
    mount: document.body,
  });
  (window as unknown as { wendaoWidget?: ChatWidget }).wendaoWidget = widget;
}

if (document.body) start();
else document.addEventListener('DOMContentLoaded', start, { once: true });
