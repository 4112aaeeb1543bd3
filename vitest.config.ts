import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string) => resolve(__dirname, `libs/${name}/src`);

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@wendao/models': lib('models'),
      '@wendao/encoder': lib('encoder'),
      '@wendao/reader': lib('reader'),
      '@wendao/retriever': lib('retriever'),
      '@wendao/text': lib('text'),
      '@wendao/ingest': lib('ingest'),
      '@wendao/hub': lib('hub'),
      '@wendao/eval': lib('eval'),
      '@wendao/answer': lib('answer'),
      '@wendao/dialogue': lib('dialogue'),
      '@wendao/intent': lib('intent'),
      '@wendao/random': lib('random'),
      '@wendao/workers': lib('workers'),
    },
  },
  test: {
    include: [
      'apps/*/src/**/*.spec.ts',
      'apps/*/test/**/*.spec.ts',
      'apps/widget/e2e/**/*.e2e.spec.ts',
      'apps/admin/e2e/**/*.e2e.spec.ts',
      'libs/*/src/**/*.spec.ts',
      'libs/*/test/**/*.spec.ts',
      'bench/**/*.spec.ts',
      'eslint.config.spec.ts',
    ],
    // *.models.spec.ts need the pretrained reference models: `npm run test:models` (vitest.models.config.ts).
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.models.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
