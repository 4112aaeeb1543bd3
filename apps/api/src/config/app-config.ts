/**
 * The one typed configuration object. Environment variables are read here and nowhere else.
 */
import { resolve } from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  /** Unset: the app starts an embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  /** Unset: in-process cache, queue and socket adapter. */
  redisUrl?: string;
  dataDir: string;
  modelsDir: string;
  /** Threads per ONNX session (0 lets onnxruntime decide). */
  onnxThreads: number;
  preferInt8: boolean;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = resolve(env.WENDAO_DATA_DIR ?? './data');
  return {
    port: intFrom(env.PORT, 3000, 'PORT'),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    dataDir,
    modelsDir: resolve(env.WENDAO_MODELS_DIR ?? './models'),
    onnxThreads: intFrom(env.WENDAO_ONNX_THREADS, 0, 'WENDAO_ONNX_THREADS'),
    preferInt8: env.WENDAO_PREFER_INT8 !== 'false',
    logLevel: (env.LOG_LEVEL as AppConfig['logLevel']) ?? 'log',
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
