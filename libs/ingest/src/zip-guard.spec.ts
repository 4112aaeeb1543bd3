import { describe, expect, it } from 'vitest';
import { checkOfficeZip, ParseError, parseFile, ZipLimitError, type ZipLimits } from '@wendao/ingest';
import { buildDocx, buildXlsx } from '../test/build-fixtures';
import { deflateEntry, docxBomb, zerosDocx, zipArchive } from '../../../bench/lib/hostile-files';

const LIMITS: ZipLimits = {
  maxUncompressedBytes: 50 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxEntries: 100,
  maxNestingDepth: 1,
};

describe('checkOfficeZip', () => {
  it('lets a real Word document and a real workbook through', async () => {
    await checkOfficeZip(await buildDocx([{ text: 'Returns within 7 days.' }]), 'a.docx', 'docx', LIMITS);
    await checkOfficeZip(
      await buildXlsx({
        FAQ: [
          ['question', 'answer'],
          ['How long?', '7 days'],
        ],
      }),
      'a.xlsx',
      'xlsx',
      LIMITS,
    );
  });

  it('refuses a .docx whose XML inflates to 200 MB from its declared size, inflating nothing', async () => {
    const bomb = await docxBomb(200);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await expect(checkOfficeZip(bomb, 'bomb.docx', 'docx', LIMITS)).rejects.toThrow(/declares 200 MiB/);
  });

  it('inflates as a stream that stops at a lying header, and holds none of what it inflates', async () => {
    const before = process.memoryUsage().rss;
    const liar = await checkOfficeZip(
      await docxBomb(200, { lieAboutSize: true }),
      'bomb.docx',
      'docx',
      LIMITS,
    ).catch((e: unknown) => e);
    expect(liar).toBeInstanceOf(ZipLimitError);
    expect((liar as Error).message).toMatch(/inflates to more than the 1024 bytes its header declares/);
    // Honest headers within generous limits: all 120 MB is inflated and counted, none of it kept.
    const counted = await checkOfficeZip(await docxBomb(120), 'big.docx', 'docx', {
      ...LIMITS,
      maxUncompressedBytes: 300 * 1024 * 1024,
    }).catch((e: unknown) => e);
    expect(counted).toBeUndefined();
    // Streaming counts and drops every chunk: nowhere near the 200 MB the entry holds.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a zip of zeros named .docx: by its lying header, else by its compression ratio', async () => {
    await expect(checkOfficeZip(await zerosDocx(300), 'zeros.docx', 'docx', LIMITS)).rejects.toThrow(
      ZipLimitError,
    );
    const zeros = await zerosDocx(300, { lieAboutSize: false });
    await expect(
      checkOfficeZip(zeros, 'zeros.docx', 'docx', { ...LIMITS, maxUncompressedBytes: 1024 ** 3 }),
    ).rejects.toThrow(/compressed more than 200:1/);
  });

  it('lets through an Office file with empty and tiny parts (they are not nested archives)', async () => {
    const docx = zipArchive([
      await deflateEntry('[Content_Types].xml', '<Types/>'),
      await deflateEntry('word/document.xml', '<w:document/>'),
      await deflateEntry('customXml/empty.xml', ''),
      await deflateEntry('word/tiny.bin', 'ab'),
    ]);
    await expect(checkOfficeZip(docx, 'parts.docx', 'docx', LIMITS)).resolves.toBeUndefined();
  });

  it('refuses too many entries, archives nested too deep, and a zip that is not the Office file it claims', async () => {
    const many = zipArchive(
      await Promise.all(Array.from({ length: 101 }, (_, i) => deflateEntry(`f${i}.xml`, 'x'))),
    );
    await expect(checkOfficeZip(many, 'many.docx', 'docx', LIMITS)).rejects.toThrow(/more than 100 files/);

    const inner = zipArchive([await deflateEntry('a.txt', 'hi')]);
    const middle = zipArchive([await deflateEntry('inner.zip', inner)]);
    const outer = zipArchive([
      await deflateEntry('word/document.xml', '<w:document/>'),
      await deflateEntry('word/embeddings/middle.zip', middle),
    ]);
    await expect(checkOfficeZip(outer, 'nested.docx', 'docx', LIMITS)).rejects.toThrow(
      /nests archives more than 1 deep/,
    );

    const workbook = await buildXlsx({
      FAQ: [
        ['question', 'answer'],
        ['How long?', '7 days'],
      ],
    });
    await expect(checkOfficeZip(workbook, 'sheet.docx', 'docx', LIMITS)).rejects.toThrow(ParseError);
    await expect(parseFile(workbook, 'sheet.docx')).rejects.toThrow(
      /is not a readable Word \(\.docx\) document: it is an XLSX file/,
    );
    const document = await buildDocx([{ text: 'Returns within 7 days.' }]);
    await expect(parseFile(document, 'doc.xlsx')).rejects.toThrow(
      /is not a readable Excel \(\.xlsx\) workbook: it is a DOCX file/,
    );
  });
});
