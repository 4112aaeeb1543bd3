/**
 * The one typed configuration object. Environment variables are read here and nowhere else;
 * tests build an AppConfig directly (or pass their own env) instead of touching process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseModelChoice, type ModelsByLanguage } from '@wendao/answer';
import proxyaddr from 'proxy-addr';
import { boolFrom, databaseUrlFrom, intFrom, portFrom, serviceUrlFrom } from './env-values';

export interface ChunkingConfig {
  /** Passage length the chunker aims for, in characters. */
  targetLength: number;
  /** A passage never exceeds this unless one sentence alone does (then it is cut). */
  maxLength: number;
  /** Trailing sentences of a passage repeated at the start of the next one. */
  overlap: number;
}

/** What one upload may make a parser do; every parser runs in a worker thread held to these. */
export interface ParsingConfig {
  /** Parser worker threads (each reads one file at a time). */
  workers: number;
  /** A parse running longer is stopped and its job failed. */
  timeoutMs: number;
  /** V8 heap per parser worker, in MiB: running out ends that worker, never the server. */
  maxHeapMb: number;
  /** DOCX/XLSX: total inflated bytes, inflated/compressed ratio, zip entries, archives nested inside. */
  zipMaxUncompressedBytes: number;
  zipMaxRatio: number;
  zipMaxEntries: number;
  zipMaxNesting: number;
  pdfMaxPages: number;
  pdfMaxTextChars: number;
}

/** Intent classifiers train in worker threads held to these (issue 15). */
export interface IntentTrainingConfig {
  /** A training running longer is stopped (its worker terminated); the previous classifier stays. */
  timeoutMs: number;
  /** V8 heap per training worker, in MiB: running out ends that training, never the server. */
  maxHeapMb: number;
  /**
   * A classifier weighs its intents by the traffic's mix, estimated from the KB's latest this many
   * logged questions (0: never; it keeps the labels' mix).
   */
  trafficQuestions: number;
  /** The traffic's mix is estimated again when a question is labelled this long after the last estimate. */
  trafficRefreshMs: number;
  /**
   * Where the traffic's mix is close to the labels', the classifier trains again on the logged
   * questions it accepts (self-training, @wendao/intent learnFromTraffic) at each estimate.
   */
  selfTraining: boolean;
}

/** How ingestion jobs survive crashes without becoming poison pills. */
export interface JobsConfig {
  /** A job whose processing started this many times without finishing is failed, never re-queued. */
  maxAttempts: number;
  /** A `running` job whose worker has not reported for this long is stale (its process died). */
  staleAfterMs: number;
  /** How often the sweeper looks for stale jobs while the server runs. */
  sweepIntervalMs: number;
}

/** The customer chat over socket.io (namespace /chat). */
export interface ChatConfig {
  /** Longest customer or agent message, in characters (over it: an `error` event, message_too_long). */
  maxMessageLength: number;
  /** Customer messages allowed per socket and per session in each window (0: no limit). */
  rateLimit: number;
  /** Customer messages allowed from one IP address in each window, over all its sockets (0: no limit). */
  ipRateLimit: number;
  rateWindowMs: number;
  /** Customer messages allowed per widget key in each window, over all its sessions (0: no limit). */
  keyRateLimit: number;
  /** Socket connections (handshakes) allowed from one IP address in each window (0: no limit). */
  connectRateLimit: number;
  /** Bot fallbacks in a row after which the session is handed to a human (0: never). */
  handoffAfterFallbacks: number;
  /** A session queued for an agent this long without one taking it: the customer may leave a message (0: waits). */
  agentWaitMs: number;
  /**
   * An agent who disconnects with sessions taken and is not back (signed in as the same user, or
   * with the same key) this long gives them back to the bot (0: they wait for that agent).
   */
  agentReconnectMs: number;
  /**
   * The shared secret agents join with (`agent:join {token}`); unset: no agent can join, and a
   * handoff request offers to leave a message. The access-control issue replaces it with roles.
   */
  agentToken?: string;
}

