/**
 * Finding the shared evaluation data: an explicit folder wins; otherwise ../shared/datasets beside
 * the repository (the CI and development layout), then shared/datasets inside it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function resolveDatasetsDir(repoRoot: string, explicit?: string): string {
  if (explicit) {
    const dir = resolve(explicit);
    if (!existsSync(dir)) throw new Error(`datasets folder ${dir} does not exist`);
    return dir;
  }
  const candidates = [resolve(repoRoot, '..', 'shared', 'datasets'), resolve(repoRoot, 'shared', 'datasets')];
  const found = candidates.find((dir) => existsSync(join(dir, 'SOURCES.md')));
  if (!found)
    throw new Error(`no datasets folder found (looked in ${candidates.join(', ')}); pass --datasets-dir`);
  return found;
}
