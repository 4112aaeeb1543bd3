/**
 * The few Hugging Face hub endpoints a pull needs: a revision's commit and file list (with the
 * published digests), and file downloads pinned to that commit. The endpoint is configurable
 * (HF_ENDPOINT, a mirror, or a local test server).
 */
import { downloadFile, type DownloadedFile, type ExpectedDigest } from './file-downloader';
import type { DownloadProgress } from './download-progress';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubFile extends ExpectedDigest {
  /** Path inside the repository, e.g. "onnx/model.onnx". */
  path: string;
}

export interface HubRevision {
  repo: string;
  /** What the caller asked for: a branch, tag or commit. */
  revision: string;
  /** The commit it resolved to; downloads are pinned to it. */
  commit: string;
  files: HubFile[];
}

export interface HubClientOptions {
  endpoint?: string;
  token?: string;
  fetch?: typeof fetch;
  maxAttempts?: number;
  retryDelayMs?: number;
  stallTimeoutMs?: number;
}

/** The hub could not be reached at all (offline, DNS, refused): callers fall back to lexical mode. */
export class HubUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubUnreachableError';
  }
}

interface RevisionResponse {
  sha?: string;
  siblings?: Array<{
    rfilename: string;
    size?: number;
    blobId?: string;
    lfs?: { sha256?: string; size?: number };
  }>;
}

export class HubClient {
  readonly endpoint: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HubClientOptions = {}) {
    this.endpoint = (options.endpoint || DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
  }

  async getRevision(repo: string, revision = 'main'): Promise<HubRevision> {
    assertRepoId(repo);
    const url = `${this.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    const response = await this.request(url, { headers: this.headers() });
    if (response.status === 401 || response.status === 403) {
      throw new Error(
        `${repo} needs authentication (HTTP ${response.status}): it is private or gated; accept its terms on the hub and set HF_TOKEN`,
      );
    }
    if (response.status === 404)
      throw new Error(`${repo} at revision "${revision}" was not found on ${this.endpoint}`);
    if (!response.ok)
      throw new Error(`${this.endpoint} answered HTTP ${response.status} for ${repo}@${revision}`);
    let body: RevisionResponse;
    try {
      body = (await response.json()) as RevisionResponse;
    } catch {
      throw new Error(
        `${this.endpoint} did not return JSON for ${repo}@${revision}; is HF_ENDPOINT a Hugging Face hub?`,
      );
    }
    if (!body.sha || !Array.isArray(body.siblings)) {
      throw new Error(`${this.endpoint} returned no commit/file list for ${repo}@${revision}`);
    }
    const files = body.siblings.map((s): HubFile => {
      if (s.lfs?.sha256) return { path: s.rfilename, sha256: s.lfs.sha256, size: s.lfs.size ?? s.size };
      return { path: s.rfilename, gitBlobSha1: s.blobId, size: s.size };
    });
    return { repo, revision, commit: body.sha, files };
  }

  fileUrl(repo: string, commit: string, path: string): string {
    const encodedPath = path.split('/').map(encodeURIComponent).join('/');
    return `${this.endpoint}/${repo}/resolve/${encodeURIComponent(commit)}/${encodedPath}`;
  }

  /**
   * The digest from the response headers, for files the revision listing gave none for:
   * X-Linked-Etag is the LFS sha256 (read before the CDN redirect replaces it); a plain ETag of
   * 40 hex digits is the git blob id.
   */
  async headDigest(repo: string, commit: string, path: string): Promise<ExpectedDigest> {
    const response = await this.request(this.fileUrl(repo, commit, path), {
      method: 'HEAD',
      headers: this.headers(),
      redirect: 'manual',
    });
    const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '')
      .replace(/^W\//, '')
      .replace(/"/g, '');
    const size = Number(
      response.headers.get('x-linked-size') ?? response.headers.get('content-length') ?? NaN,
    );
    const digest: ExpectedDigest = Number.isFinite(size) && size >= 0 ? { size } : {};
    if (/^[0-9a-f]{64}$/i.test(etag)) digest.sha256 = etag;
    else if (/^[0-9a-f]{40}$/i.test(etag)) digest.gitBlobSha1 = etag;
    return digest;
  }

  async download(
    revision: HubRevision,
    file: HubFile,
    destination: string,
    progress?: DownloadProgress,
  ): Promise<DownloadedFile> {
    let expected: ExpectedDigest = file;
    if (!file.sha256 && !file.gitBlobSha1)
      expected = {
        ...(await this.headDigest(revision.repo, revision.commit, file.path)),
        ...dropUndefined(file),
      };
    return downloadFile({
      url: this.fileUrl(revision.repo, revision.commit, file.path),
      destination,
      label: `${revision.repo}/${file.path}`,
      headers: this.headers(),
      expected,
      progress,
      fetch: this.fetch,
      maxAttempts: this.options.maxAttempts,
      retryDelayMs: this.options.retryDelayMs,
      stallTimeoutMs: this.options.stallTimeoutMs,
    });
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': 'wendao/0.1 (model pull)' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    return headers;
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetch(url, init);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new HubUnreachableError(`cannot reach the Hugging Face hub at ${this.endpoint} (${why})`);
    }
  }
}

/** owner/name, or a legacy id without owner (bert-base-chinese), which the hub still resolves. */
export function assertRepoId(repo: string): void {
  if (!/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(repo) || repo.includes('..')) {
    throw new Error(
      `"${repo}" is not a Hugging Face repo id (expected owner/name, e.g. BAAI/bge-small-zh-v1.5)`,
    );
  }
}

function dropUndefined(file: HubFile): Partial<HubFile> {
  return Object.fromEntries(Object.entries(file).filter(([, v]) => v !== undefined));
}
