/**
 * Finds a model by path or by name under the models directory ("org/name", "name", or a bare name
 * that matches exactly one "<org>/<name>"), the way users refer to Hugging Face checkpoints.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadModelFolder, type ModelFolder } from './model-folder';

export interface ResolveModelOptions {
  modelsDir: string;
  preferInt8?: boolean;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Returns null when no such folder exists; throws when one exists but is incomplete. */
export function resolveModel(nameOrPath: string, opts: ResolveModelOptions): ModelFolder | null {
  if (typeof nameOrPath !== 'string' || nameOrPath.trim() === '') {
    throw new TypeError('model name or path must be a non-empty string');
  }
  const load = (dir: string, id?: string) => loadModelFolder(dir, { preferInt8: opts.preferInt8, id });
  const explicitPath = isAbsolute(nameOrPath) || /^\.\.?([/\\]|$)/.test(nameOrPath);
  if (explicitPath) return isDir(nameOrPath) ? load(nameOrPath) : null;

  const name = nameOrPath.replace(/\\/g, '/').replace(/\/+$/, '');
  const underModels = join(opts.modelsDir, name);
  if (isDir(underModels)) return load(underModels, name);

  if (!name.includes('/') && isDir(opts.modelsDir)) {
    const matches = readdirSync(opts.modelsDir)
      .filter((org) => !org.startsWith('.') && isDir(join(opts.modelsDir, org, name)))
      .map((org) => `${org}/${name}`);
    if (matches.length > 1) {
      throw new Error(`model name "${name}" is ambiguous in ${resolve(opts.modelsDir)}: ${matches.join(', ')}`);
    }
    if (matches.length === 1) return load(join(opts.modelsDir, matches[0]), matches[0]);
  }
  return isDir(nameOrPath) ? load(nameOrPath) : null;
}
