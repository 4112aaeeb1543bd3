/**
 * Pulls a model's files from one or more hub repositories into one folder under the models
 * directory and records them in models.lock.json. Only what inference needs is fetched: config,
 * tokenizer, pooling config and one set of weights (ONNX first, else safetensors, else .bin).
 */
import { stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { DownloadProgressFactory } from './download-progress';
import { assertRepoId, type HubClient, type HubFile } from './hub-client';
import { withModelFolderLock, type AssertLockHeld } from './model-folder-lock';
import { ModelsLock } from './models-lock';

export interface ModelSource {
  repo: string;
  /** Branch, tag or commit; default "main". */
  revision?: string;
  /** Paths or globs ("*" within a folder, "**" across folders); default: see selectModelFiles. */
  files?: string[];
}

export interface PullModelOptions {
  modelsDir: string;
  hub: HubClient;
  /** Folder under modelsDir; default the first source's repo id (owner/name). */
  folder?: string;
  progress?: DownloadProgressFactory;
  log?: (line: string) => void;
  /** Age after which another process's download lock on the folder, unrefreshed, is taken over when its owner cannot be checked (default 10 min; a dead owner on this machine: at once). */
  lockStaleMs?: number;
}

export interface PulledModel {
  folder: string;
  dir: string;
  files: Array<{
    file: string;
    repo: string;
    commit: string;
    size: number;
    sha256: string;
    verifiedBy: string;
    skipped: boolean;
  }>;
}

/** Files every BERT-family model folder may use; missing ones are simply not in the repo. */
export const MODEL_METADATA_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
  'sentencepiece.bpe.model',
  'modules.json',
  'sentence_bert_config.json',
  '1_Pooling/config.json',
];

/** "owner/name@revision" -> source; the revision defaults to main. */
export function parseModelRef(ref: string): ModelSource {
  const at = ref.lastIndexOf('@');
  const repo = at > 0 ? ref.slice(0, at) : ref;
  const revision = at > 0 ? ref.slice(at + 1) : 'main';
  assertRepoId(repo);
  if (!revision) throw new Error(`"${ref}": empty revision after @`);
  return { repo, revision };
}

/** The default file choice for a repo listing: metadata plus the best available weights. */
function selectModelFiles(available: string[]): string[] {
  const has = new Set(available);
  const chosen = MODEL_METADATA_FILES.filter((f) => has.has(f));
  const shards = (re: RegExp) => available.filter((f) => re.test(f)).sort();
  if (has.has('onnx/model.onnx')) chosen.push('onnx/model.onnx');
  else if (has.has('model.onnx')) chosen.push('model.onnx');
  else if (has.has('model.safetensors')) chosen.push('model.safetensors');
  else if (has.has('model.safetensors.index.json')) {
    chosen.push('model.safetensors.index.json', ...shards(/^model-\d+-of-\d+\.safetensors$/));
  } else if (has.has('pytorch_model.bin')) chosen.push('pytorch_model.bin');
  else if (has.has('pytorch_model.bin.index.json')) {
    chosen.push('pytorch_model.bin.index.json', ...shards(/^pytorch_model-\d+-of-\d+\.bin$/));
  }
  return chosen;
}

function hasWeights(files: string[]): boolean {
  return files.some((f) => /\.(onnx|safetensors|bin)$/.test(f));
}

/** Where a pull of `sources` goes: the folder name under modelsDir and its path. */
export function pullTarget(
  sources: ModelSource | ModelSource[],
  options: Pick<PullModelOptions, 'modelsDir' | 'folder'>,
): { list: ModelSource[]; folder: string; dir: string } {
  const list = Array.isArray(sources) ? sources : [sources];
  if (list.length === 0) throw new Error('pullModel needs at least one source');
  const folder = options.folder ?? list[0].repo;
  return { list, folder, dir: modelFolderPath(options.modelsDir, folder) };
}

/** Pulls with the folder's download lock held, waiting for another process that holds it. */
export async function pullModel(
  sources: ModelSource | ModelSource[],
  options: PullModelOptions,
): Promise<PulledModel> {
  const { folder, dir } = pullTarget(sources, options);
  return withModelFolderLock(
    dir,
    { model: folder, log: options.log, staleMs: options.lockStaleMs },
    (assertHeld) => pullLockedModel(sources, options, assertHeld),
  );
}

/** pullModel for a caller that already holds the folder's download lock. */
export async function pullLockedModel(
  sources: ModelSource | ModelSource[],
  options: PullModelOptions,
  assertHeld: AssertLockHeld,
): Promise<PulledModel> {
  const { list, folder, dir } = pullTarget(sources, options);
  // Read under the lock: a pull this one waited for has recorded its files, which are then skipped.
  const lock = await ModelsLock.load(options.modelsDir);
  const log = options.log ?? (() => undefined);
  const result: PulledModel = { folder, dir, files: [] };

  for (const source of list) {
    const revision = await options.hub.getRevision(source.repo, source.revision ?? 'main');
    const wanted = pickFiles(revision.files, source.files);
    if (!source.files && !hasWeights(wanted.map((f) => f.path))) {
      throw new Error(
        `${source.repo}@${revision.revision} has no model weights Wendao can use (onnx, safetensors or pytorch_model.bin)`,
      );
    }
    log(
      `${source.repo}@${revision.revision} -> commit ${revision.commit.slice(0, 12)}, ${wanted.length} files`,
    );
    for (const file of wanted) {
      assertHeld();
      const destination = join(dir, file.path);
      const locked = lock.model(folder)?.files.find((f) => f.file === file.path);
      if (
        locked &&
        locked.commit === revision.commit &&
        locked.repo === source.repo &&
        (await sizeOf(destination)) === locked.size
      ) {
        result.files.push({
          ...locked,
          repo: source.repo,
          commit: revision.commit,
          verifiedBy: 'lockfile',
          skipped: true,
        });
        continue;
      }
      const downloaded = await options.hub.download(revision, file, destination, options.progress?.());
      if (downloaded.verifiedBy === 'none')
        log(`  ${file.path}: the hub published no digest; recorded its sha256 without checking it`);
      lock.record(folder, {
        file: file.path,
        repo: source.repo,
        revision: revision.revision,
        commit: revision.commit,
        size: downloaded.size,
        sha256: downloaded.sha256,
      });
      // Saved after every file so an interrupted pull keeps what it verified.
      await lock.save();
      result.files.push({
        file: file.path,
        repo: source.repo,
        commit: revision.commit,
        size: downloaded.size,
        sha256: downloaded.sha256,
        verifiedBy: downloaded.verifiedBy,
        skipped: false,
      });
    }
  }
  return result;
}

/** Resolves folder under modelsDir and refuses paths that would escape it. */
export function modelFolderPath(modelsDir: string, folder: string): string {
  const root = resolve(modelsDir);
  const dir = resolve(root, folder);
  if (dir !== root && !dir.startsWith(root + sep))
    throw new Error(`model folder "${folder}" is outside ${root}`);
  return dir;
}

function pickFiles(available: HubFile[], patterns: string[] | undefined): HubFile[] {
  for (const file of available) {
    if (file.path.split('/').some((part) => part === '..' || part === '')) {
      throw new Error(`the hub listed an unsafe file path "${file.path}"`);
    }
  }
  if (!patterns) {
    const chosen = new Set(selectModelFiles(available.map((f) => f.path)));
    return available.filter((f) => chosen.has(f.path));
  }
  const regexes = patterns.map(globToRegExp);
  return available.filter((f) => regexes.some((re) => re.test(f.path)));
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return -1;
  }
}
