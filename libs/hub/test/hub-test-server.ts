/**
 * A local stand-in for the Hugging Face hub (the one thing tests may fake: it is outside this
 * machine). It serves the real URL shapes: the revision API with blob digests, /resolve/ with
 * a redirect to a "CDN" for LFS files, Range requests, and scripted failures.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubTestFile {
  content: Buffer;
  /** LFS files redirect to the CDN and publish a sha256; others publish a git blob id. */
  lfs?: boolean;
  /** Publish this sha256 instead of the real one (a corrupted upload / tampered mirror). */
  publishedSha256?: string;
  /** The first GET sends this many bytes, then drops the connection. */
  interruptFirstAfter?: number;
  /** The first GET sends this many bytes, then goes silent with the connection open. */
  stallFirstAfter?: number;
}

export interface HubTestRepo {
  commit: string;
  files: Record<string, HubTestFile>;
  /** Answer 401 unless this bearer token is sent. */
  token?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  range?: string;
  authorization?: string;
}

export class HubTestServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly interrupted = new Set<string>();

  constructor(readonly repos: Record<string, HubTestRepo>) {}

  get endpoint(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({
      method: req.method ?? 'GET',
      url: url.pathname,
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) return this.revision(req, res, decodeURIComponent(api[1]), decodeURIComponent(api[2]), url);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve)
      return this.resolveFile(
        req,
        res,
        resolve[1],
        decodeURIComponent(resolve[2]),
        decodeURIComponent(resolve[3]),
      );
    const cdn = /^\/cdn\/([^/]+\/[^/]+)\/(.+)$/.exec(url.pathname);
    if (cdn) {
      const file = this.repos[cdn[1]]?.files[decodeURIComponent(cdn[2])];
      if (file) return this.serve(req, res, `${cdn[1]}/${cdn[2]}`, file, {});
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Repository not found"}');
  }

  private authorized(req: IncomingMessage, repo: HubTestRepo): boolean {
    return !repo.token || req.headers.authorization === `Bearer ${repo.token}`;
  }

  private revision(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    revision: string,
    url: URL,
  ): void {
    const repo = this.repos[name];
    if (!repo || (revision !== 'main' && revision !== repo.commit)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Revision not found"}');
      return;
    }
    if (!this.authorized(req, repo))
      return void res.writeHead(401).end('{"error":"Access to model is restricted"}');
    const blobs = url.searchParams.get('blobs') === 'true';
    const siblings = Object.entries(repo.files).map(([rfilename, file]) => {
      if (!blobs) return { rfilename };
      const sha256 = createHash('sha256').update(file.content).digest('hex');
      return file.lfs
        ? {
            rfilename,
            size: file.content.length,
            blobId: 'x'.repeat(40),
            lfs: { sha256: file.publishedSha256 ?? sha256, size: file.content.length },
          }
        : { rfilename, size: file.content.length, blobId: gitBlobSha1(file.content) };
    });
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: name, sha: repo.commit, siblings }));
  }

  private resolveFile(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    revision: string,
    path: string,
  ): void {
    const repo = this.repos[name];
    const file = repo?.files[path];
    if (!repo || !file || (revision !== 'main' && revision !== repo.commit)) {
      res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found');
      return;
    }
    if (!this.authorized(req, repo)) return void res.writeHead(401).end();
    const common = { 'x-repo-commit': repo.commit };
    if (file.lfs) {
      const sha256 = file.publishedSha256 ?? createHash('sha256').update(file.content).digest('hex');
      res
        .writeHead(302, {
          ...common,
          location: `/cdn/${name}/${path}`,
          'x-linked-etag': `"${sha256}"`,
          'x-linked-size': String(file.content.length),
        })
        .end();
      return;
    }
    this.serve(req, res, `${name}/${path}`, file, { ...common, etag: `"${gitBlobSha1(file.content)}"` });
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    file: HubTestFile,
    headers: Record<string, string>,
  ): void {
    const size = file.content.length;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    if (range) {
      start = Number(range[1]);
      if (start >= size) return void res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      res.writeHead(206, {
        ...headers,
        'content-length': String(size - start),
        'content-range': `bytes ${start}-${size - 1}/${size}`,
      });
    } else {
      res.writeHead(200, { ...headers, 'content-length': String(size), 'accept-ranges': 'bytes' });
    }
    if (req.method === 'HEAD') return void res.end();
    if (file.interruptFirstAfter !== undefined && !this.interrupted.has(key)) {
      this.interrupted.add(key);
      res.write(file.content.subarray(start, start + file.interruptFirstAfter), () => {
        // Let the bytes leave before the connection drops, like a flaky network mid-transfer.
        setTimeout(() => res.socket?.destroy(), 20);
      });
      return;
    }
    if (file.stallFirstAfter !== undefined && !this.interrupted.has(key)) {
      this.interrupted.add(key);
      res.write(file.content.subarray(start, start + file.stallFirstAfter));
      return; // never ends; stop() closes it
    }
    res.end(file.content.subarray(start));
  }
}

export function gitBlobSha1(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
