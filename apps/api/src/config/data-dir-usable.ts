/**
 * The start-up check of WENDAO_DATA_DIR (the embedded PostgreSQL and the saved KB indexes live
 * there): made when missing and writable, or the start stops at once saying which variable to fix,
 * instead of a bare `EEXIST: file already exists, mkdir` from wherever the folder is first used.
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';

const FIX =
  'set WENDAO_DATA_DIR to a folder Wendao may write (the embedded PostgreSQL and the saved KB indexes live there)';

/** Why the folder cannot be made, in words, by the error's code. */
function cannotMake(dir: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EEXIST':
      return `${dir} is a file, not a folder`;
    case 'ENOTDIR':
      return `${dir} cannot be a folder: a part of its path is a file`;
    case 'EACCES':
    case 'EPERM':
      return `${dir} cannot be created (permission denied)`;
    case 'EROFS':
      return `${dir} cannot be created: the file system is read-only`;
    default:
      return `${dir} cannot be created (${err.message})`;
  }
}

export async function assertDataDirUsable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new Error(`WENDAO_DATA_DIR: ${cannotMake(dir, err as NodeJS.ErrnoException)}; ${FIX}`, {
      cause: err,
    });
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new Error(
      `WENDAO_DATA_DIR: ${dir} is not writable (${(err as NodeJS.ErrnoException).code}); ${FIX}`,
      { cause: err },
    );
  }
}
