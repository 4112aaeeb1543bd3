/**
 * Builds the widget into one self-contained file, dist/widget.js (an IIFE with socket.io-client
 * inside), and prints its gzipped size; over WIDGET_GZIP_BUDGET the build fails.
 */
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const WIDGET_GZIP_BUDGET = 60 * 1024;

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
  plugins: [gzipBudget()],
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
