import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFolder, writeTinyModel } from '@wendao/models';
import { ensureDefaultModels, LOCKFILE_NAME, type CatalogModel } from '@wendao/hub';
import { HubTestServer, type HubTestFile } from './hub-test-server';

const CHECKPOINT = resolve(__dirname, 'fixtures/checkpoints/bert-qa-safetensors');

describe('ensureDefaultModels (first start)', () => {
  let root: string;
  let server: HubTestServer;
  const catalog: CatalogModel[] = [
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
          repo: 'onnx-exports/tiny-embedder',
          files: ['config.json', 'vocab.txt', 'tokenizer_config.json', 'onnx/model.onnx'],
        },
      ],
    },
    {
      id: 'acme/tiny-reader',
      role: 'reader-zh',
      task: 'qa',
      languages: ['zh'],
      license: 'see model card',
      licenseNote: 'test',
      sources: [{ repo: 'acme/tiny-reader', files: ['config.json', 'vocab.txt', 'model.safetensors'] }],
    },
  ];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wendao-ensure-'));
    const built = join(root, 'built');
    await writeTinyModel(built, { head: 'embedder', seed: 7 });
    const file = async (path: string, lfs = false): Promise<HubTestFile> => ({
      content: await readFile(path),
      lfs,
    });
    server = await new HubTestServer({
      'onnx-exports/tiny-embedder': {
        commit: '1'.repeat(40),
        files: {
          'config.json': await file(join(built, 'config.json')),
          'vocab.txt': await file(join(built, 'vocab.txt')),
          'tokenizer_config.json': await file(join(built, 'tokenizer_config.json')),
          'onnx/model.onnx': await file(join(built, 'model.onnx'), true),
        },
      },
      'acme/tiny-reader': {
        commit: '2'.repeat(40),
        files: {
          'config.json': await file(join(CHECKPOINT, 'config.json')),
          'vocab.txt': await file(join(CHECKPOINT, 'vocab.txt')),
          'model.safetensors': await file(join(CHECKPOINT, 'model.safetensors'), true),
        },
      },
    }).start();
  });
  afterAll(async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('pulls, converts and quantizes what is missing, then finds it present without the network', async () => {
    const modelsDir = join(root, 'models');
    const report = await ensureDefaultModels({ modelsDir, endpoint: server.endpoint, catalog });
    expect(report.models.map((m) => [m.id, m.status])).toEqual([
      ['acme/tiny-embedder', 'pulled'],
      ['acme/tiny-reader', 'pulled'],
    ]);
    expect(report.mode).toBe('neural');

    const embedder = loadModelFolder(join(modelsDir, 'acme/tiny-embedder'));
    expect(embedder.onnxPath).toBe(join(modelsDir, 'acme/tiny-embedder/onnx/model_quantized.onnx'));
    expect(embedder.pooling).toBe('cls'); // from the catalog: the export shipped no pooling config
    const reader = loadModelFolder(join(modelsDir, 'acme/tiny-reader'));
    expect(reader.task).toBe('qa');
    // The catalog's languages are recorded, so the server picks each model for the KBs it serves.
    expect(embedder.languages).toEqual(['zh']);
    expect(reader.languages).toEqual(['zh']);
    expect(reader.onnxPath).toBe(join(modelsDir, 'acme/tiny-reader/model_quantized.onnx'));

    const lock = JSON.parse(await readFile(join(modelsDir, LOCKFILE_NAME), 'utf8'));
    const readerFiles = lock.models['acme/tiny-reader'].files;
    expect(readerFiles.find((f: { file: string }) => f.file === 'model.safetensors')).toMatchObject({
      repo: 'acme/tiny-reader',
      commit: '2'.repeat(40),
    });
    expect(readerFiles.find((f: { file: string }) => f.file === 'model.onnx')).toMatchObject({
      generatedBy: 'convert',
    });
    expect(readerFiles.find((f: { file: string }) => f.file === 'model_quantized.onnx')).toMatchObject({
      generatedBy: 'quantize',
    });
    // The converter wrote the reader's wendao.json (languages added to it); the embedder's is new.
    expect(readerFiles.find((f: { file: string }) => f.file === 'wendao.json')).toMatchObject({
      generatedBy: 'convert',
    });
    const embedderFiles = lock.models['acme/tiny-embedder'].files;
    expect(embedderFiles.find((f: { file: string }) => f.file === 'wendao.json')).toMatchObject({
      generatedBy: 'languages',
    });

    server.requests.length = 0;
    const again = await ensureDefaultModels({ modelsDir, endpoint: server.endpoint, catalog });
    expect(again.models.every((m) => m.status === 'present')).toBe(true);
    expect(server.requests).toEqual([]);
  });

  it('keeps going in lexical mode when the hub cannot be reached, and says what to do', async () => {
    const closed = new HubTestServer({});
    await closed.start();
    const endpoint = closed.endpoint;
    await closed.stop();
    const modelsDir = join(root, 'unreachable');
    const report = await ensureDefaultModels({ modelsDir, endpoint, catalog });
    expect(report.mode).toBe('lexical');
    expect(report.models.every((m) => m.status === 'missing')).toBe(true);
    expect(report.models[0].message).toMatch(/cannot reach the Hugging Face hub/);
    expect(report.models[1].message).toMatch(/WENDAO_MODELS_DIR/);
    expect(report.models[1].message).toContain(join(modelsDir, 'acme/tiny-reader'));
    // `wendao` alone is not a command on a new user's PATH: the README runs the CLI with npx.
    expect(report.models[1].message).toMatch(/run `npx wendao models pull` in the Wendao folder\.$/);
  });

  it('does not touch the network when offline', async () => {
    server.requests.length = 0;
    const report = await ensureDefaultModels({
      modelsDir: join(root, 'offline'),
      endpoint: server.endpoint,
      catalog,
      offline: true,
    });
    expect(report.mode).toBe('lexical');
    expect(report.models[0].message).toMatch(/offline mode/);
    // Another folder may serve the same languages: the message says so rather than "lexical mode".
    expect(report.models[0].message).toMatch(
      /use another embedder for their language .* else lexical FAQ matching/,
    );
    expect(report.models[1].message).toMatch(/use another QA model .* else the lexical reader/);
    expect(server.requests).toEqual([]);
    expect(existsSync(join(root, 'offline', LOCKFILE_NAME))).toBe(false);
  });
});
