/**
 * The CLI's configuration: every environment variable a command honours, read once in main.ts,
 * validated with a message naming the variable, and passed to the commands (flags still win).
 * The variables are the API's (apps/api/src/config/app-config.ts), so `wendao` runs like the server.
 */
import { resolve } from 'node:path';
import { loggingFrom, type AppConfig } from '../../api/src/config/app-config';
import { boolFrom, databaseUrlFrom, intFrom } from '../../api/src/config/env-values';

export interface CliConfig {
  /** WENDAO_MODELS_DIR, else ./models: where named models live and the first of each task is found. */
  modelsDir: string;
  /** True when WENDAO_MODELS_DIR set modelsDir; evals take a missing default ./models as lexical mode. */
  modelsDirSet: boolean;
  /** WENDAO_DATASETS_DIR; unset means ../shared/datasets beside the repo (evals only). */
  datasetsDir?: string;
  /** WENDAO_ONNX_THREADS: intra-op threads per model; 0 (default) leaves it to onnxruntime. */
  onnxThreads: number;
  /** WENDAO_PREFER_INT8: run int8 exports where a folder has both (default true). */
  preferInt8: boolean;
  /** WENDAO_PACKED_LAYOUT: run fp32 models rebuilt without padding (default true). */
  packedLayout: boolean;
  /** `wendao models pull`: HF_ENDPOINT, HF_TOKEN and WENDAO_MODELS_CATALOG (a JSON catalog file). */
  hub: { endpoint?: string; token?: string; catalogFile?: string };
  /**
   * `wendao users`, `wendao export` and `wendao import` (opened by cli-database.ts): the server's
   * database — DATABASE_URL, else the embedded PostgreSQL under WENDAO_DATA_DIR (./data), its
   * binaries under WENDAO_EMBEDDED_PG_DIR when run as root.
   */
  database: { url?: string; dataDir: string; embeddedPgDir: string };
  /**
   * LOG_LEVEL, WENDAO_LOG_FORMAT and NO_COLOR, as the server reads them: the lines a command logs
   * (the embedded PostgreSQL, each migration applied) are plain in a pipe, JSON when asked.
   */
  logging: Pick<AppConfig, 'logLevel' | 'logFormat' | 'noColor'>;
}

/** The value as an http(s) URL, or an error naming where it was set (`HF_ENDPOINT`, `--endpoint`). */
export function urlFrom(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${name} must be an http(s) URL, got "${value}"`);
  return value;
}

/** Pure: the same env gives the same config; a bad value throws naming the variable and the value. */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  return {
    modelsDir: env.WENDAO_MODELS_DIR || 'models',
    modelsDirSet: Boolean(env.WENDAO_MODELS_DIR),
    datasetsDir: env.WENDAO_DATASETS_DIR || undefined,
    onnxThreads: intFrom(env.WENDAO_ONNX_THREADS, 0, 'WENDAO_ONNX_THREADS'),
    preferInt8: boolFrom(env.WENDAO_PREFER_INT8, true, 'WENDAO_PREFER_INT8'),
    packedLayout: boolFrom(env.WENDAO_PACKED_LAYOUT, true, 'WENDAO_PACKED_LAYOUT'),
    hub: {
      endpoint: urlFrom(env.HF_ENDPOINT, 'HF_ENDPOINT'),
      token: env.HF_TOKEN || undefined,
      catalogFile: env.WENDAO_MODELS_CATALOG || undefined,
    },
    database: {
      url: databaseUrlFrom(env.DATABASE_URL),
      dataDir: resolve(env.WENDAO_DATA_DIR ?? './data'),
      embeddedPgDir: resolve(env.WENDAO_EMBEDDED_PG_DIR || '/var/lib/wendao'),
    },
    logging: loggingFrom(env),
  };
}
