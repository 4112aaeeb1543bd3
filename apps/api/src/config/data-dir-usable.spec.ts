import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertDataDirUsable } from './data-dir-usable';

describe('assertDataDirUsable', () => {
  const root = mkdtempSync(join(tmpdir(), 'wendao-data-dir-'));
  const file = join(root, 'a-file');
  writeFileSync(file, 'not a folder');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes a missing folder, parents included', async () => {
    const dir = join(root, 'new', 'data');
    await assertDataDirUsable(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('names WENDAO_DATA_DIR and what is wrong with it when it is a file, or under one', async () => {
    await expect(assertDataDirUsable(file)).rejects.toThrow(
      `WENDAO_DATA_DIR: ${file} is a file, not a folder; set WENDAO_DATA_DIR to a folder Wendao may write`,
    );
    await expect(assertDataDirUsable(join(file, 'data'))).rejects.toThrow(
      `WENDAO_DATA_DIR: ${join(file, 'data')} cannot be a folder: a part of its path is a file;`,
    );
    expect(existsSync(join(file, 'data'))).toBe(false);
  });
});
