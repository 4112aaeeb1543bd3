/**
 * Reads an optional JSON file of a model folder: undefined when it is absent, a clear error naming
 * the file when it is not JSON or not an object/array (a half-downloaded config must not load).
 */
import { existsSync, readFileSync } from 'node:fs';

export function readJsonFile(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object') throw new Error(`${path} does not hold a JSON object or array`);
  return value as Record<string, unknown>;
}
