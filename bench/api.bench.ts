/**
 * API benchmark over HTTP against `node dist/apps/api/src/main.js` run as a child process (embedded
 * PostgreSQL, lexical mode, answer cache off): ingestion passages/s for a 2 MB upload set, ask
 * p50/p95 for 1 client and for 8 concurrent clients on KBs of 1k and 20k passages (FAQ-hit and
 * reader paths separately, after the KB's background calibration has finished), and the server's
 * RSS after loading 20k passages.
 * --neural: the same with random-weight MiniLM-L12-H384 encoder and QA models (real shapes; speed
 * does not depend on the weights), on a 96 KB upload set and a 200-passage KB: embedding runs at
 * a few passages per second on this 2-core machine, so the full sizes would take hours.
 * --embedder NAME: the neural sizes with a real pretrained encoder (a folder under --models-dir,
 * default ./models, or a path); the server picks the reader itself (a QA model in the models dir,
 * else the lexical reader), and /health's model list goes into the record beside every row.
 * Each ask row is measured at 1 client and at 8 concurrent clients. While the upload set is
 * ingested a second time (untimed), GET /health is asked every 10 ms: its latencies show how long
 * the server keeps other requests waiting. --encoder-thread runs the encoder on its own worker thread;
 * --no-embedding-cache turns the encoder's cache off (FAQ-hit questions then run the model too).
 * Run: npm run build && node dist/bench/api.bench.js [--quick] [--neural | --embedder NAME]
 *   [--models-dir DIR] [--encoder-thread] [--no-embedding-cache] [--out FILE]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SeededRandom } from '@wendao/random';
import { type ApiClient, rssMiB, startApi, waitForJobs } from './lib/api-server';
import { parseBenchArgs } from './lib/bench-args';
import { prepareBenchModel } from './lib/bench-models';
import { benchCommand, writeBenchResult } from './lib/bench-result';
import { describeMachine, machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';
import { exportedKb, FACTS, PRODUCTS, QUESTIONS, shopFaqs } from './lib/shop-kb';

const CLIENTS = 8;
const TARGETS = { faqP50Ms: 30, readerP50Ms: 300, ingestPassagesPerSecond: 50, rssMiB: 1024 };

/** What answered: /health's mode and models, as the server reported them after start. */
interface ServerModels {
  mode: 'neural' | 'lexical';
  models: { id: string; modelId: string; task: string; quantized: boolean; layout: string }[];
}

interface AskRow {
  /** Which encoder and reader produced the row (e.g. "encoder intfloat/multilingual-e5-small-q4 (int8) + lexical reader"). */
  models: string;
  passages: number;
  path: 'faq-hit' | 'reader';
  requests: number;
  clients: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  requestsPerSecond: number;
  /** Share of answers of the expected type (faq for the FAQ path, extracted for the reader path). */
  expectedTypeRate: number;
  /** How many answers of each type came back (faq, extracted, clarification, none ...). */
  answerTypes: Record<string, number>;
  /** The pipeline's decision codes (faq_confident skips the reader; asked_type_faq runs it, then answers the FAQ). */
  decisions: Record<string, number>;
  /** The server's own timings.total (time inside the ask service, no HTTP or queueing). */
  serverP50Ms: number;
}

/** "encoder X (int8) + QA reader Y" or "... + lexical reader"; "no models (lexical)" when none loaded. */
function describeModels(server: ServerModels, randomWeights: boolean): string {
  const name = (m: ServerModels['models'][number]) =>
    `${randomWeights ? 'random-weight ' : ''}${m.id}${m.quantized ? ' (int8)' : ''}`;
  const encoder = server.models.find((m) => m.task === 'embedder' || m.task === 'base');
  const reader = server.models.find((m) => m.task === 'qa');
  if (!encoder && !reader) return 'no models (BM25 + lexical reader)';
  return [
    encoder ? `encoder ${name(encoder)}` : 'BM25 retrieval',
    reader ? `QA reader ${name(reader)}` : 'lexical reader',
  ].join(' + ');
}