/** Users, login sessions and the first owner (issue 16). */
export interface AuthConfig {
  /** A login session ends this long after login (WENDAO_SESSION_TTL_HOURS). */
  sessionTtlHours: number;
  /** Mark the session cookie Secure (HTTPS only); default on with NODE_ENV=production. */
  cookieSecure: boolean;
  /**
   * The first owner, created at a start that finds no user at all (WENDAO_OWNER_EMAIL,
   * WENDAO_OWNER_PASSWORD, WENDAO_OWNER_ORGANISATION); never a default password.
   */
  owner?: { email: string; password: string; organisation: string };
}

/**
 * Request rate limits of the HTTP API (429 + Retry-After over them). Counted in Redis when REDIS_URL
 * is set (shared by every replica), else in process. /health and /ready are never limited.
 */
export interface RateLimitConfig {
  windowMs: number;
  /** Requests from one client IP address in each window, credentials or not (0: no limit). */
  perIp: number;
  /** Requests carrying one credential (API key, login session) in each window, from any IP (0: no limit). */
  perKey: number;
  /** Sign-in attempts (POST /api/auth/login) from one client IP in each window (0: no limit). */
  login: number;
}

/**
 * What this process does (WENDAO_ROLE): `all` serves HTTP and sockets and processes ingestion jobs;
 * `api` serves and only enqueues jobs; `worker` only processes the BullMQ ingestion queue (no HTTP,
 * no KB indexes in memory). `api` and `worker` need REDIS_URL (the queue between them).
 */
export type AppRole = 'all' | 'api' | 'worker';

/**
 * The Prometheus endpoint. `/metrics` on the HTTP port answers only when a token is set (Bearer);
 * a metrics port serves it alone on a separate listener (the worker's only one), open unless a
 * token is set.
 */
export interface MetricsConfig {
  /** WENDAO_METRICS_TOKEN: scrapers send `Authorization: Bearer <token>`. */
  token?: string;
  /** WENDAO_METRICS_PORT: a listener of its own serving only /metrics (any role); unset: none. */
  port?: number;
}

