/**
 * `wendao models pull [repo[@revision] ...]`: downloads models from the Hugging Face hub (or
 * HF_ENDPOINT), verified and locked, then converts checkpoints without an ONNX export and
 * quantizes to INT8. With no arguments it pulls the default catalog.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  createDownloadProgress,
  createLoggedDownloadProgress,
  DEFAULT_CATALOG,
  DEFAULT_HUB_ENDPOINT,
  findCatalogModel,
  HubClient,
  HubUnreachableError,
  installModel,
  loadCatalog,
  parseModelRef,
  type CatalogModel,
  type DownloadProgressFactory,
  type InstalledModel,
} from '@wendao/hub';
import { urlFrom, type CliConfig } from '../cli-config';
import { parseLanguages } from './model-languages';
import { modelsCommandGroup } from './models-command-group';
import { printLoggedOutcome } from './print-outcome';
import { progressLine } from './progress-line';

export interface ModelsPullOptions {
  refs: string[];
  modelsDir: string;
  endpoint?: string;
  token?: string;
  /** Globs selecting files instead of the default (metadata + best weights). */
  include?: string[];
  /** Folder under modelsDir (single ref only). */
  folder?: string;
  convert?: boolean;
  quantize?: boolean;
  /** Languages the pulled models serve (recorded in wendao.json); a catalog model's own by default. */
  languages?: string[];
  catalog?: CatalogModel[];
  progress?: DownloadProgressFactory;
  log?: (line: string) => void;
}

export interface ModelsPullOutcome {
  output: string;
  exitCode: number;
  installed: InstalledModel[];
}

export async function modelsPullCommand(opts: ModelsPullOptions): Promise<ModelsPullOutcome> {
  const modelsDir = resolve(opts.modelsDir);
  const catalog = opts.catalog ?? DEFAULT_CATALOG;
  const endpoint = opts.endpoint || DEFAULT_HUB_ENDPOINT;
  if (opts.folder && opts.refs.length !== 1) throw new Error('--folder needs exactly one model to pull');
  const hub = new HubClient({ endpoint, token: opts.token });
  const targets = opts.refs.length > 0 ? opts.refs : catalog.map((m) => m.id);
  const lines: string[] = [];
  const installed: InstalledModel[] = [];
  let failed = 0;

  for (const ref of targets) {
    // A catalog id pulls the catalog's sources (e.g. the ONNX export); an explicit revision or file list pulls that repo as asked.
    const entry = opts.include || ref.includes('@') ? undefined : findCatalogModel(catalog, ref);
    try {
      const model = entry
        ? await installModel(entry.sources, {
            modelsDir,
            hub,
            folder: opts.folder ?? entry.id,
            pooling: entry.pooling,
            languages: opts.languages ?? entry.languages,
            convert: opts.convert,
            quantize: opts.quantize,
            progress: opts.progress,
            log: opts.log,
          })
        : await installModel(
            { ...parseModelRef(ref), files: opts.include },
            {
              modelsDir,
              hub,
              folder: opts.folder,
              convert: opts.convert,
              quantize: opts.quantize,
              languages: opts.languages,
              progress: opts.progress,
              log: opts.log,
            },
          );
      installed.push(model);
      const bytes = model.files.reduce((sum, f) => sum + f.size, 0);
      const fetched = model.files.filter((f) => !f.skipped).length;
      const unchecked = model.files.filter((f) => f.verifiedBy === 'none').map((f) => f.file);
      lines.push(
        `${model.folder}: ${model.files.length} files (${(bytes / 1e6).toFixed(1)} MB, ${fetched} downloaded) in ${model.dir}` +
          (model.generated.length ? `; made here: ${model.generated.map((g) => g.file).join(', ')}` : '') +
          (unchecked.length ? `; no published digest for ${unchecked.join(', ')}` : ''),
      );
    } catch (err) {
      failed++;
      const message = (err as Error).message;
      lines.push(`${ref}: ${message}`);
      if (err instanceof HubUnreachableError) {
        lines.push(
          `The hub at ${endpoint} cannot be reached. Set HF_ENDPOINT to a reachable mirror, or copy model folders into ` +
            `${modelsDir} (or set WENDAO_MODELS_DIR); until then Wendao answers in lexical mode.`,
        );
        break;
      }
    }
  }
  if (installed.length > 0) lines.push(`lockfile: ${resolve(modelsDir, 'models.lock.json')}`);
  return { output: lines.join('\n'), exitCode: failed > 0 ? 1 : 0, installed };
}

export function registerModelsPullCommand(program: Command, config: CliConfig): void {
  const models = modelsCommandGroup(program);
  models
    .command('pull')
    .description(
      'download models from the Hugging Face hub (default: the catalog), convert and quantize them',
    )
    .argument(
      '[models...]',
      'repo ids, optionally @revision (e.g. BAAI/bge-small-zh-v1.5, my-org/finbert@v2)',
    )
    .option('--models-dir <dir>', 'where models live (default $WENDAO_MODELS_DIR or ./models)')
    .option('--endpoint <url>', 'hub endpoint (default $HF_ENDPOINT or https://huggingface.co)')
    .option('--include <glob...>', 'pull these files instead of config, tokenizer and the best weights')
    .option('--folder <name>', 'folder under the models directory (default: the repo id)')
    .option('--catalog <file>', 'JSON catalog replacing the default one (default $WENDAO_MODELS_CATALOG)')
    .option('--no-convert', 'do not convert checkpoints that have no ONNX export')
    .option('--no-quantize', 'do not write model_quantized.onnx')
    .option(
      '--languages <codes>',
      "languages the models serve, e.g. zh or zh,en (recorded in wendao.json: the server picks models per KB language; a catalog model's own by default)",
    )
    .action(
      async (
        refs: string[],
        flags: {
          modelsDir?: string;
          endpoint?: string;
          include?: string[];
          folder?: string;
          catalog?: string;
          convert: boolean;
          quantize: boolean;
          languages?: string;
        },
      ) => {
        const catalogFile = flags.catalog ?? config.hub.catalogFile;
        // With JSON logs every line is a log entry, progress included; for people, a bar or plain lines.
        const json = config.logging.logFormat === 'json';
        const log = json ? progressLine(config.logging, 'ModelsPull') : (line: string) => console.error(line);
        const outcome = await modelsPullCommand({
          refs,
          modelsDir: flags.modelsDir ?? config.modelsDir,
          // HF_ENDPOINT was checked with the config; the flag is checked alike, not taken for a host.
          endpoint:
            flags.endpoint !== undefined ? urlFrom(flags.endpoint, '--endpoint') : config.hub.endpoint,
          token: config.hub.token,
          include: flags.include,
          folder: flags.folder,
          convert: flags.convert,
          quantize: flags.quantize,
          languages: flags.languages === undefined ? undefined : parseLanguages(flags.languages),
          catalog: catalogFile ? loadCatalog(catalogFile) : undefined,
          progress: json ? createLoggedDownloadProgress(log) : createDownloadProgress(),
          log,
        });
        // The summary too: what was installed where is a log entry like the rest.
        printLoggedOutcome(outcome, 'ModelsPull');
      },
    );
}
