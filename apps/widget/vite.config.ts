/**
 * Builds the widget into one self-contained file, dist/widget.js (an IIFE with socket.io-client
 * inside), and prints its gzipped size; over WIDGET_GZIP_BUDGET the build fails.
 */
import { gzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const WIDGET_GZIP_BUDGET = 60 * 1024;

/**
 * engine.io-client's table of transports names WebTransport too, which pulls in that transport and
 * engine.io-parser's binary stream codec; the widget connects with websocket and polling only
 * (chat-widget.ts), so the table is swapped for one of those two (their browser builds, imported
 * from their own files: through the package's index they would be read before they are defined):
 * 2.7 KB less, 0.6 KB gzipped.
 */
function websocketAndPollingOnly(): Plugin {
  const TABLE = '\0wendao-engine-transports';
  let transportsDir = '';
  return {
    name: 'wendao-widget-engine-transports',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== './transports/index.js' || !importer?.includes('/engine.io-client/build/esm/'))
        return null;
      transportsDir = resolve(dirname(importer), 'transports');
      return TABLE;
    },
    load(id) {
      if (id !== TABLE) return null;
      return [
        `import { WS } from ${JSON.stringify(`${transportsDir}/websocket.js`)};`,
        `import { XHR } from ${JSON.stringify(`${transportsDir}/polling-xhr.js`)};`,
        'export const transports = { websocket: WS, polling: XHR };',
      ].join('\n');
    },
  };
}

function gzipBudget(): Plugin {
  return {
    name: 'wendao-widget-gzip-budget',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const raw = Buffer.byteLength(file.code);
        const gz = gzipSync(file.code, { level: 9 }).length;
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
        console.log(
          `widget: ${file.fileName} ${kb(raw)}, ${kb(gz)} gzipped (budget ${kb(WIDGET_GZIP_BUDGET)})`,
        );
        if (gz > WIDGET_GZIP_BUDGET) this.error(`${file.fileName} is ${kb(gz)} gzipped, over the budget`);
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  logLevel: 'warn',
  plugins: [websocketAndPollingOnly(), gzipBudget()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2019',
    lib: {
      entry: resolve(import.meta.dirname, 'src/main.ts'),
      name: 'WendaoWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
