/**
 * Checks an Office upload (DOCX, XLSX are zip archives) before any parser inflates it: entry count,
 * declared sizes and ratios from the central directory, then every entry is inflated as a stream
 * and counted, stopping the moment a limit is passed — a size that lies in the header buys nothing.
 * It also checks the archive is the Office file its name claims (word/document.xml, xl/workbook.xml).
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ParseError } from './ingest-errors';

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
const KIND: Record<'docx' | 'xlsx', string> = {
  docx: 'a readable Word (.docx) document',
  xlsx: 'a readable Excel (.xlsx) workbook',
};

/** A limit the archive passes: the upload is refused with this reason. */
export class ZipLimitError extends ParseError {}

interface Budget {
  used: number;
  entries: number;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

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
          new ZipLimitError(`${fileName} holds more than ${limits.maxEntries} files (zip entries).`),
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
            new ZipLimitError(
              `${fileName} inflates to more than ${mib(limits.maxUncompressedBytes)} (a zip bomb?); refused.`,
            ),
          );
        if (own > RATIO_FLOOR_BYTES && own / Math.max(entry.compressedSize, 1) > limits.maxCompressionRatio)
          return stop(
            new ZipLimitError(
              `${fileName}: ${entry.fileName} is compressed more than ${limits.maxCompressionRatio}:1 (a zip bomb?); refused.`,
            ),
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
            ? new ZipLimitError(
                `${fileName}: ${entry.fileName} inflates to more than the ${entry.uncompressedSize} bytes its header declares (a zip bomb?); refused.`,
              )
            : e,
        ),
      );
      stream.once('end', () => {
        if (!failed) resolve(head ? Buffer.concat(head) : undefined);
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
  what: string,
) {
  let zip: ZipFile;
  try {
    zip = await open(buffer);
  } catch (err) {
    throw new ParseError(`${fileName} is not ${what}: ${(err as Error).message}`);
  }
  const names: string[] = [];
  try {
    const list = await entries(zip, limits, budget, fileName);
    // The central directory's own claims first: refuse without inflating anything when they already say no.
    const declared = list.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (budget.used + declared > limits.maxUncompressedBytes)
      throw new ZipLimitError(
        `${fileName} declares ${mib(declared)} of content, over the ${mib(limits.maxUncompressedBytes)} limit; refused.`,
      );
    for (const entry of list) {
      names.push(entry.fileName);
      if (/\/$/.test(entry.fileName)) continue;
      const nested = await inflate(zip, entry, limits, budget, fileName);
      if (nested) {
        if (depth + 1 > limits.maxNestingDepth)
          throw new ZipLimitError(
            `${fileName} nests archives more than ${limits.maxNestingDepth} deep (${entry.fileName}); refused.`,
          );
        await walk(
          nested,
          limits,
          budget,
          `${fileName}/${entry.fileName}`,
          depth + 1,
          'a readable zip archive',
        );
      }
    }
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw new ParseError(`${fileName} is not ${what}: ${(err as Error).message}`);
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
  const names = await walk(buffer, limits, { used: 0, entries: 0 }, fileName, 0, KIND[type]);
  if (!names.includes(REQUIRED_PART[type])) {
    const other = type === 'docx' ? 'xlsx' : 'docx';
    const actually = names.includes(REQUIRED_PART[other])
      ? `an ${other.toUpperCase()} file`
      : `a zip archive without ${REQUIRED_PART[type]}`;
    throw new ParseError(`${fileName} is not ${KIND[type]}: it is ${actually}.`);
  }
}
