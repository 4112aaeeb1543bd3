/**
 * First start: makes sure the default catalog's models are in the models directory, pulling
 * what is missing. It never throws for a model it cannot get: the server must come up anyway
 * and answer in lexical mode, so each failure becomes a message saying what to do instead.
 */
import { loadModelFolder, modelPullInProgress } from '@wendao/models';
import { DEFAULT_CATALOG, type CatalogModel } from './catalog';
import type { DownloadProgressFactory } from './pull/download-progress';
import { HubClient, HubUnreachableError } from './pull/hub-client';
import { modelFolderPath } from './pull/model-puller';
import { installLockedModel } from './install-model';
import { withModelFolderLock } from './pull/model-folder-lock';

export interface EnsureDefaultModelsOptions {
  modelsDir: string;
  /** Hub endpoint (HF_ENDPOINT); default https://huggingface.co. */
  endpoint?: string;
  /** HF_TOKEN, for gated or private repos. */
  token?: string;
  /** Do not touch the network: only report what is present. */
  offline?: boolean;
  catalog?: CatalogModel[];
  /** Quantize pulled models to INT8 (default true). */
  quantize?: boolean;
  progress?: DownloadProgressFactory;
  log?: (line: string) => void;
  fetch?: typeof fetch;
  /** Age after which another process's download lock on a folder, unrefreshed, is taken over when its owner cannot be checked (default 10 min; a dead owner on this machine: at once). */
  lockStaleMs?: number;
}

export interface ModelAvailability {
  id: string;
  role: CatalogModel['role'];
  task: CatalogModel['task'];
  dir: string;
  status: 'present' | 'pulled' | 'missing';
  /** For missing models: why, and what the operator can do. */
  message?: string;
}

export interface DefaultModelsReport {
  models: ModelAvailability[];
  /** neural: an embedder and a reader are available; lexical: neither. */
  mode: 'neural' | 'partial' | 'lexical';
}

export async function ensureDefaultModels(options: EnsureDefaultModelsOptions): Promise<DefaultModelsReport> {
  const catalog = options.catalog ?? DEFAULT_CATALOG;
  const log = options.log ?? (() => undefined);
  const hub = new HubClient({ endpoint: options.endpoint, token: options.token, fetch: options.fetch });
  const models: ModelAvailability[] = [];
  let unreachable: string | undefined;

  for (const entry of catalog) {
    const dir = modelFolderPath(options.modelsDir, entry.id);
    const base = { id: entry.id, role: entry.role, task: entry.task, dir };
    if (isUsable(dir)) {
      models.push({ ...base, status: 'present' });
      continue;
    }
    // Not "lexical mode": another folder in the models directory may serve the same languages.
    const fallback = entry.task === 'qa' ? 'the lexical reader' : 'lexical FAQ matching';
    const advice =
      `Without it, ${entry.languages.join('/')} knowledge bases use another ${entry.task === 'qa' ? 'QA model' : 'embedder'} ` +
      `for their language from ${options.modelsDir} if there is one (the start-up log names what each language runs), ` +
      `else ${fallback}. To add it by hand, copy the model folder to ${dir} ` +
      '(or set WENDAO_MODELS_DIR to a models directory that has it), or set HF_ENDPOINT to a reachable hub mirror and run `npx wendao models pull` in the Wendao folder.';
    if (options.offline) {
      // Its files may all be there already: loadModelFolder refuses it only for the lock.
      if (modelPullInProgress(dir)) {
        models.push({
          ...base,
          status: 'missing',
          message:
            `${entry.id} is being downloaded into ${dir} by another Wendao process ` +
            '(offline mode: this one does not wait for it); restart Wendao once that pull has finished to use it.',
        });
        continue;
      }
      models.push({
        ...base,
        status: 'missing',
        message: `${entry.id} is not in ${options.modelsDir} (offline mode). ${advice}`,
      });
      continue;
    }
    if (unreachable) {
      // One unreachable hub is enough: do not wait for every model's connection to time out.
      models.push({
        ...base,
        status: 'missing',
        message: `${entry.id} was not pulled: ${unreachable}. ${advice}`,
      });
      continue;
    }
    try {
      const status = await withModelFolderLock(
        dir,
        { model: entry.id, log, staleMs: options.lockStaleMs },
        async (assertHeld) => {
          // Another process may have pulled it while this one waited for the lock.
          if (isUsable(dir, true)) return 'present' as const;
          log(`pulling ${entry.id} (${entry.role}, ${entry.license})`);
          await installLockedModel(
            entry.sources,
            {
              modelsDir: options.modelsDir,
              hub,
              folder: entry.id,
              pooling: entry.pooling,
              languages: entry.languages,
              quantize: options.quantize ?? true,
              progress: options.progress,
              log,
            },
            assertHeld,
          );
          if (!isUsable(dir, true)) throw new Error(`the pulled folder ${dir} is still incomplete`);
          return 'pulled' as const;
        },
      );
      models.push({ ...base, status });
    } catch (err) {
      const reason = (err as Error).message;
      if (err instanceof HubUnreachableError) unreachable = reason;
      models.push({
        ...base,
        status: 'missing',
        message: `${entry.id} was not pulled: ${reason}. ${advice}`,
      });
      log(`${entry.id}: ${reason}`);
    }
  }

  const have = (task: 'embedder' | 'qa') => models.some((m) => m.task === task && m.status !== 'missing');
  const mode =
    have('embedder') && have('qa') ? 'neural' : have('embedder') || have('qa') ? 'partial' : 'lexical';
  return { models, mode };
}

/** `mine`: this process holds the folder's download lock, so the lock does not make it unusable. */
function isUsable(dir: string, mine = false): boolean {
  try {
    loadModelFolder(dir, { ignorePullLock: mine });
    return true;
  } catch {
    return false;
  }
}
