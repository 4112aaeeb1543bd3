/**
 * models.lock.json: what exactly is installed in the models directory (repo, the commit a
 * revision resolved to, and each file's size and sha256), so a deployment can be reproduced
 * and audited, and files made here (converted, quantized) are told apart from pulled ones.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCKFILE_NAME = 'models.lock.json';

export interface LockedFile {
  /** Path inside the model folder. */
  file: string;
  size: number;
  sha256: string;
  /** Pulled files: where from. */
  repo?: string;
  revision?: string;
  commit?: string;
  /** Files made on this machine instead of pulled. */
  generatedBy?: 'convert' | 'quantize' | 'pooling' | 'languages';
}

export interface LockedModel {
  files: LockedFile[];
}

interface LockfileContent {
  lockfileVersion: 1;
  models: Record<string, LockedModel>;
}

export class ModelsLock {
  private constructor(
    readonly path: string,
    private readonly content: LockfileContent,
  ) {}

  static async load(modelsDir: string): Promise<ModelsLock> {
    const path = join(modelsDir, LOCKFILE_NAME);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return new ModelsLock(path, { lockfileVersion: 1, models: {} });
    }
    let content: LockfileContent;
    try {
      content = JSON.parse(text) as LockfileContent;
    } catch (err) {
      throw new Error(`${path} is not valid JSON (${(err as Error).message}); fix or delete it`);
    }
    if (content.lockfileVersion !== 1 || typeof content.models !== 'object' || content.models === null) {
      throw new Error(`${path} is not a Wendao models lockfile (lockfileVersion 1)`);
    }
    return new ModelsLock(path, content);
  }

  model(folder: string): LockedModel | undefined {
    return this.content.models[folder];
  }

  get folders(): string[] {
    return Object.keys(this.content.models).sort();
  }

  /** Adds or replaces the entry for `entry.file` in the model's list. */
  record(folder: string, entry: LockedFile): void {
    const model = (this.content.models[folder] ??= { files: [] });
    model.files = model.files.filter((f) => f.file !== entry.file);
    model.files.push(entry);
    model.files.sort((a, b) => a.file.localeCompare(b.file));
  }

  async save(): Promise<void> {
    const sorted: LockfileContent = {
      lockfileVersion: 1,
      models: Object.fromEntries(this.folders.map((f) => [f, this.content.models[f]])),
    };
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
    await rename(tmp, this.path);
  }
}
