import { describe, expect, it } from 'vitest';
import { detectSourceType, FileTypeMismatchError, UnsupportedFileTypeError } from '@wendao/ingest';

const text = Buffer.from('问题,答案\n退货期限是多久？,签收后7天内\n');
const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

describe('detectSourceType', () => {
  it('reads the type from the extension, whatever its case', () => {
    expect(detectSourceType('faq.csv', 'application/vnd.ms-excel', text)).toBe('csv');
    expect(detectSourceType('faq.TSV', undefined, text)).toBe('csv');
    expect(detectSourceType('常见问题.xlsx', undefined, zip)).toBe('xlsx');
    expect(detectSourceType('faq.json', undefined, Buffer.from('[]'))).toBe('json');
    expect(detectSourceType('README.markdown', undefined, text)).toBe('markdown');
    expect(detectSourceType('help.htm', 'text/html', Buffer.from('<html>'))).toBe('html');
    expect(detectSourceType('notes.txt', undefined, text)).toBe('txt');
    expect(detectSourceType('manual.DOCX', undefined, zip)).toBe('docx');
    expect(detectSourceType('manual.pdf', 'application/octet-stream', pdf)).toBe('pdf');
  });

  it('falls back on the MIME type only when the name has no extension', () => {
    expect(detectSourceType('upload', 'application/pdf', pdf)).toBe('pdf');
    expect(detectSourceType('upload', 'text/plain; charset=utf-8', text)).toBe('txt');
    expect(() => detectSourceType('upload', undefined, text)).toThrow(UnsupportedFileTypeError);
  });

  it('refuses formats it cannot read, naming what it can', () => {
    expect(() => detectSourceType('setup.exe', 'application/octet-stream', Buffer.from('MZ'))).toThrow(
      UnsupportedFileTypeError,
    );
    expect(() => detectSourceType('photo.png', 'image/png', png)).toThrow(
      /"\.png" files are not supported; upload CSV, XLSX/,
    );
    expect(() => detectSourceType('old.xls', undefined, Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toThrow(
      /save it as \.xlsx/,
    );
  });

  it('refuses a .pdf that is not a PDF and Office files that are not zips', () => {
    expect(() => detectSourceType('manual.pdf', 'application/pdf', text)).toThrow(FileTypeMismatchError);
    expect(() => detectSourceType('manual.pdf', undefined, png)).toThrow(/is a PNG image/);
    expect(() => detectSourceType('faq.xlsx', undefined, text)).toThrow(FileTypeMismatchError);
    expect(() => detectSourceType('faq.docx', undefined, pdf)).toThrow(/is a PDF/);
  });

  it('refuses binary data named as a text format', () => {
    expect(() => detectSourceType('faq.txt', undefined, png)).toThrow(FileTypeMismatchError);
    expect(() => detectSourceType('faq.csv', undefined, zip)).toThrow(/ZIP\/Office/);
    expect(() => detectSourceType('faq.md', undefined, pdf)).toThrow(/is a PDF/);
    expect(() =>
      detectSourceType('faq.csv', undefined, Buffer.from([0x61, 0x00, 0x62, 0x00, 0x01, 0x02])),
    ).toThrow(/binary data/);
  });

  it('accepts text that merely mentions %PDF- and UTF-16 text with a BOM', () => {
    expect(
      detectSourceType('notes.txt', undefined, Buffer.from('A PDF file starts with %PDF-1.x bytes.')),
    ).toBe('txt');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('问题,答案', 'utf16le')]);
    expect(detectSourceType('faq.csv', undefined, utf16)).toBe('csv');
  });
});
