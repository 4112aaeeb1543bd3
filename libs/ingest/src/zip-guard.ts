/**
 * Checks an Office upload (DOCX, XLSX are zip archives) before any parser inflates it: entry count,
 * declared sizes and ratios from the central directory, then every entry is inflated as a stream
 * and counted, stopping the moment a limit is passed — a size that lies in the header buys nothing.
 * It also checks the archive is the Office file its name claims (word/document.xml, xl/workbook.xml).
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ParseError } from './ingest-errors';
import type { ReadFormat } from './ingest-failure';

export interface ZipLimits {
  /** Total inflated bytes over every entry, nested archives included. */
  maxUncompressedBytes: number;
  /** Largest inflated/compressed ratio for an entry over 1 MiB inflated (Office XML is ~10-30x). */
  maxCompressionRatio: number;
  maxEntries: number;
  /** Archives inside the archive (embedded workbooks): how deep they may go. 1 = one level inside. */
  maxNestingDepth: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxEntries: 5000,
  maxNestingDepth: 1,
};

/** Ratios of small entries say nothing (a 100 KB run of spaces is normal); judged above this size. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const REQUIRED_PART: Record<'docx' | 'xlsx', string> = {
  docx: 'word/document.xml',
  xlsx: 'xl/workbook.xml',
};

/** A limit the archive passes: the upload is refused with this reason. */
export class ZipLimitError extends ParseError {}

interface Budget {
  used: number;
  entries: number;
}

const unreadable = (fileName: string, format: ReadFormat, err: unknown) =>
  new ParseError({
    code: 'unreadable_file',
    values: { file: fileName, format, detail: (err as Error).message },
  });

function open(buffer: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(
      buffer,
      // validateEntrySizes makes a lying header an error even when the inflated total stays small.
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err || !zip ? reject(err ?? new Error('no archive')) : resolve(zip)),
    ),
  );
}

function entries(zip: ZipFile, limits: ZipLimits, budget: Budget, fileName: string): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const list: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      budget.entries++;
      if (budget.entries > limits.maxEntries) {
        zip.close();
        return reject(
          new ZipLimitError({
            code: 'archive_too_many_entries',
            values: { file: fileName, limit: limits.maxEntries },
          }),
        );
      }
      list.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(list));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/** Inflates one entry, counting bytes; keeps them only when the entry is itself an archive. */
function inflate(
  zip: ZipFile,
  entry: Entry,
  limits: ZipLimits,
  budget: Budget,
  fileName: string,
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('unreadable entry'));
      let own = 0;
      let head: Buffer[] | undefined = [];
      let failed = false;
      const stop = (error: Error) => {
        if (failed) return;
        failed = true;
        stream.destroy();
        reject(error);
      };
      stream.on('data', (chunk: Buffer) => {
        own += chunk.length;
        budget.used += chunk.length;
        if (budget.used > limits.maxUncompressedBytes)
          return stop(
            new ZipLimitError({
              code: 'archive_too_large',
              values: { file: fileName, limitBytes: limits.maxUncompressedBytes },
            }),
          );
        if (own > RATIO_FLOOR_BYTES && own / Math.max(entry.compressedSize, 1) > limits.maxCompressionRatio)
          return stop(
            new ZipLimitError({
              code: 'archive_ratio',
              values: { file: fileName, entry: entry.fileName, limit: limits.maxCompressionRatio },
            }),
          );
        // Only archives are kept (to look inside them); everything else is counted and dropped.
        if (head) {
          head.push(chunk);
          const first = Buffer.concat(head);
          if (first.length >= 4 && !first.subarray(0, 4).equals(ZIP_MAGIC)) head = undefined;
        }
      });
      stream.once('error', (e: Error) =>
        stop(
          /too many bytes/.test(e.message)
            ? new ZipLimitError({
                code: 'archive_size_lie',
                values: { file: fileName, entry: entry.fileName, declaredBytes: entry.uncompressedSize },
              })
            : e,
        ),
      );
      stream.once('end', () => {
        if (failed) return;
        // An archive starts with the zip magic; an entry shorter than it (an empty part) is not one.
        const kept = head ? Buffer.concat(head) : undefined;
        resolve(kept && kept.length >= ZIP_MAGIC.length ? kept : undefined);
      });
    });
  });
}

async function walk(
  buffer: Buffer,
  limits: ZipLimits,
  budget: Budget,
  fileName: string,
  depth: number,
  format: ReadFormat,
) {
  let zip: ZipFile;
  try {
    zip = await open(buffer);
  } catch (err) {
    throw unreadable(fileName, format, err);
  }
  const names: string[] = [];
  try {
    const list = await entries(zip, limits, budget, fileName);
    // The central directory's own claims first: refuse without inflating anything when they already say no.
    const declared = list.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (budget.used + declared > limits.maxUncompressedBytes)
      throw new ZipLimitError({
        code: 'archive_too_large',
        values: { file: fileName, limitBytes: limits.maxUncompressedBytes, declaredBytes: declared },
      });
    for (const entry of list) {
      names.push(entry.fileName);
      if (/\/$/.test(entry.fileName)) continue;
      const nested = await inflate(zip, entry, limits, budget, fileName);
      if (nested) {
        if (depth + 1 > limits.maxNestingDepth)
          throw new ZipLimitError({
            code: 'archive_too_deep',
            values: { file: fileName, entry: entry.fileName, limit: limits.maxNestingDepth },
          });
        await walk(nested, limits, budget, `${fileName}/${entry.fileName}`, depth + 1, 'zip');
      }
    }
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw unreadable(fileName, format, err);
  } finally {
    zip.close();
  }
  return names;
}

/**
 * Resolves when the archive is within every limit and holds the part its Office type needs;
 * otherwise rejects with a ZipLimitError (a limit) or a ParseError (not that kind of file) saying why.
 */
export async function checkOfficeZip(
  buffer: Buffer,
  fileName: string,
  type: 'docx' | 'xlsx',
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<void> {
  const names = await walk(buffer, limits, { used: 0, entries: 0 }, fileName, 0, type);
  if (!names.includes(REQUIRED_PART[type])) {
    const other = type === 'docx' ? 'xlsx' : 'docx';
    throw new ParseError({
      code: 'wrong_office_file',
      values: {
        file: fileName,
        expected: type,
        found: names.includes(REQUIRED_PART[other]) ? other : null,
        missingPart: REQUIRED_PART[type],
      },
    });
  }
}