export interface AppConfig {
  role: AppRole;
  /**
   * WENDAO_SHARD_ORGANISATIONS: this replica group serves only these organisations' KBs (loads them at
   * start, follows their versions); empty: every KB. The load balancer routes by KB to the group.
   */
  shardOrganisations: string[];
  port: number;
  host: string;
  /** Unset: the app starts an embedded PostgreSQL under dataDir/pg. */
  databaseUrl?: string;
  /** Unset: in-process cache, queue and socket adapter. */
  redisUrl?: string;
  /** Namespaces Redis keys and BullMQ queues, so several deployments (or tests) can share a server. */
  redisPrefix: string;
  dataDir: string;
  /**
   * Root only (WENDAO_EMBEDDED_PG_DIR): where the embedded PostgreSQL's binaries and data go when its
   * `postgres` user cannot enter dataDir (a clone in a private home such as /root/wendao).
   */
  embeddedPgDir: string;
  modelsDir: string;
  /**
   * The sentence encoder: a folder name (under modelsDir) or path for every KB, or names per KB
   * language (`en=org/name`); unset picks one per KB language.
   */
  encoderModel?: string | ModelsByLanguage;
  /** The extractive QA reader, in the same forms. */
  readerModel?: string | ModelsByLanguage;
  /** `npm start` pulls the default model catalog into modelsDir when models are missing (WENDAO_PULL_MODELS). */
  pullModels: boolean;
  /** Hugging Face hub endpoint (HF_ENDPOINT) and token (HF_TOKEN) for pulls; HF_HUB_OFFLINE=1 never touches the network. */
  hub: { endpoint?: string; token?: string; offline: boolean };
  /** Threads per ONNX session (0 lets onnxruntime decide). */
  onnxThreads: number;
  preferInt8: boolean;
  /** Rebuild fp32 encoder and reader models without padding (each checked against its file on load). */
  packedLayout: boolean;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** WENDAO_LOG_FORMAT: `text` (Nest's readable lines) or `json` (one JSON object per line). */
  logFormat: 'text' | 'json';
  /** NO_COLOR was set (https://no-color.org): never colour the logs, even on a terminal. */
  noColor: boolean;
  metrics: MetricsConfig;
  /** Seed the demo knowledge base on first start (empty database), and its widget key for /demo. */
  demo: boolean;
  /** The built chat widget served at /widget.js (WENDAO_WIDGET_FILE; `npm run build` writes it). */
  widgetFile: string;
  /** The built admin console served at /admin (WENDAO_ADMIN_DIR; `npm run build` writes it). */
  adminDir: string;
  /** Largest accepted upload, per file, in bytes (over it: 413). */
  uploadMaxBytes: number;
  /** Most files in one upload request. */
  uploadMaxFiles: number;
  /** Largest JSON body of any route but the KB import, in bytes (over it: 413). */
  jsonMaxBytes: number;
  /** Largest JSON body of POST /api/kbs/import, in bytes (over it: 413). */
  importMaxBytes: number;
  /** Origins whose pages may call /api from the browser (CORS); empty: same origin only. */
  corsOrigins: string[];
  /**
   * Express's `trust proxy` (WENDAO_TRUST_PROXY): which X-Forwarded-For hops to believe for the client
   * IP that rate limits count; false (default): the TCP peer is the client.
   */
  trustProxy: boolean | number | string;
  rateLimits: RateLimitConfig;
  /** Longest accepted question, in characters (over it: 400). */
  maxQuestionLength: number;
  chunking: ChunkingConfig;
  parsing: ParsingConfig;
  intentTraining: IntentTrainingConfig;
  jobs: JobsConfig;
  chat: ChatConfig;
  auth: AuthConfig;
  /** Answers kept in the in-process LRU (ignored with Redis); 0 turns the in-process cache off. */
  answerCacheSize: number;
  /** Seconds an answer stays in the cache; keys carry the KB version, so this only bounds memory. */
  answerCacheTtlSeconds: number;
  /** Embeddings kept by the encoder's own cache. */
  embeddingCacheSize: number;
  /** The encoder runs on a worker thread of its own (WENDAO_ENCODER_THREAD, default false). */
  encoderThread: boolean;
  /** Passages handed to the reader per question. */
  readerPassages: number;
  /** Mirror of NODE_ENV=production. (500 bodies never carry internal error text, whatever this says.) */
  production: boolean;
}

function originsFrom(value: string | undefined, name: string): string[] {
  if (!value?.trim()) return [];
  return value.split(',').map((raw) => {
    const o = raw.trim();
    let url: URL | undefined;
    try {
      url = new URL(o);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== o.replace(/\/$/, ''))
      throw new Error(`${name} must list origins such as https://admin.example.com, got "${o}"`);
    return url.origin;
  });
}

/**
 * Express compiles `trust proxy` only when the first request arrives (a bad list then throws from
 * inside Nest); compiling it here stops the server at start with the variable's name instead.
 */
function trustProxyFrom(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || /^(0|false|no|off)$/i.test(value)) return false;
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  try {
    proxyaddr.compile(value.split(',').map((s) => s.trim()));
  } catch (err) {
    throw new Error(
      `WENDAO_TRUST_PROXY must be true, false, a hop count or addresses/subnets/names (loopback, 10.0.0.0/8), got "${value}": ${(err as Error).message}`,
    );
  }
  return value;
}

/**
 * WENDAO_METRICS_TOKEN and WENDAO_METRICS_PORT. A short token is refused: it guards process and
 * traffic figures on the public port. The metrics port cannot be the HTTP port of a serving process.
 */
function metricsFrom(env: NodeJS.ProcessEnv, role: AppRole, httpPort: number): MetricsConfig {
  const token = env.WENDAO_METRICS_TOKEN || undefined;
  if (token !== undefined && (token.length < 16 || /\s/.test(token)))
    throw new Error('WENDAO_METRICS_TOKEN must be at least 16 characters without spaces');
  if (!env.WENDAO_METRICS_PORT) return { token };
  const port = portFrom(env.WENDAO_METRICS_PORT, 0, 'WENDAO_METRICS_PORT');
  if (port === httpPort && role !== 'worker')
    throw new Error(`WENDAO_METRICS_PORT must differ from PORT (${httpPort}): the HTTP server listens there`);
  return { token, port };
}

