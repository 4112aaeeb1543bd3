import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARSE_LIMITS, ParseError, ParserLimitError, ParserPool } from '@wendao/ingest';
import { buildDocx } from '../test/build-fixtures';
import { manyPagePdf } from '../../../bench/lib/hostile-files';

const dir = mkdtempSync(join(tmpdir(), 'wendao-pool-'));
function script(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `const { parentPort } = require('node:worker_threads');\nparentPort.on('message', () => {${body}});\nparentPort.postMessage({ ready: true });`,
  );
  return file;
}

describe('ParserPool', () => {
  const pool = new ParserPool({ size: 1, timeoutMs: 20_000, maxHeapMb: 256 });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses in a worker thread and keeps the ingest error kinds', async () => {
    const docx = await buildDocx([
      { heading: 1, text: 'Returns' },
      { text: 'Q: How long?' },
      { text: 'A: 7 days.' },
    ]);
    const result = await pool.parse(docx, 'faq.docx');
    expect(result.faqs.map((f) => [f.question, f.answer])).toEqual([['How long?', '7 days.']]);
    await expect(pool.parse(Buffer.from('not,a\n'), 'x.pdf')).rejects.toThrow(/no %PDF header/);
    const err = await pool.parse(Buffer.from('PK\u0003\u0004 garbage'), 'x.docx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
  });

  it('refuses a PDF with thousands of pages before reading them', async () => {
    const pdf = await manyPagePdf(2500);
    await expect(
      pool.parse(pdf, 'big.pdf', undefined, {
        ...DEFAULT_PARSE_LIMITS,
        pdf: { maxPages: 1000, maxTextChars: 1e6 },
      }),
    ).rejects.toThrow(/has 2500 pages; the limit is 1000/);
    await expect(
      pool.parse(pdf, 'big.pdf', undefined, {
        ...DEFAULT_PARSE_LIMITS,
        pdf: { maxPages: 5000, maxTextChars: 2000 },
      }),
    ).rejects.toThrow(/more than 2000 characters of text/);
  });

  it('stops a parser that runs too long, and one that exhausts its heap; the pool keeps working', async () => {
    const hang = new ParserPool({
      size: 1,
      timeoutMs: 500,
      maxHeapMb: 64,
      script: script('hang.js', 'for (;;) {}'),
    });
    const hog = new ParserPool({
      size: 1,
      timeoutMs: 20_000,
      maxHeapMb: 32,
      script: script('hog.js', 'const keep = []; for (;;) keep.push(new Array(1e5).fill(Math.random()));'),
    });
    try {
      const slow = await hang.parse(Buffer.from('x'), 'slow.txt').catch((e: unknown) => e);
      expect(slow).toBeInstanceOf(ParserLimitError);
      expect((slow as Error).message).toMatch(/slow.txt: reading it took longer than 0.5 s/);
      expect(slow).toMatchObject({ code: 'parse_timeout', values: { file: 'slow.txt', limitMs: 500 } });
      const big = await hog.parse(Buffer.from('x'), 'big.txt').catch((e: unknown) => e);
      expect(big).toBeInstanceOf(ParserLimitError);
      expect((big as Error).message).toMatch(/needed more than 32 MiB of memory/);
      // The server's own heap never saw it; the pools still answer the next file.
      await expect(hang.parse(Buffer.from('x'), 'again.txt')).rejects.toThrow(/longer than/);
    } finally {
      await hang.close();
      await hog.close();
    }
  });
});
