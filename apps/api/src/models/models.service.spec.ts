import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger, type LoggerService } from '@nestjs/common';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { ModelsService } from './models.service';

/** The lines the service logs at start, as `LEVEL message`. */
async function startLines(modelsDir: string): Promise<string[]> {
  const lines: string[] = [];
  const capture: LoggerService = {
    log: (m: unknown) => lines.push(`LOG ${String(m)}`),
    warn: (m: unknown) => lines.push(`WARN ${String(m)}`),
    error: (m: unknown) => lines.push(`ERROR ${String(m)}`),
  };
  Logger.overrideLogger(capture);
  const service = new ModelsService(loadConfig({ WENDAO_MODELS_DIR: modelsDir }));
  await service.onModuleInit();
  expect(service.mode).toBe('lexical');
  await service.onApplicationShutdown();
  return lines;
}

describe('ModelsService at start without models', () => {
  const root = mkdtempSync(join(tmpdir(), 'wendao-models-service-'));
  afterEach(() => Logger.overrideLogger(true));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('warns, naming WENDAO_MODELS_DIR, when the models folder does not exist, and still starts lexical', async () => {
    const missing = join(root, 'nonexistent', 'models');
    const lines = await startLines(missing);
    // It logged only "answer mode lexical: no models in <dir>", as if the folder were merely empty.
    expect(lines).toContain(
      `WARN WENDAO_MODELS_DIR: the models folder ${missing} does not exist (or is not a folder); starting in lexical mode. ` +
        // `wendao` is not on a new user's PATH: the README runs the CLI with npx.
        'Set WENDAO_MODELS_DIR to the folder that holds the models, or create it with `npx wendao models pull` in the Wendao folder',
    );
    expect(lines).toContain(
      `LOG answer mode lexical: no models folder ${missing} (BM25 retrieval + lexical reader)`,
    );
  });

  it('says the same of a file where the folder should be', async () => {
    const file = join(root, 'models.txt');
    writeFileSync(file, 'not a folder');
    expect((await startLines(file)).filter((l) => l.startsWith('WARN WENDAO_MODELS_DIR:'))).toHaveLength(1);
  });

  it('gives no warning for an empty models folder: lexical mode with no models in it', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const lines = await startLines(empty);
    expect(lines.filter((l) => l.startsWith('WARN'))).toEqual([]);
    expect(lines).toContain(`LOG answer mode lexical: no models in ${empty} (BM25 retrieval + lexical reader)`);
  });
});
