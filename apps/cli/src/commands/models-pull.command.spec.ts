import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '@wendao/models';
import { HubTestServer } from '../../../../libs/hub/test/hub-test-server';
import { capturedOutput, jsonLogEntries } from '../../test/captured-output';
import { loadCliConfig } from '../cli-config';
import { buildProgram, run } from '../main';
import { modelsPullCommand } from './models-pull.command';

const CHECKPOINT = resolve(__dirname, '../../../../libs/hub/test/fixtures/checkpoints/distilbert-qa-bin');

describe('wendao models pull', () => {
  let root: string;
  let server: HubTestServer;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wendao-cli-pull-'));
    const file = async (name: string, lfs = false) => ({
      content: await readFile(join(CHECKPOINT, name)),
      lfs,
    });
    server = await new HubTestServer({
      'acme/distil-reader': {
        commit: 'c'.repeat(40),
        files: {
          'config.json': await file('config.json'),
          'vocab.txt': await file('vocab.txt'),
          'pytorch_model.bin': await file('pytorch_model.bin', true),
          'README.md': { content: Buffer.from('# a reader') },
        },
      },
    }).start();
  });
  afterAll(async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('pulls a checkpoint-only repo and leaves a converted, quantized model folder', async () => {
    const modelsDir = join(root, 'models');
    const outcome = await modelsPullCommand({
      refs: ['acme/distil-reader'],
      modelsDir,
      endpoint: server.endpoint,
      catalog: [],
    });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.output).toMatch(
      /^acme\/distil-reader: 3 files .*3 downloaded.*made here: model\.onnx, wendao\.json, model_quantized\.onnx/,
    );
    const folder = loadModelFolder(join(modelsDir, 'acme/distil-reader'));
    expect(folder.task).toBe('qa');
    expect(folder.quantized).toBe(true);
    // A model from outside the catalog names no language: it serves every KB language...
    expect(folder.languages).toBeUndefined();

    const again = await modelsPullCommand({
      refs: ['acme/distil-reader'],
      modelsDir,
      endpoint: server.endpoint,
      catalog: [],
    });
    expect(again.output).toMatch(/0 downloaded/);

    // ...unless the operator says which it reads, as for a reader made for Chinese.
    const said = await modelsPullCommand({
      refs: ['acme/distil-reader'],
      modelsDir,
      endpoint: server.endpoint,
      catalog: [],
      languages: ['zh'],
    });
    expect(said.exitCode).toBe(0);
    expect(loadModelFolder(join(modelsDir, 'acme/distil-reader')).languages).toEqual(['zh']);
  });

  it('honours --include and --no-quantize', async () => {
    const modelsDir = join(root, 'include');
    const outcome = await modelsPullCommand({
      refs: ['acme/distil-reader@main'],
      modelsDir,
      endpoint: server.endpoint,
      include: ['*.json', 'README.md'],
      convert: false,
      quantize: false,
    });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.installed[0].files.map((f) => f.file).sort()).toEqual(['README.md', 'config.json']);
  });

  it('exits 1 with advice when the hub is unreachable', async () => {
    const closed = new HubTestServer({});
    await closed.start();
    const endpoint = closed.endpoint;
    await closed.stop();
    const outcome = await modelsPullCommand({ refs: [], modelsDir: join(root, 'none'), endpoint });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.output).toMatch(/cannot reach the Hugging Face hub/);
    expect(outcome.output).toMatch(/Set HF_ENDPOINT .* WENDAO_MODELS_DIR.*lexical mode/);
    // It stops at the first unreachable model instead of timing out on each catalog entry.
    expect(outcome.output.split('\n').filter((l) => l.includes('cannot reach')).length).toBe(1);
  });

  it('logs its progress as JSON entries with WENDAO_LOG_FORMAT=json, and as plain lines otherwise', async () => {
    // A log shipper reading `wendao models pull` under JSON logs got plain "downloading …" lines.
    const pull = async (env: NodeJS.ProcessEnv, dir: string): Promise<string> => {
      const written = await capturedOutput(
        () =>
          run(['node', 'wendao', 'models', 'pull', 'acme/distil-reader', '--no-quantize'], {
            ...env,
            WENDAO_MODELS_DIR: join(root, dir),
            HF_ENDPOINT: server.endpoint,
          }),
        { console: true },
      );
      expect(process.exitCode ?? 0).toBe(0);
      return written;
    };
    const entries = jsonLogEntries(await pull({ WENDAO_LOG_FORMAT: 'json' }, 'json-logs'));
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 'log',
        context: 'ModelsPull',
        message: expect.stringMatching(/^downloading acme\/distil-reader\/pytorch_model\.bin \([\d.]+ MB\)$/),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/^acme\/distil-reader\/pytorch_model\.bin: done, [\d.]+ MB$/),
      }),
    );
    const text = (await pull({}, 'text-logs')).trim().split('\n');
    expect(text).toContainEqual(
      expect.stringMatching(/^downloading acme\/distil-reader\/pytorch_model\.bin \([\d.]+ MB\)$/),
    );
    expect(text).toContainEqual(
      expect.stringMatching(/^ {2}acme\/distil-reader\/pytorch_model\.bin: done, [\d.]+ MB$/),
    );
    expect(text.some((line) => line.startsWith('{'))).toBe(false);
  });

  it('refuses an --endpoint that is not an http(s) URL, as it refuses such an HF_ENDPOINT', async () => {
    // It was taken for a host: "cannot reach the Hugging Face hub at notaurl (ERR_INVALID_URL)".
    for (const endpoint of ['notaurl', 'ftp://mirror.example']) {
      const program = buildProgram(loadCliConfig({})).exitOverride();
      await expect(
        program.parseAsync([
          'node',
          'wendao',
          'models',
          'pull',
          'acme/distil-reader',
          '--endpoint',
          endpoint,
        ]),
      ).rejects.toThrow(`--endpoint must be an http(s) URL, got "${endpoint}"`);
    }
    expect(() => loadCliConfig({ HF_ENDPOINT: 'notaurl' })).toThrow('HF_ENDPOINT must be an http(s) URL');
  });
});
