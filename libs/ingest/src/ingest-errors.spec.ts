import { afterAll, describe, expect, it } from 'vitest';
import {
  detectSourceType,
  FileTypeMismatchError,
  type IngestFailure,
  ingestFailureMessage,
  ParseError,
  parseFile,
  ParserPool,
  UnsupportedFileTypeError,
} from '@wendao/ingest';
import { buildXlsx } from '../test/build-fixtures';

/** The error a call throws, or rejects with. */
async function thrown(f: () => unknown): Promise<Error & { failure: IngestFailure }> {
  try {
    await f();
  } catch (err) {
    return err as Error & { failure: IngestFailure };
  }
  throw new Error('expected an ingest error');
}

const SUPPORTED = ['CSV', 'XLSX', 'JSON', 'Markdown', 'HTML', 'TXT', 'DOCX', 'PDF'];

describe('ingest errors carry a code and its values', () => {
  const pool = new ParserPool({ size: 1, timeoutMs: 20_000, maxHeapMb: 256 });
  afterAll(() => pool.close());

  it('an unsupported type names the extension and the types that are supported', async () => {
    const err = await thrown(() =>
      detectSourceType('faq.exe', 'application/octet-stream', Buffer.from('MZ')),
    );
    expect(err).toBeInstanceOf(UnsupportedFileTypeError);
    expect(err.failure).toEqual({
      code: 'unsupported_type',
      values: { file: 'faq.exe', extension: '.exe', supported: SUPPORTED },
    });
    // The English message is the one clients have always read, built from the same failure.
    expect(err.message).toBe(
      'faq.exe: ".exe" files are not supported; upload CSV, XLSX, JSON, Markdown, HTML, TXT, DOCX or PDF.',
    );
    expect(ingestFailureMessage(err.failure)).toBe(err.message);

    const legacy = await thrown(() => detectSourceType('old.xls', undefined, Buffer.from([0xd0, 0xcf])));
    expect(legacy.failure).toEqual({
      code: 'legacy_format',
      values: { file: 'old.xls', extension: '.xls', convertTo: 'xlsx' },
    });
    expect(legacy.message).toBe(
      'old.xls: the .xls format is not supported; save it as .xlsx and upload that.',
    );
  });

  it('a type mismatch names the type the name claims and what the bytes are', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const err = await thrown(() => detectSourceType('manual.pdf', undefined, png));
    expect(err).toBeInstanceOf(FileTypeMismatchError);
    expect(err.failure).toEqual({
      code: 'type_mismatch',
      values: { file: 'manual.pdf', named: 'pdf', found: 'png' },
    });
    expect(err.message).toBe('manual.pdf is named .pdf but is a PNG image (no %PDF header).');
    const text = await thrown(() => detectSourceType('notreally.pdf', undefined, Buffer.from('hello')));
    expect(text.failure.values).toEqual({ file: 'notreally.pdf', named: 'pdf', found: null });
    expect(text.message).toBe('notreally.pdf is named .pdf but is not a PDF (no %PDF header).');
  });

  it('an empty file, a CSV without an FAQ header and a broken CSV name the file, the header and the line', async () => {
    const empty = await thrown(() => parseFile(Buffer.from(' \n'), 'empty.csv'));
    expect(empty).toBeInstanceOf(ParseError);
    expect(empty.failure).toEqual({ code: 'empty_file', values: { file: 'empty.csv' } });
    expect(empty.message).toBe('empty.csv is empty.');

    const noHeader = await thrown(() => parseFile(Buffer.from('a,b,c\n1,2,3\n'), 'noheader.csv'));
    expect(noHeader.failure).toEqual({
      code: 'no_faq_header',
      values: { file: 'noheader.csv', found: ['a', 'b', 'c'] },
    });
    expect(noHeader.message).toMatch(/^noheader\.csv has no FAQ header row\. Expected .*; found: a, b, c\.$/);

    const broken = await thrown(() =>
      parseFile(Buffer.from('question,answer\nq,a\n"open,x\n'), 'broken.csv'),
    );
    expect(broken.failure).toMatchObject({
      code: 'unreadable_file',
      values: { file: 'broken.csv', format: 'csv', line: 3, problem: 'quote_not_closed' },
    });
    // Said in our words; csv-parse's English is kept only as the detail.
    expect(broken.message).toBe(
      'broken.csv is not a readable CSV file: a quote is never closed (still open at line 3, the end of the file).',
    );
    expect((broken.failure.values as { detail: string }).detail).toMatch(/^Quote Not Closed/);
  });

  it('a JSON list without a usable entry names the last item and what was wrong with it', async () => {
    const err = await thrown(() =>
      parseFile(Buffer.from('[{"question": "q", "answer": "a", "tags": {}}, {"answer": "b"}]'), 'faq.json'),
    );
    expect(err.failure).toEqual({
      code: 'no_usable_faqs',
      values: { file: 'faq.json', item: 2, problem: 'missing_question' },
    });
    expect(err.message).toMatch(
      /^faq\.json contains no usable FAQ entries \(Item 2: empty or missing "question", skipped\.\)/,
    );
  });

  it('keeps the code and values when the parser ran in a worker thread', async () => {
    const sheet = await buildXlsx({
      Notes: [
        ['title', 'remark'],
        ['x', 'y'],
      ],
    });
    const err = await thrown(() => pool.parse(sheet, 'notes.xlsx'));
    expect(err).toBeInstanceOf(ParseError);
    expect(err.failure).toEqual({ code: 'no_faq_sheet', values: { file: 'notes.xlsx' } });
    expect(err.message).toMatch(/^notes\.xlsx has no worksheet with an FAQ header row\./);
    const mismatch = await thrown(() => pool.parse(Buffer.from('just text'), 'report.pdf'));
    expect(mismatch).toBeInstanceOf(FileTypeMismatchError);
    expect(mismatch.failure.code).toBe('type_mismatch');
  });
});
