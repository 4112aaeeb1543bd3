import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  currentPullLockOwner,
  listModels,
  loadModelFolder,
  MODEL_PULL_LOCK,
  MODEL_PULL_LOCK_OWNER,
  modelPullInProgress,
  writeTinyModel,
} from '@wendao/models';
import {
  ensureDefaultModels,
  HubClient,
  installModel,
  LOCKFILE_NAME,
  pullModel,
  type CatalogModel,
  type InstalledModel,
  withModelFolderLock,
} from '@wendao/hub';
import { HubTestServer, type HubTestFile } from './hub-test-server';
import { holdBusyPullLock, holdPullLock, killed, stopped } from './pull-lock-holder';

/** One small embedder, served by the test hub. */
const TINY_CATALOG: CatalogModel[] = [
  {
    id: 'acme/tiny-embedder',
    role: 'embedder-zh',
    task: 'embedder',
    languages: ['zh'],
    pooling: 'cls',
    license: 'MIT',
    licenseNote: 'test',
    sources: [
      {
        repo: 'acme/tiny-embedder',
        files: ['config.json', 'vocab.txt', 'tokenizer_config.json', 'onnx/model.onnx'],
      },
    ],
  },
];

describe('pulls into one models folder from several processes', () => {
  let root: string;
  let modelsDir: string;
  let server: HubTestServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wendao-concurrent-pull-'));
    const built = join(root, 'built');
    await writeTinyModel(built, { head: 'embedder', seed: 3 });
    const file = async (name: string, lfs = false): Promise<HubTestFile> => ({
      content: await readFile(join(built, name)),
      lfs,
    });
    const files = {
      'config.json': await file('config.json'),
      'vocab.txt': await file('vocab.txt'),
      'tokenizer_config.json': await file('tokenizer_config.json'),
      'onnx/model.onnx': await file('model.onnx', true),
    };
    server = await new HubTestServer({
      'acme/tiny-embedder': { commit: '1'.repeat(40), files },
      'acme/other-embedder': { commit: '2'.repeat(40), files },
    }).start();
  });
  afterAll(async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    modelsDir = await mkdtemp(join(root, 'models-'));
    server.requests.length = 0;
  });
  afterEach(() => rm(modelsDir, { recursive: true, force: true }));

  const hub = () => new HubClient({ endpoint: server.endpoint, retryDelayMs: 10 });
  /** GETs of file content (the revision API aside): what a second download would show up in. */
  const fileDownloads = () =>
    server.requests.filter(
      (r) => r.method === 'GET' && !r.url.startsWith('/api/') && !r.url.includes('/resolve/'),
    );
  const fileRequests = () =>
    server.requests.filter((r) => r.method === 'GET' && !r.url.startsWith('/api/')).map((r) => r.url);

  it('the second pull of a model waits for the first, then downloads nothing', async () => {
    const logs: string[][] = [[], []];
    const pull = (i: number) =>
      installModel(
        {
          repo: 'acme/tiny-embedder',
          files: ['config.json', 'vocab.txt', 'tokenizer_config.json', 'onnx/model.onnx'],
        },
        { modelsDir, hub: hub(), pooling: 'cls', log: (line) => logs[i].push(line) },
      );
    const results: InstalledModel[] = await Promise.all([pull(0), pull(1)]);

    // Every file came from the hub once (the LFS weights through the CDN once, the small files once).
    const requested = fileRequests();
    expect(requested.filter((u) => u.endsWith('/config.json'))).toHaveLength(1);
    expect(requested.filter((u) => u.endsWith('/vocab.txt'))).toHaveLength(1);
    expect(fileDownloads().filter((r) => r.url.endsWith('onnx/model.onnx'))).toHaveLength(1);

    const waited = logs.findIndex((l) => l.some((line) => line.includes('waiting…')));
    expect(waited).toBeGreaterThanOrEqual(0);
    const dir = join(modelsDir, 'acme/tiny-embedder');
    expect(logs[waited]).toContain(
      `another Wendao process is downloading acme/tiny-embedder into ${dir}; waiting…`,
    );
    expect(results[waited].files.every((f) => f.skipped)).toBe(true);
    expect(results[1 - waited].files.some((f) => f.skipped)).toBe(false);

    const folder = loadModelFolder(dir);
    expect(folder.onnxPath).toBe(join(dir, 'onnx/model_quantized.onnx'));
    expect(folder.pooling).toBe('cls');
    const lock = JSON.parse(await readFile(join(modelsDir, LOCKFILE_NAME), 'utf8'));
    expect(lock.models['acme/tiny-embedder'].files.map((f: { file: string }) => f.file).sort()).toEqual([
      '1_Pooling/config.json',
      'config.json',
      'modules.json',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer_config.json',
      'vocab.txt',
    ]);
  });

  it('two first starts on one models folder pull the catalog once; the second finds it present', async () => {
    const start = () => ensureDefaultModels({ modelsDir, endpoint: server.endpoint, catalog: TINY_CATALOG });
    const reports = await Promise.all([start(), start()]);
    expect(reports.map((r) => r.models[0].status).sort()).toEqual(['present', 'pulled']);
    expect(fileDownloads().filter((r) => r.url.endsWith('onnx/model.onnx'))).toHaveLength(1);
    expect(fileRequests().filter((u) => u.endsWith('/config.json'))).toHaveLength(1);
    expect(loadModelFolder(join(modelsDir, 'acme/tiny-embedder')).languages).toEqual(['zh']);
  });

  it('pulls of two models at once both keep their entries in models.lock.json', async () => {
    const files = ['config.json', 'vocab.txt', 'tokenizer_config.json', 'onnx/model.onnx'];
    await Promise.all(
      ['acme/tiny-embedder', 'acme/other-embedder'].map((repo) =>
        pullModel({ repo, files }, { modelsDir, hub: hub() }),
      ),
    );
    const lock = JSON.parse(await readFile(join(modelsDir, LOCKFILE_NAME), 'utf8'));
    expect(Object.keys(lock.models)).toEqual(['acme/other-embedder', 'acme/tiny-embedder']);
    for (const model of Object.values(lock.models) as Array<{ files: unknown[] }>)
      expect(model.files).toHaveLength(4);
  });

  it('a folder whose download lock a live process holds is not loaded, even with every file there', async () => {
    const dir = join(modelsDir, 'acme/tiny-embedder');
    await writeTinyModel(dir, { head: 'embedder' });
    const holder = await holdPullLock(dir, 10_000);
    try {
      expect(() => loadModelFolder(dir)).toThrow(/is being downloaded by a Wendao process/);
      const [summary] = listModels(modelsDir);
      expect(summary.id).toBe('acme/tiny-embedder');
      expect(summary.error).toMatch(/is being downloaded/);
    } finally {
      await stopped(holder);
    }
    expect(loadModelFolder(dir).task).toBe('embedder');
  });

  it('takes over the lock a killed process left and completes the pull', async () => {
    const dir = join(modelsDir, 'acme/tiny-embedder');
    await mkdir(dir, { recursive: true });
    const holder = await holdPullLock(dir, 2000);
    const log: string[] = [];
    const pulling = pullModel(
      {
        repo: 'acme/tiny-embedder',
        files: ['config.json', 'vocab.txt', 'tokenizer_config.json', 'onnx/model.onnx'],
      },
      { modelsDir, hub: hub(), lockStaleMs: 2000, log: (line) => log.push(line) },
    );
    await new Promise((r) => setTimeout(r, 500));
    // While the holder lives, this pull waits and asks the hub for nothing.
    expect(log).toEqual([`another Wendao process is downloading acme/tiny-embedder into ${dir}; waiting…`]);
    expect(fileRequests()).toEqual([]);
    await killed(holder);

    const pulled = await pulling;
    expect(log.some((line) => /download lock nobody has refreshed .* taking it over/.test(line))).toBe(true);
    expect(pulled.files.map((f) => f.file).sort()).toEqual([
      'config.json',
      'onnx/model.onnx',
      'tokenizer_config.json',
      'vocab.txt',
    ]);
    expect(loadModelFolder(dir).onnxPath).toBe(join(dir, 'onnx/model.onnx'));
  });

  const TINY_FILES = ['config.json', 'vocab.txt', 'tokenizer_config.json', 'onnx/model.onnx'];

  it('keeps waiting for a live owner that has not refreshed its lock for minutes (a long convert or quantize), and takes the lock over as soon as that process is killed', async () => {
    const dir = join(modelsDir, 'acme/tiny-embedder');
    await mkdir(dir, { recursive: true });
    // Refreshed two minutes ago: its converter or quantizer has kept the event loop busy since.
    const holder = await holdBusyPullLock(dir, 120_000);
    const log: string[] = [];
    const pulling = pullModel(
      { repo: 'acme/tiny-embedder', files: TINY_FILES },
      { modelsDir, hub: hub(), log: (line) => log.push(line) },
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(log).toEqual([`another Wendao process is downloading acme/tiny-embedder into ${dir}; waiting…`]);
    expect(fileRequests()).toEqual([]);
    expect(modelPullInProgress(dir)).toBe(true);

    const pid = holder.pid;
    const killedAt = Date.now();
    await killed(holder);
    expect(modelPullInProgress(dir)).toBe(false);
    const pulled = await pulling;
    // Not after the 10 minutes a lock of unknown owner waits: its owner is known to be gone.
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(log).toContain(
      `${dir} has a download lock of process ${pid}, which no longer runs (killed?); taking it over`,
    );
    expect(pulled.files.every((f) => !f.skipped)).toBe(true);
    expect(loadModelFolder(dir).onnxPath).toBe(join(dir, 'onnx/model.onnx'));
    await expect(readFile(join(dir, MODEL_PULL_LOCK, MODEL_PULL_LOCK_OWNER))).rejects.toThrow(/ENOENT/);
  });

  it('the lock names its owner and stays its own through refreshes', async () => {
    const dir = join(modelsDir, 'acme/tiny-embedder');
    const log: string[] = [];
    await withModelFolderLock(
      dir,
      { model: 'acme/tiny-embedder', staleMs: 2000, log: (l) => log.push(l) },
      async (assertHeld) => {
        const owner = JSON.parse(await readFile(join(dir, MODEL_PULL_LOCK, MODEL_PULL_LOCK_OWNER), 'utf8'));
        expect(owner).toMatchObject({ pid: process.pid, hostname: hostname() });
        // Refreshed every second: writing owner.json must not make the lock look taken away.
        await new Promise((r) => setTimeout(r, 2500));
        assertHeld();
      },
    );
    expect(log).toEqual([]);
    await expect(readFile(join(dir, MODEL_PULL_LOCK, MODEL_PULL_LOCK_OWNER))).rejects.toThrow(/ENOENT/);
  });

  it('a complete folder whose live owner stopped refreshing the lock is not loaded until that process is gone', async () => {
    const dir = join(modelsDir, 'acme/tiny-embedder');
    await writeTinyModel(dir, { head: 'embedder' });
    const holder = await holdBusyPullLock(dir, 120_000);
    try {
      expect(() => loadModelFolder(dir)).toThrow(/is being downloaded by a Wendao process/);
    } finally {
      await killed(holder);
    }
    expect(loadModelFolder(dir).task).toBe('embedder');
  });

  it('a lock held on another host is taken over only once nobody has refreshed it for the stale time', async () => {
    const dir = join(modelsDir, 'acme/tiny-embedder');
    const lockDir = join(dir, MODEL_PULL_LOCK);
    await mkdir(lockDir, { recursive: true });
    // A process id that does not run here: on this host it would be taken over at once.
    const owner = { ...currentPullLockOwner(2 ** 22 + 17), hostname: 'another-host' };
    await writeFile(join(lockDir, MODEL_PULL_LOCK_OWNER), JSON.stringify(owner));
    const now = new Date();
    await utimes(lockDir, now, now);
    const log: string[] = [];
    const pulling = pullModel(
      { repo: 'acme/tiny-embedder', files: TINY_FILES },
      { modelsDir, hub: hub(), lockStaleMs: 2500, log: (line) => log.push(line) },
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(log).toEqual([`another Wendao process is downloading acme/tiny-embedder into ${dir}; waiting…`]);
    await pulling;
    expect(log.some((line) => /download lock nobody has refreshed .* taking it over/.test(line))).toBe(true);
  });

  it('offline, a folder another process is pulling is reported as being downloaded, not as absent', async () => {
    const dir = join(modelsDir, 'acme/tiny-embedder');
    await mkdir(dir, { recursive: true });
    const holder = await holdPullLock(dir, 10_000);
    try {
      const report = await ensureDefaultModels({ modelsDir, offline: true, catalog: TINY_CATALOG });
      expect(report.models[0].status).toBe('missing');
      expect(report.models[0].message).toMatch(
        new RegExp(`^acme/tiny-embedder is being downloaded into ${dir} by another Wendao process`),
      );
      expect(report.models[0].message).not.toMatch(/is not in/);
    } finally {
      await stopped(holder);
    }
    // Once it is gone, the usual offline report.
    const report = await ensureDefaultModels({ modelsDir, offline: true, catalog: TINY_CATALOG });
    expect(report.models[0].message).toMatch(/is not in .* \(offline mode\)/);
  });
});
