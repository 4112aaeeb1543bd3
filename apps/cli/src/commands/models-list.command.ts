/**
 * `wendao models list`: shows the model folders Wendao would use (id, task, int8 or not, size), and
 * says plainly when there are none, because then every answer comes from the lexical mode.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ANSWER_LANGUAGES, modelLanguages, planAnswerModels } from '@wendao/answer';
import { listModels, type ModelSummary } from '@wendao/models';
import type { CliConfig } from '../cli-config';
import { modelsCommandGroup } from './models-command-group';
import { printOutcome } from './print-outcome';

export interface ModelsListOptions {
  modelsDir: string;
  json?: boolean;
}

export interface ModelsListOutcome {
  output: string;
  exitCode: number;
  models: ModelSummary[];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Lists models without touching the process: returns what to print and the exit code. */
export function modelsListCommand(opts: ModelsListOptions): ModelsListOutcome {
  const dir = resolve(opts.modelsDir);
  // A mistyped --models-dir or WENDAO_MODELS_DIR is not "no models yet": say which folder is missing.
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return {
      output:
        `wendao: the models directory ${dir} does not exist (or is not a folder): ` +
        'set WENDAO_MODELS_DIR or --models-dir to the folder that holds the models, or create it with "wendao models pull"',
      exitCode: 1,
      models: [],
    };
  }
  const models = listModels(dir);
  if (opts.json) return { output: JSON.stringify({ modelsDir: dir, models }, null, 2), exitCode: 0, models };
  if (models.length === 0) {
    return {
      output:
        `No models found in ${dir}.\n` +
        'Wendao runs in lexical mode (BM25 retrieval and rule-based answer spans) until models are added: ' +
        'put model folders there or set WENDAO_MODELS_DIR.',
      exitCode: 0,
      models,
    };
  }
  const rows = [['ID', 'TASK', 'LANGUAGES', 'INT8', 'SIZE', 'ONNX']];
  for (const m of models) {
    if (m.error !== undefined) rows.push([m.id, 'incomplete', '-', '-', formatBytes(m.totalBytes), m.error]);
    else {
      const languages = modelLanguages(m)?.join(',') ?? 'any';
      rows.push([m.id, m.task, languages, m.quantized ? 'yes' : 'no', formatBytes(m.onnxBytes), m.onnxPath]);
    }
  }
  const usable = models.filter((m) => m.error === undefined);
  const notes: string[] = [`${usable.length} of ${models.length} model folders usable in ${dir}`];
  if (!usable.some((m) => m.task === 'embedder')) notes.push('no embedder: retrieval is lexical (BM25 only)');
  if (!usable.some((m) => m.task === 'qa')) notes.push('no QA model: answer spans are lexical');
  // What the server would answer each KB language with (WENDAO_ENCODER_MODEL / WENDAO_READER_MODEL
  // unset): a language no QA model reads says "reader lexical".
  const plan = planAnswerModels({ modelsDir: dir });
  const byLanguage = ANSWER_LANGUAGES.map((language) => {
    const embedder = plan.embedders[language]?.id ?? 'none (BM25 only)';
    const readers = plan.readers[language];
    const reader = readers
      ? readers.map((r) => r.id).join(readers.length > 1 ? ' + ' : '') +
        (readers.length > 1 ? " (by the question's script)" : '')
      : 'lexical';
    return `${language} KBs: embedder ${embedder}, reader ${reader}`;
  });
  return { output: `${table(rows)}\n\n${notes.join('\n')}\n\n${byLanguage.join('\n')}`, exitCode: 0, models };
}

export function registerModelsListCommand(program: Command, config: CliConfig): void {
  const models = modelsCommandGroup(program);
  models
    .command('list')
    .description('list model folders in the models directory')
    .option('--models-dir <dir>', 'where models live (default $WENDAO_MODELS_DIR or ./models)')
    .option('--json', 'print the list as JSON')
    .action((flags: { modelsDir?: string; json?: boolean }) => {
      const modelsDir = flags.modelsDir ?? config.modelsDir;
      // Its refusal (no models directory) is an error line like any other: stderr, JSON with JSON logs.
      printOutcome(modelsListCommand({ modelsDir, json: flags.json }));
    });
}
