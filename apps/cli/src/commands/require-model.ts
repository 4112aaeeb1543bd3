/**
 * A --model argument (a folder path or a name under the models directory) to its model folder; a
 * model the user named explicitly and that is not there is an error, never a silent lexical fallback.
 */
import { resolveModel, type ModelFolder } from '@wendao/models';

export function requireModel(nameOrPath: string, modelsDir: string): ModelFolder {
  const folder = resolveModel(nameOrPath, { modelsDir });
  if (!folder) throw new Error(`no model "${nameOrPath}" (looked for a folder and under ${modelsDir})`);
  return folder;
}
