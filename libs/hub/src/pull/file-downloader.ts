/**
 * One file from an HTTP server to disk: follows redirects, resumes a `<file>.part` with an HTTP
 * Range request after an interrupted transfer, verifies the digest the hub published, and only
 * then renames the part into place, so a reader never sees a half-written or unverified file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DownloadProgress } from './download-progress';

export interface ExpectedDigest {
  /** LFS files: the hub publishes the sha256 of the content. */
  sha256?: string;
  /** Small git files: the hub publishes the git blob id, sha1("blob <size>\0" + content). */
  gitBlobSha1?: string;
  size?: number;
}

export interface DownloadRequest {
  url: string;
  destination: string;
  /** Display name for progress and errors, e.g. "onnx/model.onnx". */
  label: string;
  headers?: Record<string, string>;
  expected?: ExpectedDigest;
  progress?: DownloadProgress;
  /** Attempts for network failures and 5xx answers; 4xx answers fail at once. Default 4. */
  maxAttempts?: number;
  /** Backoff before attempt n is retryDelayMs * 2^(n-2). Default 500. */
  retryDelayMs?: number;
  /** An attempt that receives no data for this long is aborted and resumed. Default 60 s. */
  stallTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface DownloadedFile {
  path: string;
  size: number;
  sha256: string;
  /** Which published digest the content was checked against. */
  verifiedBy: 'sha256' | 'git-blob-sha1' | 'none';
  /** Bytes that came from an earlier partial download. */
  resumedFrom: number;
}

/** HTTP 4xx answers and digest mismatches: retrying would not help. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export async function downloadFile(request: DownloadRequest): Promise<DownloadedFile> {
  try {
    return await downloadOnce(request);
  } catch (err) {
    // A stale .part (left by a pull of another commit) fails verification: start once from zero.
    if (err instanceof StalePartError) return downloadOnce(request);
    throw err;
  }
}

class StalePartError extends Error {}

async function downloadOnce(request: DownloadRequest): Promise<DownloadedFile> {
  const doFetch = request.fetch ?? fetch;
  const maxAttempts = request.maxAttempts ?? 4;
  const retryDelayMs = request.retryDelayMs ?? 500;
  const part = `${request.destination}.part`;
  await mkdir(dirname(request.destination), { recursive: true });

  let resumedFrom = -1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(retryDelayMs * 2 ** (attempt - 2));
    let offset = await fileSize(part);
    const expectedSize = request.expected?.size;
    if (expectedSize !== undefined && offset > expectedSize) {
      await unlink(part);
      offset = 0;
    }
    if (resumedFrom < 0) resumedFrom = offset;
    if (expectedSize !== undefined && offset === expectedSize && offset > 0) {
      lastError = undefined;
      break;
    }

    const headers: Record<string, string> = { ...request.headers };
    if (offset > 0) headers.Range = `bytes=${offset}-`;
    const controller = new AbortController();
    let stallTimer: NodeJS.Timeout | undefined;
    const stallTimeoutMs = request.stallTimeoutMs ?? 60_000;
    const rearm = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () => controller.abort(new Error(`no data for ${stallTimeoutMs} ms`)),
        stallTimeoutMs,
      );
    };
    rearm();
    let response: Response;
    try {
      response = await doFetch(request.url, { headers, redirect: 'follow', signal: controller.signal });
    } catch (err) {
      clearTimeout(stallTimer);
      lastError = err;
      continue;
    }
    if (response.status === 416 && offset > 0) {
      // The part already holds the whole file (size unknown up front); verification decides.
      clearTimeout(stallTimer);
      await response.body?.cancel();
      lastError = undefined;
      break;
    }
    if (!response.ok) {
      clearTimeout(stallTimer);
      await response.body?.cancel();
      const message = `${request.label}: HTTP ${response.status} ${response.statusText} from ${request.url}`;
      if (response.status >= 400 && response.status < 500) throw new DownloadError(message, response.status);
      lastError = new Error(message);
      continue;
    }
    let append = false;
    if (response.status === 206) {
      const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
      append = start !== undefined && Number(start) === offset;
    }
    if (!append) offset = 0; // the server ignored Range (or answered oddly): start over
    const length = Number(response.headers.get('content-length') ?? NaN);
    const total = expectedSize ?? (Number.isFinite(length) ? offset + length : undefined);
    request.progress?.start(request.label, total, offset);
    try {
      await writeBody(response, part, append, request.progress, rearm);
      request.progress?.finish();
      lastError = undefined;
      break;
    } catch (err) {
      request.progress?.finish();
      lastError = err; // the part keeps what arrived; the next attempt resumes from there
    } finally {
      clearTimeout(stallTimer);
    }
  }
  if (lastError !== undefined) {
    const cause = lastError instanceof Error ? describeNetworkError(lastError) : String(lastError);
    throw new Error(
      `${request.label}: download failed after ${maxAttempts} attempts (${cause}); run the command again to resume`,
    );
  }

  const digest = await digestFile(part);
  const verifiedBy = checkDigest(request, digest, part);
  if (verifiedBy instanceof Error) {
    await unlink(part).catch(() => undefined);
    if (resumedFrom > 0) throw new StalePartError(verifiedBy.message);
    throw verifiedBy;
  }
  await rename(part, request.destination);
  return {
    path: request.destination,
    size: digest.size,
    sha256: digest.sha256,
    verifiedBy,
    resumedFrom: Math.max(0, resumedFrom),
  };
}

async function writeBody(
  response: Response,
  part: string,
  append: boolean,
  progress: DownloadProgress | undefined,
  onChunk: () => void,
): Promise<void> {
  if (!response.body) throw new Error('response has no body');
  const file = await open(part, append ? 'a' : 'w');
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      onChunk();
      await file.write(chunk);
      progress?.advance(chunk.length);
    }
  } finally {
    await file.close();
  }
}

interface FileDigest {
  size: number;
  sha256: string;
  gitBlobSha1: string;
}

/** Both digests in one pass; the git blob header needs the size first. */
export async function digestFile(path: string): Promise<FileDigest> {
  const size = await fileSize(path);
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1').update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    sha1.update(chunk as Buffer);
  }
  return { size, sha256: sha256.digest('hex'), gitBlobSha1: sha1.digest('hex') };
}

function checkDigest(
  request: DownloadRequest,
  digest: FileDigest,
  part: string,
): DownloadedFile['verifiedBy'] | Error {
  const expected = request.expected ?? {};
  const mismatch = (what: string, want: string | number, got: string | number) =>
    new DownloadError(
      `${request.label}: ${what} mismatch (expected ${want}, got ${got}); the download was discarded (${part} removed) and this file was not installed`,
    );
  if (expected.size !== undefined && expected.size !== digest.size)
    return mismatch('size', expected.size, digest.size);
  if (expected.sha256) {
    return expected.sha256.toLowerCase() === digest.sha256
      ? 'sha256'
      : mismatch('sha256', expected.sha256, digest.sha256);
  }
  if (expected.gitBlobSha1) {
    return expected.gitBlobSha1.toLowerCase() === digest.gitBlobSha1
      ? 'git-blob-sha1'
      : mismatch('git blob sha1', expected.gitBlobSha1, digest.gitBlobSha1);
  }
  return 'none';
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function describeNetworkError(err: Error): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code
    ? `${err.message}: ${cause.code}`
    : cause?.message
      ? `${err.message}: ${cause.message}`
      : err.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
