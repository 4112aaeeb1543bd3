/**
 * Hostile uploads built at test time (nothing big is committed): zip archives with chosen entries
 * and, if wanted, lying size headers; Office bombs whose XML inflates to hundreds of MB; PDFs with
 * thousands of pages. Generators stream, so the test process never holds the inflated content.
 */
import { createDeflateRaw, crc32 } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export interface ZipEntrySpec {
  name: string;
  /** Stored deflated; `declaredSize` overrides the real inflated size written in the headers. */
  deflated: Buffer;
  size: number;
  crc: number;
  declaredSize?: number;
}

/** Deflates `repeat` copies of `chunk` (streamed: memory stays at the compressed size). */
export async function deflateRepeated(
  chunk: Buffer,
  repeat: number,
  prefix = Buffer.alloc(0),
  suffix = Buffer.alloc(0),
) {
  const deflate = createDeflateRaw({ level: 1 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  let crc = crc32(prefix);
  const write = (b: Buffer) =>
    new Promise<void>((resolve) => (deflate.write(b) ? resolve() : deflate.once('drain', () => resolve())));
  await write(prefix);
  for (let i = 0; i < repeat; i++) {
    await write(chunk);
    crc = crc32(chunk, crc);
  }
  await write(suffix);
  crc = crc32(suffix, crc);
  deflate.end();
  await done;
  return { deflated: Buffer.concat(out), size: prefix.length + chunk.length * repeat + suffix.length, crc };
}

export async function deflateEntry(name: string, content: Buffer | string): Promise<ZipEntrySpec> {
  const data = Buffer.from(content);
  return { name, ...(await deflateRepeated(data, 1)) };
}

/** A zip archive (deflate method) written byte by byte, headers saying whatever the spec says. */
export function zipArchive(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const size = e.declaredSize ?? e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.deflated.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.deflated);
    centrals.push(central, name);
    offset += local.length + name.length + e.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`;

/**
 * A .docx whose word/document.xml inflates to `inflatedMb` MiB of real paragraphs: what a
 * 900 KB upload that kills a naive parser looks like. `lieAboutSize` writes 1 KB in the headers.
 */
export async function docxBomb(
  inflatedMb: number,
  options: { lieAboutSize?: boolean } = {},
): Promise<Buffer> {
  const paragraph = Buffer.from(
    '<w:p><w:r><w:t>How do I return an item? Within 7 days.</w:t></w:r></w:p>'.repeat(64),
  );
  const repeat = Math.ceil((inflatedMb * 1024 * 1024) / paragraph.length);
  const body = await deflateRepeated(
    paragraph,
    repeat,
    Buffer.from(
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
    ),
    Buffer.from('</w:body></w:document>'),
  );
  return zipArchive([
    await deflateEntry('[Content_Types].xml', CONTENT_TYPES),
    { name: 'word/document.xml', ...body, ...(options.lieAboutSize ? { declaredSize: 1024 } : {}) },
  ]);
}

/** A zip of zeros named as a Word document (the entry is called word/document.xml), lying about its size unless told not to. */
export async function zerosDocx(
  inflatedMb: number,
  options: { lieAboutSize?: boolean } = {},
): Promise<Buffer> {
  const zeros = await deflateRepeated(Buffer.alloc(1024 * 1024), inflatedMb);
  return zipArchive([
    {
      name: 'word/document.xml',
      ...zeros,
      ...(options.lieAboutSize === false ? {} : { declaredSize: 4096 }),
    },
  ]);
}

/** A PDF with `pages` pages of a line of text each. */
export async function manyPagePdf(pages: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = pdf.addPage([200, 200]);
    page.drawText(`Page ${i + 1}: how do I return an item?`, { x: 10, y: 100, size: 8, font });
  }
  return Buffer.from(await pdf.save({ useObjectStreams: true }));
}
