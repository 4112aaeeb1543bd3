/**
 * Builds the admin console (React + Mantine) into dist/admin, served by the API at /admin
 * (apps/api/src/admin). Asset URLs are under /admin/, so deep links like /admin/kbs/… load them.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  // Libs the console shares with the API (plain TypeScript, no Node): one implementation, so the
  // form and the server cannot disagree. apps/admin/tsconfig.json maps the same names.
  resolve: { alias: { '@wendao/text': resolve(import.meta.dirname, '../../libs/text/src/index.ts') } },
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/admin'),
    emptyOutDir: true,
    target: 'es2022',
    // Source maps and compressed-size reporting cost build time on a small machine and help nobody here.
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // Mantine marks its modules "use client" (for React Server Components); meaningless in a SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
