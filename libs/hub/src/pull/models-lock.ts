/**
 * models.lock.json: what exactly is installed in the models directory (repo, the commit a
 * revision resolved to, and each file's size and sha256), so a deployment can be reproduced
 * and audited, and files made here (converted, quantized) are told apart from pulled ones.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { lock } from 'proper-lockfile';

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

  /** Folders this instance recorded: the only entries save() writes over what is on disk. */
  private readonly touched = new Set<string>();

  static async load(modelsDir: string): Promise<ModelsLock> {
    const path = join(modelsDir, LOCKFILE_NAME);
    return new ModelsLock(path, await readContent(path));
  }
  model(folder: string): LockedModel | undefined {
    return this.content.models[folder];
  }

  get folders(): string[] {
    return Object.keys(this.content.models).sort();
  }

  /** Adds or replaces the entry for `entry.file` in the model's list. */
  record(folder: string, entry: LockedFile): void {
    this.touched.add(folder);
    const model = (this.content.models[folder] ??= { files: [] });
    model.files = model.files.filter((f) => f.file !== entry.file);
    model.files.push(entry);
    model.files.sort((a, b) => a.file.localeCompare(b.file));
  }

  /**
   * Writes this instance's folders into the file as it is now: pulls of other folders, in other
   * processes, save into the same file between this one's load and save, and keep their entries.
   */
  async save(): Promise<void> {
    const release = await lock(this.path, {
      realpath: false,
      lockfilePath: join(dirname(this.path), `.${LOCKFILE_NAME}.lock`),
      // Held for one read and one write: wait for it rather than fail.
      retries: { retries: 100, minTimeout: 20, maxTimeout: 200 },
    });
    try {
      const onDisk = await readContent(this.path);
      for (const folder of this.touched) onDisk.models[folder] = this.content.models[folder];
      this.content.models = onDisk.models;
      const sorted: LockfileContent = {
        lockfileVersion: 1,
        models: Object.fromEntries(this.folders.map((f) => [f, this.content.models[f]])),
      };
      const tmp = `${this.path}.tmp`;
      await writeFile(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
      await rename(tmp, this.path);
    } finally {
      await release();
    }
  }
}

async function readContent(path: string): Promise<LockfileContent> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { lockfileVersion: 1, models: {} };
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
  return content;
}