const LOG_LEVELS: AppConfig['logLevel'][] = ['error', 'warn', 'log', 'debug', 'verbose'];
const LOG_FORMATS: AppConfig['logFormat'][] = ['text', 'json'];
const ROLES: AppRole[] = ['all', 'api', 'worker'];

/** WENDAO_ENCODER_MODEL / WENDAO_READER_MODEL: one name, or language=name pairs; unset: undefined. */
function modelChoiceFrom(value: string | undefined, name: string): string | ModelsByLanguage | undefined {
  if (!value?.trim()) return undefined;
  try {
    return parseModelChoice(value);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
}

/**
 * LOG_LEVEL, WENDAO_LOG_FORMAT and NO_COLOR: how the process logs. The `wendao` CLI reads them the
 * same way, so the lines it logs (an embedded PostgreSQL, the migrations) read as the server's do.
 */
export function loggingFrom(env: NodeJS.ProcessEnv): Pick<AppConfig, 'logLevel' | 'logFormat' | 'noColor'> {
  const logLevel = (env.LOG_LEVEL || 'log') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const logFormat = (env.WENDAO_LOG_FORMAT || 'text').toLowerCase() as AppConfig['logFormat'];
  if (!LOG_FORMATS.includes(logFormat))
    throw new Error(
      `WENDAO_LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got "${env.WENDAO_LOG_FORMAT}"`,
    );
  // NO_COLOR: any non-empty value, as no-color.org says.
  return { logLevel, logFormat, noColor: Boolean(env.NO_COLOR) };
}

/**
 * A size limit: unlike the rate limits, 0 turns nothing off here; it (or a JSON limit too small for
 * a login body) would refuse every upload, request or question, so the start refuses it instead.
 */
function limitFrom(
  value: string | undefined,
  fallback: number,
  min: number,
  name: string,
  refused: string,
): number {
  const limit = intFrom(value, fallback, name);
  if (limit < min) throw new Error(`${name} must be at least ${min}: ${limit} would refuse ${refused}`);
  return limit;
}

function requestLimitsFrom(
  env: NodeJS.ProcessEnv,
): Pick<AppConfig, 'uploadMaxBytes' | 'uploadMaxFiles' | 'jsonMaxBytes' | 'importMaxBytes'> {
  return {
    uploadMaxBytes: limitFrom(
      env.WENDAO_UPLOAD_MAX_BYTES,
      20 * 1024 * 1024,
      1,
      'WENDAO_UPLOAD_MAX_BYTES',
      'every upload',
    ),
    uploadMaxFiles: limitFrom(env.WENDAO_UPLOAD_MAX_FILES, 20, 1, 'WENDAO_UPLOAD_MAX_FILES', 'every upload'),
    jsonMaxBytes: limitFrom(
      env.WENDAO_JSON_MAX_BYTES,
      1024 * 1024,
      1024,
      'WENDAO_JSON_MAX_BYTES',
      'logins and every JSON request',
    ),
    importMaxBytes: limitFrom(
      env.WENDAO_IMPORT_MAX_BYTES,
      100 * 1024 * 1024,
      1024,
      'WENDAO_IMPORT_MAX_BYTES',
      'every KB import',
    ),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = resolve(env.WENDAO_DATA_DIR ?? './data');
  const { logLevel, logFormat, noColor } = loggingFrom(env);
  const chunking: ChunkingConfig = {
    targetLength: intFrom(env.WENDAO_CHUNK_TARGET, 300, 'WENDAO_CHUNK_TARGET'),
    maxLength: intFrom(env.WENDAO_CHUNK_MAX, 480, 'WENDAO_CHUNK_MAX'),
    overlap: intFrom(env.WENDAO_CHUNK_OVERLAP, 1, 'WENDAO_CHUNK_OVERLAP'),
  };
  // Both values said, and which is a default: an operator who set only WENDAO_CHUNK_MAX=100 was told
  // about WENDAO_CHUNK_TARGET without its value (300, the default) being named.
  const said = (name: string, value: number) => `${name} (${value}${env[name] ? '' : ', the default'})`;
  if (chunking.targetLength < 20)
    throw new Error(`${said('WENDAO_CHUNK_TARGET', chunking.targetLength)} must be at least 20 characters`);
  if (chunking.maxLength < chunking.targetLength)
    throw new Error(
      `${said('WENDAO_CHUNK_MAX', chunking.maxLength)} must be at least ${said('WENDAO_CHUNK_TARGET', chunking.targetLength)}: ` +
        'set both (a longest passage at least the length the chunker aims for)',
    );
  if (chunking.overlap > 5) throw new Error('WENDAO_CHUNK_OVERLAP (sentences) must be at most 5');
  const parsing: ParsingConfig = {
    workers: intFrom(env.WENDAO_PARSE_WORKERS, 1, 'WENDAO_PARSE_WORKERS'),
    timeoutMs: intFrom(env.WENDAO_PARSE_TIMEOUT_MS, 120_000, 'WENDAO_PARSE_TIMEOUT_MS'),
    maxHeapMb: intFrom(env.WENDAO_PARSE_MAX_HEAP_MB, 1024, 'WENDAO_PARSE_MAX_HEAP_MB'),
    zipMaxUncompressedBytes: intFrom(
      env.WENDAO_ZIP_MAX_UNCOMPRESSED_BYTES,
      200 * 1024 * 1024,
      'WENDAO_ZIP_MAX_UNCOMPRESSED_BYTES',
    ),
    zipMaxRatio: intFrom(env.WENDAO_ZIP_MAX_RATIO, 200, 'WENDAO_ZIP_MAX_RATIO'),
    zipMaxEntries: intFrom(env.WENDAO_ZIP_MAX_ENTRIES, 5000, 'WENDAO_ZIP_MAX_ENTRIES'),
    zipMaxNesting: intFrom(env.WENDAO_ZIP_MAX_NESTING, 1, 'WENDAO_ZIP_MAX_NESTING'),
    pdfMaxPages: intFrom(env.WENDAO_PDF_MAX_PAGES, 1000, 'WENDAO_PDF_MAX_PAGES'),
    pdfMaxTextChars: intFrom(env.WENDAO_PDF_MAX_TEXT_CHARS, 5_000_000, 'WENDAO_PDF_MAX_TEXT_CHARS'),
  };
  if (parsing.workers < 1) throw new Error('WENDAO_PARSE_WORKERS must be at least 1');
  if (parsing.timeoutMs < 100) throw new Error('WENDAO_PARSE_TIMEOUT_MS must be at least 100');
  if (parsing.maxHeapMb < 16) throw new Error('WENDAO_PARSE_MAX_HEAP_MB must be at least 16');
  // No "off" value either: 0 refused every file of its kind (each job failed on the limit).
  for (const [name, value, refused] of [
    ['WENDAO_PDF_MAX_PAGES', parsing.pdfMaxPages, 'every PDF'],
    ['WENDAO_PDF_MAX_TEXT_CHARS', parsing.pdfMaxTextChars, 'every PDF with text'],
    ['WENDAO_ZIP_MAX_ENTRIES', parsing.zipMaxEntries, 'every DOCX and XLSX'],
    ['WENDAO_ZIP_MAX_UNCOMPRESSED_BYTES', parsing.zipMaxUncompressedBytes, 'every DOCX and XLSX'],
    ['WENDAO_ZIP_MAX_RATIO', parsing.zipMaxRatio, 'every DOCX and XLSX with an entry over 1 MiB'],
  ] as const)
    if (value < 1) throw new Error(`${name} must be at least 1: 0 would refuse ${refused}`);
  const intentTraining: IntentTrainingConfig = {
    // 30 minutes: BANKING77's whole train split (10,003 examples) with MiniLM takes ~370 CPU-s, 17-21
    // minutes of wall clock on a busy 2-core machine (docs/evaluation.md); 5 minutes stopped it every time.
    timeoutMs: intFrom(env.WENDAO_INTENT_TRAIN_TIMEOUT_MS, 1_800_000, 'WENDAO_INTENT_TRAIN_TIMEOUT_MS'),
    maxHeapMb: intFrom(env.WENDAO_INTENT_TRAIN_MAX_HEAP_MB, 1024, 'WENDAO_INTENT_TRAIN_MAX_HEAP_MB'),
    trafficQuestions: intFrom(env.WENDAO_INTENT_TRAFFIC_QUESTIONS, 2000, 'WENDAO_INTENT_TRAFFIC_QUESTIONS'),
    trafficRefreshMs: intFrom(
      env.WENDAO_INTENT_TRAFFIC_REFRESH_MS,
      3_600_000,
      'WENDAO_INTENT_TRAFFIC_REFRESH_MS',
    ),
    selfTraining: boolFrom(env.WENDAO_INTENT_SELF_TRAINING, true, 'WENDAO_INTENT_SELF_TRAINING'),
  };
  if (intentTraining.timeoutMs < 100) throw new Error('WENDAO_INTENT_TRAIN_TIMEOUT_MS must be at least 100');
  if (intentTraining.maxHeapMb < 32) throw new Error('WENDAO_INTENT_TRAIN_MAX_HEAP_MB must be at least 32');
  const jobs: JobsConfig = {
    maxAttempts: intFrom(env.WENDAO_JOB_MAX_ATTEMPTS, 2, 'WENDAO_JOB_MAX_ATTEMPTS'),
    staleAfterMs: intFrom(env.WENDAO_JOB_STALE_MS, 60_000, 'WENDAO_JOB_STALE_MS'),
    sweepIntervalMs: intFrom(env.WENDAO_JOB_SWEEP_MS, 30_000, 'WENDAO_JOB_SWEEP_MS'),
  };
  if (jobs.maxAttempts < 1) throw new Error('WENDAO_JOB_MAX_ATTEMPTS must be at least 1');
  // A running job beats every quarter of WENDAO_JOB_STALE_MS (100 ms at least): at 0 every job still
  // being worked on was taken for dead at the next sweep and run again, then failed.
  if (jobs.staleAfterMs < 1000)
    throw new Error(
      'WENDAO_JOB_STALE_MS must be at least 1000: a job still running would be taken for one whose process died',
    );
  if (jobs.sweepIntervalMs < 100) throw new Error('WENDAO_JOB_SWEEP_MS must be at least 100');
  const chat: ChatConfig = {
    maxMessageLength: intFrom(env.WENDAO_CHAT_MAX_MESSAGE_LENGTH, 500, 'WENDAO_CHAT_MAX_MESSAGE_LENGTH'),
    rateLimit: intFrom(env.WENDAO_CHAT_RATE_LIMIT, 10, 'WENDAO_CHAT_RATE_LIMIT'),
    ipRateLimit: intFrom(env.WENDAO_CHAT_IP_RATE_LIMIT, 60, 'WENDAO_CHAT_IP_RATE_LIMIT'),
    rateWindowMs: intFrom(env.WENDAO_CHAT_RATE_WINDOW_MS, 10_000, 'WENDAO_CHAT_RATE_WINDOW_MS'),
    handoffAfterFallbacks: intFrom(
      env.WENDAO_CHAT_HANDOFF_AFTER_FALLBACKS,
      3,
      'WENDAO_CHAT_HANDOFF_AFTER_FALLBACKS',
    ),
    keyRateLimit: intFrom(env.WENDAO_CHAT_KEY_RATE_LIMIT, 1000, 'WENDAO_CHAT_KEY_RATE_LIMIT'),
    connectRateLimit: intFrom(env.WENDAO_CHAT_CONNECT_RATE_LIMIT, 60, 'WENDAO_CHAT_CONNECT_RATE_LIMIT'),
    agentWaitMs: intFrom(env.WENDAO_CHAT_AGENT_WAIT_MS, 120_000, 'WENDAO_CHAT_AGENT_WAIT_MS'),
    agentReconnectMs: intFrom(env.WENDAO_CHAT_AGENT_RECONNECT_MS, 60_000, 'WENDAO_CHAT_AGENT_RECONNECT_MS'),
    agentToken: env.WENDAO_AGENT_TOKEN || undefined,
  };
  if (chat.maxMessageLength < 1) throw new Error('WENDAO_CHAT_MAX_MESSAGE_LENGTH must be at least 1');
  if (chat.rateWindowMs < 100) throw new Error('WENDAO_CHAT_RATE_WINDOW_MS must be at least 100');
  // Per minute: an IP may be an office behind NAT or a shop's backend, a key is one integration.
  const rateLimits: RateLimitConfig = {
    windowMs: intFrom(env.WENDAO_RATE_LIMIT_WINDOW_MS, 60_000, 'WENDAO_RATE_LIMIT_WINDOW_MS'),
    perIp: intFrom(env.WENDAO_RATE_LIMIT_PER_IP, 1200, 'WENDAO_RATE_LIMIT_PER_IP'),
    perKey: intFrom(env.WENDAO_RATE_LIMIT_PER_KEY, 600, 'WENDAO_RATE_LIMIT_PER_KEY'),
    login: intFrom(env.WENDAO_RATE_LIMIT_LOGIN, 10, 'WENDAO_RATE_LIMIT_LOGIN'),
  };
  if (rateLimits.windowMs < 100) throw new Error('WENDAO_RATE_LIMIT_WINDOW_MS must be at least 100');
  const role = (env.WENDAO_ROLE || 'all') as AppRole;
  if (!ROLES.includes(role)) throw new Error(`WENDAO_ROLE must be one of ${ROLES.join(', ')}, got "${role}"`);
  if (role !== 'all' && !env.REDIS_URL)
    throw new Error(
      `WENDAO_ROLE=${role} needs REDIS_URL: jobs go from api to worker processes through BullMQ`,
    );
  const ownerEmail = env.WENDAO_OWNER_EMAIL?.trim();
  if (!ownerEmail !== !env.WENDAO_OWNER_PASSWORD)
    throw new Error('WENDAO_OWNER_EMAIL and WENDAO_OWNER_PASSWORD are set together or not at all');
  const auth: AuthConfig = {
    sessionTtlHours: intFrom(env.WENDAO_SESSION_TTL_HOURS, 12, 'WENDAO_SESSION_TTL_HOURS'),
    cookieSecure: boolFrom(env.WENDAO_COOKIE_SECURE, env.NODE_ENV === 'production', 'WENDAO_COOKIE_SECURE'),
    owner: ownerEmail
      ? {
          email: ownerEmail,
          password: env.WENDAO_OWNER_PASSWORD!,
          organisation: env.WENDAO_OWNER_ORGANISATION?.trim() || 'Default organisation',
        }
      : undefined,
  };
  if (auth.sessionTtlHours < 1) throw new Error('WENDAO_SESSION_TTL_HOURS must be at least 1');
  const shardOrganisations = (env.WENDAO_SHARD_ORGANISATIONS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of shardOrganisations)
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      throw new Error(`WENDAO_SHARD_ORGANISATIONS must list organisation ids (UUIDs), got "${id}"`);
  const port = portFrom(env.PORT, 3000, 'PORT');
  const metrics = metricsFrom(env, role, port);
  // One walk up the folders for both build outputs.
  const root = installRoot();
  return {
    role,
    shardOrganisations,
    port,
    // An empty HOST means every interface too (it logged "listening on http://:3000").
    host: env.HOST || '0.0.0.0',
    databaseUrl: databaseUrlFrom(env.DATABASE_URL),
    redisUrl: serviceUrlFrom(env.REDIS_URL, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://host:6379'),
    redisPrefix: env.WENDAO_REDIS_PREFIX || 'wendao',
    dataDir,
    // The build's outputs are found beside the install, wherever the server is started from; a path
    // given in the environment is taken from the working directory, as any such path is.
    widgetFile: env.WENDAO_WIDGET_FILE
      ? resolve(env.WENDAO_WIDGET_FILE)
      : join(root, 'apps/widget/dist/widget.js'),
    adminDir: env.WENDAO_ADMIN_DIR ? resolve(env.WENDAO_ADMIN_DIR) : join(root, 'dist/admin'),
    embeddedPgDir: resolve(env.WENDAO_EMBEDDED_PG_DIR || '/var/lib/wendao'),
    modelsDir: resolve(env.WENDAO_MODELS_DIR ?? './models'),
    encoderModel: modelChoiceFrom(env.WENDAO_ENCODER_MODEL, 'WENDAO_ENCODER_MODEL'),
    readerModel: modelChoiceFrom(env.WENDAO_READER_MODEL, 'WENDAO_READER_MODEL'),
    pullModels: boolFrom(env.WENDAO_PULL_MODELS, true, 'WENDAO_PULL_MODELS'),
    hub: {
      endpoint: env.HF_ENDPOINT || undefined,
      token: env.HF_TOKEN || undefined,
      offline: boolFrom(env.HF_HUB_OFFLINE, false, 'HF_HUB_OFFLINE'),
    },
    onnxThreads: intFrom(env.WENDAO_ONNX_THREADS, 0, 'WENDAO_ONNX_THREADS'),
    preferInt8: boolFrom(env.WENDAO_PREFER_INT8, true, 'WENDAO_PREFER_INT8'),
    packedLayout: boolFrom(env.WENDAO_PACKED_LAYOUT, true, 'WENDAO_PACKED_LAYOUT'),
    logLevel,
    logFormat,
    noColor,
    metrics,
    demo: boolFrom(env.WENDAO_DEMO, true, 'WENDAO_DEMO'),
    ...requestLimitsFrom(env),
    corsOrigins: originsFrom(env.WENDAO_CORS_ORIGINS, 'WENDAO_CORS_ORIGINS'),
    trustProxy: trustProxyFrom(env.WENDAO_TRUST_PROXY),
    rateLimits,
    maxQuestionLength: limitFrom(
      env.WENDAO_MAX_QUESTION_LENGTH,
      500,
      1,
      'WENDAO_MAX_QUESTION_LENGTH',
      'every question',
    ),
    chunking,
    parsing,
    intentTraining,
    jobs,
    chat,
    auth,
    answerCacheSize: intFrom(env.WENDAO_ANSWER_CACHE_SIZE, 5000, 'WENDAO_ANSWER_CACHE_SIZE'),
    answerCacheTtlSeconds: intFrom(env.WENDAO_ANSWER_CACHE_TTL, 3600, 'WENDAO_ANSWER_CACHE_TTL'),
    embeddingCacheSize: intFrom(env.WENDAO_EMBEDDING_CACHE_SIZE, 10000, 'WENDAO_EMBEDDING_CACHE_SIZE'),
    encoderThread: boolFrom(env.WENDAO_ENCODER_THREAD, false, 'WENDAO_ENCODER_THREAD'),
    readerPassages: readerPassagesFrom(env.WENDAO_READER_PASSAGES),
    production: env.NODE_ENV === 'production',
  };
}

/** At least one: 0 passed here and stopped the start later with the pipeline's words, naming no variable. */
function readerPassagesFrom(value: string | undefined): number {
  const passages = intFrom(value, 5, 'WENDAO_READER_PASSAGES');
  if (passages < 1)
    throw new Error(
      'WENDAO_READER_PASSAGES must be at least 1: the reader reads that many passages per question',
    );
  return passages;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * The folder Wendao is installed in (its package.json, name "wendao"), found upwards from this file:
 * the sources (apps/api/src/config) or the build (dist/apps/api/src/config). The working directory
 * when none is found.
 */
export function installRoot(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'wendao') return dir;
    } catch {
      // not a readable manifest: keep looking upwards
    }
  }
  return process.cwd();
}