interface KbState {
  version: number;
  effectiveThresholds: { faq: number; answer: number; clarify: number; margin: number };
  calibration: { kbVersion: number; calibrated: boolean; report: { reason: string; millis: number } } | null;
}

/**
 * Waits for the background calibration of the KB's current version (it starts ~300 ms after a publish
 * and, with an encoder, embeds probe questions): asks measured while it runs would measure it too.
 */
async function calibrated(api: ApiClient, kbId: string, timeoutMs = 600_000): Promise<KbState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const kb = await api.json<KbState>('GET', `/api/kbs/${kbId}`);
    if (kb.calibration && kb.calibration.kbVersion >= kb.version) return kb;
    if (Date.now() > until) throw new Error(`KB ${kbId} was not calibrated in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Takes `--flag VALUE` out of argv, returning its value (undefined when absent). */
function takeFlag(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
  argv.splice(i, 2);
  return value;
}

const EN_PRODUCTS = [
  'wireless earbuds',
  'smart watch',
  'air purifier',
  'coffee maker',
  'hiking backpack',
  'robot vacuum',
];
const EN_FACTS = [
  (p: string, n: number) => `The ${p} comes with a ${n}-month warranty starting on the delivery date.`,
  (p: string, n: number) => `You can return the ${p} within ${n} days if it is unused.`,
  (p: string, n: number) => `The ${p} usually arrives within ${n} days of shipping.`,
];
/** Customer-service prose of about `bytes` UTF-8 bytes (mostly Chinese, some English). */
function prose(random: SeededRandom, bytes: number, tag: number): string {
  const lines: string[] = [];
  let length = 0;
  while (length < bytes) {
    const n = 1 + Math.floor(random.next() * 30);
    const sentence =
      random.next() < 0.8
        ? FACTS[Math.floor(random.next() * FACTS.length)](
            `${PRODUCTS[Math.floor(random.next() * PRODUCTS.length)]}${tag}-${n}型`,
            n,
          )
        : EN_FACTS[Math.floor(random.next() * EN_FACTS.length)](
            `${EN_PRODUCTS[Math.floor(random.next() * EN_PRODUCTS.length)]} ${tag}-${n}`,
            n,
          );
    lines.push(sentence);
    length += Buffer.byteLength(sentence) + 1;
    if (random.next() < 0.15) lines.push('');
  }
  return lines.join('\n');
}

/** `clients` concurrent loops sending the questions round-robin; returns per-request latencies. */
async function load(
  api: ApiClient,
  kbId: string,
  questions: string[],
  requests: number,
  clients: number,
  expectedType: string,
): Promise<{
  latencies: number[];
  serverMs: number[];
  wallMs: number;
  expected: number;
  types: Record<string, number>;
  decisions: Record<string, number>;
}> {
  const latencies: number[] = [];
  const serverMs: number[] = [];
  const types: Record<string, number> = {};
  const decisions: Record<string, number> = {};
  let next = 0;
  let expected = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= requests) return;
        const t0 = performance.now();
        const answer = await api.json<{
          type: string;
          timings: { total: number };
          evidence?: { decision?: { code: string } };
        }>('POST', `/api/kbs/${kbId}/ask`, {
          question: questions[i % questions.length],
        });
        latencies.push(performance.now() - t0);
        serverMs.push(answer.timings.total);
        if (answer.type === expectedType) expected++;
        types[answer.type] = (types[answer.type] ?? 0) + 1;
        const code = answer.evidence?.decision?.code ?? 'none';
        decisions[code] = (decisions[code] ?? 0) + 1;
      }
    }),
  );
  return { latencies, serverMs, wallMs: performance.now() - started, expected, types, decisions };
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const argv = process.argv.slice(2);
  const embedder = takeFlag(argv, '--embedder');
  const randomNeural = argv.includes('--neural');
  // The encoder on a worker thread of its own (WENDAO_ENCODER_THREAD=true) instead of the main thread.
  const encoderThread = argv.includes('--encoder-thread');
  // The encoder's embedding cache off too (WENDAO_EMBEDDING_CACHE_SIZE=0): FAQ-hit questions are the
  // entries' own phrasings, which the index build embedded, so with the cache they skip the model.
  const embeddingCache = !argv.includes('--no-embedding-cache');
  if (randomNeural && embedder)
    throw new Error('--neural (random weights) and --embedder NAME (a real encoder) are two modes: pick one');
  // Both neural modes run the small sizes: embedding every passage is what limits them.
  const neural = randomNeural || embedder !== undefined;
  const args = parseBenchArgs(
    argv.filter((a) => a !== '--neural' && a !== '--encoder-thread' && a !== '--no-embedding-cache'),
    {
      out: embedder
        ? `bench/results/api-neural-${basename(embedder)}.json`
        : randomNeural
          ? 'bench/results/api-neural.json'
          : 'bench/results/api.json',
    },
  );
  // A real encoder is named to the server as an operator would (WENDAO_MODELS_DIR + WENDAO_ENCODER_MODEL);
  // the reader is left to the server's own pick from that folder.
  const realModelsDir = embedder ? resolve(args.modelsDir ?? 'models') : undefined;
  const models = embedder
    ? { encoder: embedder, threads: args.threads }
    : randomNeural
      ? {
          encoder: (
            await prepareBenchModel({
              preset: 'minilm-l12-h384',
              head: 'embedder',
              root: args.modelsDir,
              log: console.log,
            })
          ).dir,
          reader: (
            await prepareBenchModel({
              preset: 'minilm-l12-h384',
              head: 'qa',
              root: args.modelsDir,
              log: console.log,
            })
          ).dir,
          threads: args.threads,
        }
      : { threads: args.threads };
  const machine = machineInfo();
  const random = new SeededRandom(20251125);
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-api-bench-'));
  const notes: string[] = [];
  let server: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    const started = await startApi(
      dataDir,
      models,
      // No pull at start: the bench measures the models it names, and never writes into a models dir.
      {
        env: {
          WENDAO_PULL_MODELS: 'false',
          WENDAO_ENCODER_THREAD: String(encoderThread),
          ...(embeddingCache ? {} : { WENDAO_EMBEDDING_CACHE_SIZE: '0' }),
          ...(realModelsDir ? { WENDAO_MODELS_DIR: realModelsDir } : {}),
        },
      },
    );
    server = started.server;
    const api = started.api;
    notes.push(
      `server start incl. embedded PostgreSQL initdb: ${fixed((performance.now() - t0) / 1000, 1)} s`,
    );
    const health = (await (await fetch(`${api.base}/health`)).json()) as ServerModels;
    if (neural && !health.models.some((m) => m.task === 'embedder' || m.task === 'base'))
      throw new Error(`the server loaded no encoder: /health says ${JSON.stringify(health)}`);
    const modelsLabel = describeModels(health, randomNeural);
    console.log(`server answers with ${modelsLabel} (mode ${health.mode})`);

    // 1. Ingestion: a 2 MB set of four TXT documents, uploaded in one request.
    const setBytes = neural ? 96 * 1024 : args.quick ? 256 * 1024 : 2 * 1024 * 1024;
    const files = Array.from({ length: 4 }, (_, i) => ({
      name: `manual-${i}.txt`,
      text: prose(random, setBytes / 4, i),
    }));
    const bytes = files.reduce((s, f) => s + Buffer.byteLength(f.text), 0);
    const ingestKb = (await api.json<{ id: string }>('POST', '/api/kbs', { name: 'ingest', language: 'zh' }))
      .id;
    const ingestStart = performance.now();
    const ingested = await waitForJobs(api, await api.upload(ingestKb, files));
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    if (ingested.failed.length) throw new Error(`ingestion failed: ${ingested.failed.join('; ')}`);
    // A set like it into a second KB, now with GET /health every 10 ms: how long the server
    // keeps everyone else waiting while it ingests (its event loop blocked by a model run or by
    // parsing) shows in these latencies. Apart from the timed upload, whose CPU the probe would share.
    const probeKb = (await api.json<{ id: string }>('POST', '/api/kbs', { name: 'probe', language: 'zh' }))
      .id;
    let ingesting = true;
    const healthMs: number[] = [];
    const probe = (async () => {
      while (ingesting) {
        const t = performance.now();
        await (await fetch(`${api.base}/health`)).text();
        healthMs.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    // Other texts of the same size: the encoder's cache would answer the same ones without a model run.
    // Their own random stream, so the KBs and questions below stay those of earlier records.
    const probeRandom = new SeededRandom(20261206);
    const probeFiles = files.map((f, i) => ({
      name: f.name,
      text: prose(probeRandom, setBytes / 4, 10 + i),
    }));
    await waitForJobs(api, await api.upload(probeKb, probeFiles)).finally(() => (ingesting = false));
    await probe;
    const ingestion = {
      files: files.length,
      megabytes: bytes / 1024 / 1024,
      passages: ingested.passages,
      seconds: ingestSeconds,
      passagesPerSecond: ingested.passages / ingestSeconds,
      healthDuringIngestion: {
        requests: healthMs.length,
        p50Ms: percentile(healthMs, 50),
        p99Ms: percentile(healthMs, 99),
        maxMs: Math.max(...healthMs),
      },
    };
    console.log(
      `ingestion: ${ingestion.passages} passages from ${fixed(ingestion.megabytes, 2)} MB in ${fixed(ingestSeconds, 2)} s; ` +
        `GET /health during a second ingestion of the set: ${healthMs.length} answered, p50 ${fixed(ingestion.healthDuringIngestion.p50Ms, 1)} ms, ` +
        `p99 ${fixed(ingestion.healthDuringIngestion.p99Ms, 1)} ms, max ${fixed(ingestion.healthDuringIngestion.maxMs, 1)} ms`,
    );

    // 2. Ask latency on KBs of 1k and 20k passages (imported, so their index is built on first use).
    const askRows: AskRow[] = [];
    const loadRows: {
      passages: number;
      importSeconds: number;
      firstAskSeconds: number;
      /** From the import until the background calibration of the imported version was stored. */
      calibrationWaitSeconds: number;
      calibration: KbState['calibration'];
      effectiveThresholds: KbState['effectiveThresholds'];
      rssMiB: number;
    }[] = [];
    // The random-weight neural reader takes ~150 ms of both cores per question: few requests there.
    const requests = args.quick ? 80 : randomNeural ? 48 : embedder ? 400 : 800;
    const singleRequests = Math.min(randomNeural ? 16 : 200, requests);
    const warmupRequests = Math.min(randomNeural ? 8 : embedder ? 50 : 200, requests);
    for (const target of neural ? [200] : args.quick ? [1000] : [1000, 20000]) {
      const passages: { text: string; start: number; end: number }[] = [];
      const document = prose(random, target * 450, 100 + target);
      // Passages of ~300 characters on sentence boundaries, as the chunker would cut them.
      const sentences = document.split('\n').filter(Boolean);
      let offset = 0;
      let current = '';
      let start = 0;
      for (const s of sentences) {
        if (current.length + s.length > 300 && current) {
          passages.push({ text: current, start, end: start + current.length });
          start = offset;
          current = '';
        }
        current += s;
        offset += s.length;
        if (passages.length >= target) break;
      }
      while (passages.length < target)
        passages.push({ text: `${current}（${passages.length}）`, start: 0, end: 0 });
      const faqList = shopFaqs(200);
      const exported = exportedKb(`bench ${target}`, faqList, {
        fileName: `bench-${target}.txt`,
        sha256: String(target).padStart(64, '0'),
        sizeBytes: Buffer.byteLength(document),
        passages: passages.map((p) => p.text),
      });
      const importStart = performance.now();
      const kb = await api.importKb(exported);
      const importSeconds = (performance.now() - importStart) / 1000;
      const firstStart = performance.now();
      await api.json('POST', `/api/kbs/${kb}/ask`, { question: '预热' });
      const firstAskSeconds = (performance.now() - firstStart) / 1000;
      const state = await calibrated(api, kb);
      const calibrationWaitSeconds = (performance.now() - importStart) / 1000 - importSeconds;
      const rss = rssMiB(server.pid!);
      loadRows.push({
        passages: target,
        importSeconds,
        firstAskSeconds,
        calibrationWaitSeconds,
        calibration: state.calibration,
        effectiveThresholds: state.effectiveThresholds,
        rssMiB: rss,
      });
      console.log(
        `kb ${target}: import ${fixed(importSeconds, 2)} s, index build ${fixed(firstAskSeconds, 2)} s, ` +
          `calibrated after ${fixed(calibrationWaitSeconds, 1)} s (${state.calibration?.report.reason}; ` +
          `in force ${JSON.stringify(state.effectiveThresholds)}), RSS ${fixed(rss, 0)} MiB`,
      );

      const faqQuestions = faqList.flatMap((f) => [f.question, ...f.alternates]);
      const readerQuestions = Array.from({ length: 400 }, (_, i) => {
        const product = `${PRODUCTS[i % PRODUCTS.length]}${100 + target}-${1 + (i % 30)}型`;
        return QUESTIONS[i % QUESTIONS.length](product);
      });
      for (const [path, questions, expectedType] of [
        ['faq-hit', faqQuestions, 'faq'],
        ['reader', readerQuestions, 'extracted'],
      ] as const) {
        if (randomNeural && path === 'reader')
          // Random weights put every question close to every FAQ and make span scores meaningless:
          // keep the FAQ path out and let the reader's best span through, so the reader is what runs.
          await api.json('PATCH', `/api/kbs/${kb}`, { faqThreshold: 1, answerThreshold: 0 });
        await load(api, kb, questions, warmupRequests, CLIENTS, expectedType); // warm-up (JIT, pools)
        // One client alone first (latency without queueing behind others), then CLIENTS at once.
        for (const [clients, count] of [
          [1, singleRequests],
          [CLIENTS, requests],
        ] as const) {
          const run = await load(api, kb, questions, count, clients, expectedType);
          const row: AskRow = {
            models: modelsLabel,
            passages: target,
            path,
            requests: count,
            clients,
            p50Ms: percentile(run.latencies, 50),
            p95Ms: percentile(run.latencies, 95),
            meanMs: run.latencies.reduce((a, b) => a + b, 0) / run.latencies.length,
            requestsPerSecond: count / (run.wallMs / 1000),
            expectedTypeRate: run.expected / count,
            answerTypes: run.types,
            decisions: run.decisions,
            serverP50Ms: percentile(run.serverMs, 50),
          };
          askRows.push(row);
          console.log(
            `kb ${target} ${path} ${clients} client(s): p50 ${fixed(row.p50Ms, 1)} ms, p95 ${fixed(row.p95Ms, 1)} ms, ` +
              `${fixed(row.requestsPerSecond, 0)} req/s, server p50 ${fixed(row.serverP50Ms, 1)} ms, ` +
              `answer types ${JSON.stringify(row.answerTypes)}, decisions ${JSON.stringify(row.decisions)}`,
          );
        }
      }
    }
    const finalRss = rssMiB(server.pid!);

    const table = [
      markdownTable(
        [
          'ingestion',
          'models',
          'files',
          'MB',
          'passages',
          'seconds',
          'passages/s',
          `target`,
          'GET /health during a 2nd ingestion: n, p99 / max ms',
        ],
        [
          [
            `TXT upload (${neural ? 'neural: embeddings included' : 'lexical'})`,
            modelsLabel,
            ingestion.files,
            fixed(ingestion.megabytes, 2),
            ingestion.passages,
            fixed(ingestion.seconds, 2),
            fixed(ingestion.passagesPerSecond, 0),
            `>= ${TARGETS.ingestPassagesPerSecond}`,
            `${ingestion.healthDuringIngestion.requests}, ${fixed(ingestion.healthDuringIngestion.p99Ms, 1)} / ${fixed(ingestion.healthDuringIngestion.maxMs, 1)}`,
          ],
        ],
      ),
      markdownTable(
        [
          'models',
          'KB passages',
          'path',
          'clients',
          'requests',
          'p50 ms',
          'p95 ms',
          'mean ms',
          'req/s',
          'server p50 ms',
          'expected type',
          'p50 target',
        ],
        askRows.map((r) => [
          r.models,
          r.passages,
          r.path,
          r.clients,
          r.requests,
          fixed(r.p50Ms, 1),
          fixed(r.p95Ms, 1),
          fixed(r.meanMs, 1),
          fixed(r.requestsPerSecond, 0),
          fixed(r.serverP50Ms, 1),
          `${fixed(r.expectedTypeRate * 100, 0)}%`,
          `<= ${r.path === 'faq-hit' ? TARGETS.faqP50Ms : TARGETS.readerP50Ms} ms`,
        ]),
      ),
      markdownTable(
        [
          'models',
          'KB passages',
          'import s',
          'index build s (first ask)',
          'calibrated after s',
          'server RSS MiB after',
          'RSS target',
        ],
        loadRows.map((r) => [
          modelsLabel,
          r.passages,
          fixed(r.importSeconds, 2),
          fixed(r.firstAskSeconds, 2),
          fixed(r.calibrationWaitSeconds, 1),
          fixed(r.rssMiB, 0),
          `<= ${TARGETS.rssMiB}`,
        ]),
      ),
    ].join('\n\n');
    notes.push(
      `server RSS at the end (all KBs loaded): ${fixed(finalRss, 0)} MiB`,
      `models: ${modelsLabel}; /health mode ${health.mode}${realModelsDir ? `; models dir ${realModelsDir}` : ''}`,
      `${embedder ? `real encoder ${embedder}, reader as the server picks it` : randomNeural ? 'neural mode (random-weight MiniLM-L12-H384 encoder + QA reader, int8 when available; FAQ path kept out of the reader rows)' : 'lexical mode (no models)'}, ${neural ? (encoderThread ? 'encoder on its own worker thread (--encoder-thread), ' : 'encoder on the main thread, ') + (embeddingCache ? 'embedding cache on (FAQ-hit questions are phrasings the index build embedded), ' : 'embedding cache off (--no-embedding-cache), ') : ''}answer cache off (WENDAO_ANSWER_CACHE_SIZE=0), ${CLIENTS} concurrent HTTP clients in the bench process, server in its own process`,
    );
    console.log(`\n${describeMachine(machine)}\n\n${table}\n\n${notes.join('\n')}`);
    await writeBenchResult(args.out!, {
      bench: 'api',
      command: benchCommand(),
      startedAt,
      machine,
      settings: {
        quick: args.quick,
        neural,
        randomWeights: randomNeural,
        embedder: embedder ?? null,
        modelsDir: realModelsDir ?? null,
        threads: args.threads,
        encoderThread,
        embeddingCache,
        clients: [1, CLIENTS],
        requests,
        singleClientRequests: singleRequests,
        setBytes,
      },
      rows: [
        {
          models: modelsLabel,
          server: health,
          ingestion,
          ask: askRows,
          load: loadRows,
          finalRssMiB: finalRss,
        },
      ],
      table,
      notes,
    });
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exitCode = 1;
});
