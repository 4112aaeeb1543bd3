import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDownloadProgress,
  DEFAULT_CATALOG,
  downloadFile,
  DownloadError,
  findCatalogModel,
  HubClient,
  HubUnreachableError,
  LOCKFILE_NAME,
  pullModel,
  parseModelRef,
} from '@wendao/hub';
import { HubTestServer } from './hub-test-server';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251));

const COMMIT = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';
const weights = bytes(200_000, 7);
const config = Buffer.from(JSON.stringify({ model_type: 'bert', hidden_size: 32 }));

describe('pulling a model from a hub-shaped server', () => {
  let server: HubTestServer;
  let modelsDir: string;

  beforeAll(async () => {
    server = await new HubTestServer({
      'acme/tiny-bert': {
        commit: COMMIT,
        files: {
          'config.json': { content: config },
          'vocab.txt': { content: Buffer.from('[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n') },
          'README.md': { content: Buffer.from('# tiny') },
          'onnx/model.onnx': { content: weights, lfs: true },
          'onnx/model_fp16.onnx': { content: bytes(1000, 3), lfs: true },
        },
      },
      'acme/flaky': {
        commit: COMMIT,
        files: {
          'config.json': { content: config },
          'model.safetensors': { content: bytes(300_000, 11), lfs: true, interruptFirstAfter: 65_536 },
        },
      },
      'acme/tampered': {
        commit: COMMIT,
        files: {
          'config.json': { content: config },
          'pytorch_model.bin': { content: bytes(50_000, 5), lfs: true, publishedSha256: 'f'.repeat(64) },
        },
      },
      'acme/gated': {
        commit: COMMIT,
        token: 'hf_secret',
        files: { 'config.json': { content: config }, 'model.onnx': { content: bytes(5000, 1), lfs: true } },
      },
    }).start();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'wendao-pull-'));
    server.requests.length = 0;
  });
  afterEach(() => rm(modelsDir, { recursive: true, force: true }));

  const hub = (token?: string) => new HubClient({ endpoint: server.endpoint, token, retryDelayMs: 10 });

  it('follows the CDN redirect, verifies both digest kinds and writes the lockfile', async () => {
    const pulled = await pullModel(parseModelRef('acme/tiny-bert'), { modelsDir, hub: hub() });

    const dir = join(modelsDir, 'acme/tiny-bert');
    expect(await readFile(join(dir, 'onnx/model.onnx'))).toEqual(weights);
    expect(await readFile(join(dir, 'config.json'))).toEqual(config);
    // Only what inference needs: no README, no fp16 variant.
    expect(existsSync(join(dir, 'README.md'))).toBe(false);
    expect(existsSync(join(dir, 'onnx/model_fp16.onnx'))).toBe(false);
    expect(server.requests.some((r) => r.url.startsWith('/cdn/acme/tiny-bert/onnx/model.onnx'))).toBe(true);

    const byFile = Object.fromEntries(pulled.files.map((f) => [f.file, f.verifiedBy]));
    expect(byFile).toEqual({
      'config.json': 'git-blob-sha1',
      'vocab.txt': 'git-blob-sha1',
      'onnx/model.onnx': 'sha256',
    });

    const lock = JSON.parse(await readFile(join(modelsDir, LOCKFILE_NAME), 'utf8'));
    const model = lock.models['acme/tiny-bert'].files.find(
      (f: { file: string }) => f.file === 'onnx/model.onnx',
    );
    expect(model).toEqual({
      file: 'onnx/model.onnx',
      repo: 'acme/tiny-bert',
      revision: 'main',
      commit: COMMIT,
      size: weights.length,
      sha256: sha256(weights),
    });
  });

  it('does not download again what the lockfile says is installed', async () => {
    await pullModel({ repo: 'acme/tiny-bert' }, { modelsDir, hub: hub() });
    server.requests.length = 0;
    const again = await pullModel({ repo: 'acme/tiny-bert' }, { modelsDir, hub: hub() });
    expect(again.files.every((f) => f.skipped)).toBe(true);
    expect(server.requests.map((r) => r.url)).toEqual(['/api/models/acme/tiny-bert/revision/main']);
  });

  it('resumes an interrupted transfer with a Range request', async () => {
    await pullModel({ repo: 'acme/flaky' }, { modelsDir, hub: hub() });
    const content = await readFile(join(modelsDir, 'acme/flaky/model.safetensors'));
    expect(sha256(content)).toBe(sha256(bytes(300_000, 11)));
    const cdn = server.requests.filter((r) => r.url === '/cdn/acme/flaky/model.safetensors');
    expect(cdn.length).toBe(2);
    expect(cdn[0].range).toBeUndefined();
    expect(cdn[1].range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(Number(/\d+/.exec(cdn[1].range!)![0])).toBeLessThanOrEqual(65_536);
  });

  it('aborts a transfer that goes silent and resumes it', async () => {
    const content = bytes(120_000, 13);
    const stalling = new HubTestServer({
      'acme/stall': {
        commit: COMMIT,
        files: { 'model.onnx': { content, lfs: true, stallFirstAfter: 30_000 } },
      },
    });
    await stalling.start();
    try {
      const client = new HubClient({ endpoint: stalling.endpoint, stallTimeoutMs: 300, retryDelayMs: 10 });
      await pullModel({ repo: 'acme/stall' }, { modelsDir, hub: client });
      expect(sha256(await readFile(join(modelsDir, 'acme/stall/model.onnx')))).toBe(sha256(content));
      const cdn = stalling.requests.filter((r) => r.url === '/cdn/acme/stall/model.onnx');
      expect(cdn.map((r) => r.range)).toEqual([undefined, 'bytes=30000-']);
    } finally {
      await stalling.stop();
    }
  });

  it('starts over once when a leftover .part belongs to another version of the file', async () => {
    const dir = join(modelsDir, 'acme/tiny-bert/onnx');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'model.onnx.part'), bytes(50_000, 99)); // same length prefix, other content
    await pullModel({ repo: 'acme/tiny-bert' }, { modelsDir, hub: hub() });
    expect(await readFile(join(dir, 'model.onnx'))).toEqual(weights);
    const cdn = server.requests.filter((r) => r.url === '/cdn/acme/tiny-bert/onnx/model.onnx');
    expect(cdn.map((r) => r.range)).toEqual(['bytes=50000-', undefined]);
  });

  it('continues a .part left by an earlier run instead of starting over', async () => {
    const content = bytes(300_000, 11);
    const dir = join(modelsDir, 'acme/flaky');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'model.safetensors.part'), content.subarray(0, 100_000));
    const other = new HubTestServer({
      'acme/flaky': {
        commit: COMMIT,
        files: { 'config.json': { content: config }, 'model.safetensors': { content, lfs: true } },
      },
    });
    await other.start();
    try {
      await pullModel(
        { repo: 'acme/flaky' },
        { modelsDir, hub: new HubClient({ endpoint: other.endpoint }) },
      );
      const cdn = other.requests.filter((r) => r.url === '/cdn/acme/flaky/model.safetensors');
      expect(cdn.map((r) => r.range)).toEqual(['bytes=100000-']);
      expect(sha256(await readFile(join(dir, 'model.safetensors')))).toBe(sha256(content));
    } finally {
      await other.stop();
    }
  });

  it('rejects a checksum mismatch and leaves nothing half-written', async () => {
    await expect(pullModel({ repo: 'acme/tampered' }, { modelsDir, hub: hub() })).rejects.toThrow(
      /pytorch_model\.bin: sha256 mismatch .*discarded .* and this file was not installed$/,
    );
    const dir = join(modelsDir, 'acme/tampered');
    expect((await readdir(dir)).sort()).toEqual(['config.json']);
    const lock = JSON.parse(await readFile(join(modelsDir, LOCKFILE_NAME), 'utf8'));
    expect(lock.models['acme/tampered'].files.map((f: { file: string }) => f.file)).toEqual(['config.json']);
  });

  it('reports a missing repo or file as a 404 without retrying', async () => {
    await expect(pullModel({ repo: 'acme/nope' }, { modelsDir, hub: hub() })).rejects.toThrow(
      /acme\/nope at revision "main" was not found/,
    );
    const destination = join(modelsDir, 'gone.bin');
    const err = await downloadFile({
      url: `${server.endpoint}/acme/tiny-bert/resolve/main/gone.bin`,
      destination,
      label: 'gone.bin',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).status).toBe(404);
    expect(server.requests.filter((r) => r.url.endsWith('gone.bin')).length).toBe(1);
    expect(existsSync(destination) || existsSync(`${destination}.part`)).toBe(false);
  });

  it('sends HF_TOKEN for gated repos and says what to do without it', async () => {
    await expect(pullModel({ repo: 'acme/gated' }, { modelsDir, hub: hub() })).rejects.toThrow(
      /set HF_TOKEN/,
    );
    await pullModel({ repo: 'acme/gated' }, { modelsDir, hub: hub('hf_secret') });
    expect(existsSync(join(modelsDir, 'acme/gated/model.onnx'))).toBe(true);
    const api = server.requests.filter((r) => r.url === '/api/models/acme/gated/revision/main');
    expect(api.map((r) => r.authorization)).toEqual([undefined, 'Bearer hf_secret']);
  });

  it('names an unreachable hub as such', async () => {
    const closed = new HubTestServer({});
    await closed.start();
    const endpoint = closed.endpoint;
    await closed.stop();
    await expect(
      pullModel({ repo: 'acme/tiny-bert' }, { modelsDir, hub: new HubClient({ endpoint }) }),
    ).rejects.toBeInstanceOf(HubUnreachableError);
  });

  it('prints plain progress lines when the output is not a terminal', async () => {
    const written: string[] = [];
    const stream = {
      isTTY: false,
      write: (line: string) => written.push(line),
    } as unknown as NodeJS.WriteStream;
    await pullModel(
      { repo: 'acme/tiny-bert' },
      { modelsDir, hub: hub(), progress: createDownloadProgress(stream) },
    );
    expect(written).toContain('downloading acme/tiny-bert/onnx/model.onnx (0.2 MB)\n');
    // Percentage lines in between depend on how the body arrives in chunks, so they are not asserted.
    expect(written).toContain('  acme/tiny-bert/onnx/model.onnx: done, 0.2 MB\n');
  });

  it('refuses a malformed repo id', () => {
    expect(() => parseModelRef('../etc/passwd')).toThrow(/not a Hugging Face repo id/);
    expect(() => parseModelRef('a/b/c')).toThrow(/not a Hugging Face repo id/);
    expect(parseModelRef('bert-base-chinese')).toEqual({ repo: 'bert-base-chinese', revision: 'main' });
    expect(findCatalogModel(DEFAULT_CATALOG, 'distilbert-base-cased-distilled-squad')?.id).toBe(
      'distilbert/distilbert-base-cased-distilled-squad',
    );
    expect(parseModelRef('BAAI/bge-small-zh-v1.5@v1.0')).toEqual({
      repo: 'BAAI/bge-small-zh-v1.5',
      revision: 'v1.0',
    });
  });
});
