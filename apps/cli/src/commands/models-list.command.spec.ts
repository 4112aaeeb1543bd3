import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeTinyModel } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCliConfig } from '../cli-config';
import { run } from '../main';
import { formatBytes, modelsListCommand, registerModelsListCommand } from './models-list.command';

describe('wendao models list', () => {
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wendao-models-list-'));
    await writeTinyModel(join(root, 'models', 'wendao', 'tiny-embedder'), { head: 'embedder', seed: 1 });
    await writeTinyModel(join(root, 'models', 'tiny-qa'), { head: 'qa', seed: 2 });
    copyFileSync(
      join(root, 'models', 'tiny-qa', 'model.onnx'),
      join(root, 'models', 'tiny-qa', 'model_int8.onnx'),
    );
    await writeTinyModel(join(root, 'models', 'wendao', 'half-downloaded'), { head: 'qa', seed: 3 });
    unlinkSync(join(root, 'models', 'wendao', 'half-downloaded', 'config.json'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('prints id, task, int8 and size of every model, and the reason a folder is unusable', () => {
    const out = modelsListCommand({ modelsDir: join(root, 'models') });
    expect(out.exitCode).toBe(0);
    const lines = out.output.split('\n');
    expect(lines[0]).toMatch(/^ID\s+TASK\s+LANGUAGES\s+INT8\s+SIZE\s+ONNX$/);
    const size = formatBytes(statSync(join(root, 'models', 'tiny-qa', 'model_int8.onnx')).size);
    expect(lines[1]).toMatch(new RegExp(`^tiny-qa\\s+qa\\s+any\\s+yes\\s+${size}\\s+.*model_int8\\.onnx$`));
    expect(lines[2]).toMatch(/^wendao\/half-downloaded\s+incomplete\s+-\s+-\s+.*missing config\.json/);
    expect(lines[3]).toMatch(/^wendao\/tiny-embedder\s+embedder\s+any\s+no\s+\d/);
    expect(out.output).toContain('2 of 3 model folders usable');
    expect(out.output).not.toContain('no QA model');
  });

  it('shows the languages a folder serves and what each KB language would be answered with', async () => {
    const dir = join(root, 'by-language');
    await writeTinyModel(join(dir, 'distilbert', 'distilbert-base-cased-distilled-squad'), {
      head: 'qa',
      seed: 4,
    });
    const out = modelsListCommand({ modelsDir: dir });
    // A catalog model pulled before wendao.json named languages: the catalog says English.
    expect(out.output.split('\n')[1]).toMatch(
      /^distilbert\/distilbert-base-cased-distilled-squad\s+qa\s+en\s+no/,
    );
    expect(out.output).toContain('zh KBs: embedder none (BM25 only), reader lexical');
    expect(out.output).toContain(
      'en KBs: embedder none (BM25 only), reader distilbert/distilbert-base-cased-distilled-squad',
    );
    expect(out.output).toContain(
      'mixed KBs: embedder none (BM25 only), reader distilbert/distilbert-base-cased-distilled-squad',
    );
  });

  it('says plainly that Wendao runs in lexical mode when there are no models', () => {
    mkdirSync(join(root, 'empty'));
    const out = modelsListCommand({ modelsDir: join(root, 'empty') });
    expect(out.exitCode).toBe(0);
    expect(out.output).toMatch(/^No models found in .*empty\./);
    expect(out.output).toContain('lexical mode');
  });

  it('says which models directory does not exist, with exit code 1, rather than "no models"', () => {
    const out = modelsListCommand({ modelsDir: join(root, 'modles') });
    expect(out.exitCode).toBe(1);
    expect(out.output).toBe(
      `wendao: the models directory ${join(root, 'modles')} does not exist (or is not a folder): ` +
        'set WENDAO_MODELS_DIR or --models-dir to the folder that holds the models, or create it with "wendao models pull"',
    );
  });

  it('says so on stderr, as one JSON entry with JSON logs, like every other refusal', async () => {
    // The refusal went to stdout with console.log, plain 'wendao: …' also under WENDAO_LOG_FORMAT=json.
    const refusal = async (env: NodeJS.ProcessEnv) => {
      const written = { stdout: '', stderr: '' };
      const spies = [
        vi
          .spyOn(process.stdout, 'write')
          .mockImplementation((c: string | Uint8Array) => ((written.stdout += String(c)), true)),
        vi
          .spyOn(process.stderr, 'write')
          .mockImplementation((c: string | Uint8Array) => ((written.stderr += String(c)), true)),
        vi
          .spyOn(console, 'log')
          .mockImplementation((...a: unknown[]) => (written.stdout += `${a.join(' ')}\n`)),
        vi
          .spyOn(console, 'error')
          .mockImplementation((...a: unknown[]) => (written.stderr += `${a.join(' ')}\n`)),
      ];
      try {
        await run(['node', 'wendao', 'models', 'list'], { ...env, WENDAO_MODELS_DIR: join(root, 'modles') });
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
      expect(process.exitCode).toBe(1);
      process.exitCode = 0;
      return written;
    };
    const json = await refusal({ WENDAO_LOG_FORMAT: 'json' });
    expect(json.stdout).toBe('');
    expect(JSON.parse(json.stderr)).toMatchObject({
      level: 'error',
      context: 'Wendao',
      message: expect.stringMatching(/^the models directory .*modles does not exist/),
    });
    const text = await refusal({});
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/^wendao: the models directory .*modles does not exist/);
  });

  it('prints JSON for scripts', () => {
    const out = modelsListCommand({ modelsDir: join(root, 'models'), json: true });
    const parsed = JSON.parse(out.output) as {
      models: Array<{ id: string; task?: string; quantized?: boolean }>;
    };
    expect(parsed.models.find((m) => m.id === 'tiny-qa')).toMatchObject({ task: 'qa', quantized: true });
  });

  it('registers under a `models` command that other model subcommands can share', () => {
    const program = new Command();
    program.command('models').command('pull');
    registerModelsListCommand(program, loadCliConfig({}));
    const models = program.commands.filter((c) => c.name() === 'models');
    expect(models).toHaveLength(1);
    expect(models[0].commands.map((c) => c.name())).toEqual(['pull', 'list']);
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(133 * 1024 * 1024)).toBe('133 MiB');
  });
});
