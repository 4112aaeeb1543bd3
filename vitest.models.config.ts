/**
 * The real-model tier (`npm run test:models`): checks against sentence-transformers on the pretrained
 * weights that scripts/reference-models.sh lays into ./models. Not part of `npm test`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import base from './vitest.config';
import { referenceDir } from './libs/encoder/test/reference-cache';

const dir = referenceDir();
const records = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
if (records.length === 0) {
  console.log(
    `test:models SKIPPED: no reference cache in ${dir} (run \`npm run models:reference\` to build it: it needs PyPI)`,
  );
} else {
  console.log(`test:models: ${records.length} reference model(s) in ${dir}: ${records.join(', ')}`);
}

// The base config's plugins and aliases, but only this tier's files (mergeConfig would append them
// to the base's include list and run the whole suite).
export default defineConfig({
  plugins: base.plugins,
  resolve: base.resolve,
  test: {
    include: [
      'libs/*/test/**/*.models.spec.ts',
      'apps/api/src/**/*.models.spec.ts',
      'apps/admin/e2e/**/*.models.spec.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
