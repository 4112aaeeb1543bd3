/**
 * The lib-boundary rules of eslint.config.mjs fire: linted as files inside the libs, imports that cross a
 * boundary are reported and the public surface of another lib is not.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: __dirname });

async function boundaryErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'wendao/lib-boundaries')
    .map((m) => m.message);
}

describe('lib boundaries (eslint.config.mjs)', () => {
  it('reports a Nest import in an ML lib', async () => {
    const errors = await boundaryErrors(
      "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
      'libs/reader/src/boundary-probe.ts',
    );
    expect(errors).toEqual([expect.stringMatching(/ML libs import no Nest/)]);
  });

  it("reports imports into apps and into another lib's internals, by name or by relative path", async () => {
    const errors = await boundaryErrors(
      [
        "export { SentenceEncoder } from '@wendao/encoder/src/sentence-encoder';",
        "export { loadConfig } from '../../../apps/api/src/config/config';",
        "export { TextAnalyzer } from '../../retriever/src/text-analyzer';",
      ].join('\n') + '\n',
      'libs/reader/src/boundary-probe.ts',
    );
    expect(errors).toEqual([
      expect.stringMatching(/public surface '@wendao\/<lib>'/),
      expect.stringMatching(/Libs never import apps/),
      expect.stringMatching(/reaches into libs\/retriever: import '@wendao\/retriever'/),
    ]);
  });

  it("allows another lib's public surface, and Nest outside the ML libs", async () => {
    expect(
      await boundaryErrors(
        "export { TextAnalyzer } from '@wendao/retriever';\nexport { loadModelFolder } from '@wendao/models';\n",
        'libs/reader/src/boundary-probe.ts',
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "export { Injectable } from '@nestjs/common';\n",
        'apps/api/src/boundary-probe.ts',
      ),
    ).toEqual([]);
  });
});
