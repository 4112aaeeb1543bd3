/**
 * Scale-out benchmark against `node dist/apps/api/src/main.js` child processes on the machine's
 * PostgreSQL (a fresh database per phase) and Redis, answer cache off:
 * 1. memory: the server's RSS empty, with a KB of 1k FAQ entries, and with a KB of 100k passages
 *    (~300 characters, the chunker's target), each read after a restart (indexes loaded from disk,
 *    no import garbage in the heap);
 * 2. asks/s with 1 and 2 replicas on loopback, FAQ path and reader path, closed loop with N clients
 *    spread over the replicas, with the CPU the servers, the bench process and the whole machine used;
 * 3. publish -> every replica answering from the new version: an FAQ answer edited through replica A,
 *    then both replicas asked until they answer with the new text (p50/p95 from the edit's ack).
 * --neural: the encoder WENDAO_ENCODER_MODEL (default intfloat/multilingual-e5-small-q4) from
 * --models-dir (default ./models) with smaller sizes (embedding runs at tens of texts per second here).
 * Run: npm run build && node dist/bench/scale.bench.js [--quick] [--neural] [--passages N] [--duration S]
 *      [--clients N] [--publishes N] [--out FILE]
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { SeededRandom } from '@wendao/random';
import { type ApiClient, rssMiB, startApi } from './lib/api-server';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';
import { exportedKb, FACTS, PRODUCTS, QUESTIONS, shopFaqs, type ShopFaq } from './lib/shop-kb';

const PG_SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = 'redis://127.0.0.1:6379';

interface Args {
  quick: boolean;
  neural: boolean;
  passages: number;
  durationS: number;
  clients: number;
  publishes: number;
  modelsDir: string;
  encoder: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const neural = argv.includes('--neural');
  const args: Args = {
    quick,
    neural,
    passages: neural ? (quick ? 500 : 5000) : quick ? 5000 : 100_000,
    durationS: quick ? 5 : 20,
    clients: 16,
    publishes: quick ? 10 : 40,
    modelsDir: resolve('models'),
    encoder: 'intfloat/multilingual-e5-small-q4',
    out: neural ? 'bench/results/scale-neural.json' : 'bench/results/scale.json',
  };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i];
    switch (argv[i]) {
      case '--quick':
      case '--neural':
        break;
      case '--passages':
        args.passages = Number(value());
        break;
      case '--duration':
        args.durationS = Number(value());
        break;
      case '--clients':
        args.clients = Number(value());
        break;
      case '--publishes':
        args.publishes = Number(value());
        break;
      case '--models-dir':
        args.modelsDir = resolve(value());
        break;
      case '--encoder':
        args.encoder = value();
        break;
      case '--out':
        args.out = value();
        break;
      default:
        throw new Error(`unknown flag ${argv[i]}`);
    }
  }
  return args;
}

/** ~300-character passages of customer-service prose (mostly Chinese), numbered products. */
function passages(random: SeededRandom, count: number, tag: string): string[] {
  const out: string[] = [];
  let current = '';
  while (out.length < count) {
    const n = 1 + Math.floor(random.next() * 30);
    const product = `${PRODUCTS[Math.floor(random.next() * PRODUCTS.length)]}${tag}-${n}型`;
    current += FACTS[Math.floor(random.next() * FACTS.length)](product, n);
    if (current.length >= 280) {
      out.push(current);
      current = '';
    }
  }
  return out;
}

/** A KB of FAQ entries or of passages (one TXT document holding them), ready to import. */
function exported(name: string, faqList: ShopFaq[], texts: string[]) {
  const document = texts.length
    ? {
        fileName: `${name}.txt`,
        sha256: randomBytes(32).toString('hex'),
        sizeBytes: texts.reduce((s, t) => s + Buffer.byteLength(t), 0),
        passages: texts,
      }
    : undefined;
  return exportedKb(name, faqList, document);
}

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wendao_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: PG_SERVER });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((s, x) => s + x, 0);
  return { busy: total - cpu[3] - cpu[4], total };
}

async function stop(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * Waits until the servers are idle (under 2 % of a core over a second, twice in a row; at most 3
 * minutes): the threshold calibration a load or publish starts in the background must not be
 * counted as the cost of the asks measured next.
 */
async function quiet(servers: ChildProcess[]): Promise<void> {
  const end = Date.now() + 180_000;
  let calm = 0;
  while (calm < 2 && Date.now() < end) {
    const before = servers.reduce((s, p) => s + cpuSeconds(p.pid!), 0);
    await settle(1000);
    const used = servers.reduce((s, p) => s + cpuSeconds(p.pid!), 0) - before;
    calm = used < 0.02 * servers.length ? calm + 1 : 0;
  }
}

interface Replica {
  server: ChildProcess;
  api: ApiClient;
}

function startReplica(dataDir: string, env: Record<string, string>, threads: number): Promise<Replica> {
  return startApi(dataDir, { threads }, { env });
}

interface ThroughputRow {
  replicas: number;
  path: 'faq' | 'reader';
  clients: number;
  requests: number;
  seconds: number;
  asksPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  expectedTypeRate: number;
  /** CPU cores the server processes used on average (their user + system time over the wall time). */
  serverCores: number;
  /** Asks per CPU-second the servers used: what a core delivers, whatever share the machine gave. */
  asksPerServerCoreSecond: number;
  benchCores: number;
  /** Share of the machine's CPU time that was busy (all processes, other people's work included). */
  machineBusy: number;
}

async function throughput(
  replicas: Replica[],
  kbId: string,
  path: 'faq' | 'reader',
  questions: string[],
  clients: number,
  seconds: number,
): Promise<ThroughputRow> {
  const expectedType = path === 'faq' ? 'faq' : 'extracted';
  const run = async (ms: number, measure: boolean) => {
    const latencies: number[] = [];
    let expected = 0;
    let next = 0;
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          const i = next++;
          const t0 = performance.now();
          const answer = await replicas[i % replicas.length].api.json<{ type: string }>(
            'POST',
            `/api/kbs/${kbId}/ask`,
            { question: questions[i % questions.length] },
          );
          if (measure) {
            latencies.push(performance.now() - t0);
            if (answer.type === expectedType) expected++;
          }
        }
      }),
    );
    return { latencies, expected };
  };
  await run(2000, false); // warm-up: JIT, connection pools
  const cpu0 = replicas.map((r) => cpuSeconds(r.server.pid!));
  const bench0 = process.cpuUsage();
  const machine0 = machineJiffies();
  const t0 = performance.now();
  const { latencies, expected } = await run(seconds * 1000, true);
  const wall = (performance.now() - t0) / 1000;
  const serverCpu = replicas.reduce((s, r, i) => s + cpuSeconds(r.server.pid!) - cpu0[i], 0);
  const bench = process.cpuUsage(bench0);
  const machine1 = machineJiffies();
  return {
    replicas: replicas.length,
    path,
    clients,
    requests: latencies.length,
    seconds: wall,
    asksPerSecond: latencies.length / wall,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    expectedTypeRate: expected / latencies.length,
    serverCores: serverCpu / wall,
    asksPerServerCoreSecond: latencies.length / serverCpu,
    benchCores: (bench.user + bench.system) / 1e6 / wall,
    machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
  };
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const args = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const threads = args.neural ? 1 : availableParallelism();
  const prefix = `wendao-bench-${randomBytes(4).toString('hex')}`;
  const modelEnv: Record<string, string> = args.neural
    ? { WENDAO_MODELS_DIR: args.modelsDir, WENDAO_ENCODER_MODEL: args.encoder, WENDAO_PULL_MODELS: 'false' }
    : { WENDAO_PULL_MODELS: 'false' };
  const env = (databaseUrl: string, role: string) => ({
    DATABASE_URL: databaseUrl,
    REDIS_URL: REDIS,
    WENDAO_REDIS_PREFIX: prefix,
    WENDAO_ROLE: role,
    ...modelEnv,
  });
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wendao-scale-bench-'));
    dirs.push(dir);
    return dir;
  };
  const random = new SeededRandom(20261205);
  const notes: string[] = [];
  const servers: ChildProcess[] = [];
  const databases: { drop(): Promise<void> }[] = [];
  try {
    // 1. Memory: one server, RSS after restarts (indexes loaded from disk).
    const memoryDb = await createDatabase();
    databases.push(memoryDb);
    const memoryDir = dataDir();
    let one = await startReplica(memoryDir, env(memoryDb.url, 'all'), threads);
    servers.push(one.server);
    await quiet([one.server]);
    const rssEmpty = rssMiB(one.server.pid!);
    const faqCount = args.quick ? 200 : 1000;
    const faqKb = await one.api.importKb(exported('faqs', shopFaqs(faqCount), []));
    await one.api.json('POST', `/api/kbs/${faqKb}/ask`, { question: '预热' });
    const restart = async () => {
      await stop(one.server);
      const t0 = performance.now();
      one = await startReplica(memoryDir, env(memoryDb.url, 'all'), threads);
      servers.push(one.server);
      const startS = (performance.now() - t0) / 1000;
      await quiet([one.server]); // calibration of the loaded KBs runs in the background after a start
      return { startS, rss: rssMiB(one.server.pid!) };
    };
    const withFaqs = await restart();
    console.log(`memory: empty ${fixed(rssEmpty, 0)} MiB, ${faqCount} FAQs ${fixed(withFaqs.rss, 0)} MiB`);
    const importStart = performance.now();
    const passageKb = await one.api.importKb(exported('passages', [], passages(random, args.passages, 'm')));
    const importS = (performance.now() - importStart) / 1000;
    const buildStart = performance.now();
    await one.api.json('POST', `/api/kbs/${passageKb}/ask`, { question: '预热' });
    const buildS = (performance.now() - buildStart) / 1000;
    const withPassages = await restart();
    console.log(
      `memory: + ${args.passages} passages ${fixed(withPassages.rss, 0)} MiB (import ${fixed(importS, 1)} s, build ${fixed(buildS, 1)} s, restart ${fixed(withPassages.startS, 1)} s)`,
    );
    await stop(one.server);
    const memory = {
      rssEmptyMiB: rssEmpty,
      faqs: faqCount,
      rssWithFaqsMiB: withFaqs.rss,
      perThousandFaqsMiB: ((withFaqs.rss - rssEmpty) * 1000) / faqCount,
      passages: args.passages,
      rssWithPassagesMiB: withPassages.rss,
      perHundredThousandPassagesMiB: ((withPassages.rss - withFaqs.rss) * 100_000) / args.passages,
      importSeconds: importS,
      indexBuildSeconds: buildS,
      restartSeconds: withPassages.startS,
    };

    // 2. Throughput with 1 and 2 replicas on one database.
    const db = await createDatabase();
    databases.push(db);
    const a = await startReplica(dataDir(), env(db.url, 'all'), threads);
    servers.push(a.server);
    // Two KBs: FAQ entries only (the FAQ path), passages only (the reader path: with FAQ entries about
    // the same products in the KB, a passage question would often get a clarification instead).
    const faqList = shopFaqs(200);
    const kbId = await a.api.importKb(exported('faq-path', faqList, []));
    const readerKbId = await a.api.importKb(
      exported('reader-path', [], passages(random, args.neural ? 500 : 2000, 's')),
    );
    for (const kb of [kbId, readerKbId]) await a.api.json('POST', `/api/kbs/${kb}/ask`, { question: '预热' });
    const b = await startReplica(dataDir(), env(db.url, 'all'), threads);
    servers.push(b.server);
    await quiet([a.server, b.server]); // the replicas calibrate the KB after loading it
    const faqQuestions = faqList.flatMap((f) => [f.question, ...f.alternates]);
    const readerQuestions = Array.from({ length: 400 }, (_, i) =>
      QUESTIONS[i % QUESTIONS.length](`${PRODUCTS[i % PRODUCTS.length]}s-${1 + (i % 30)}型`),
    );
    const rows: ThroughputRow[] = [];
    for (const path of ['faq', 'reader'] as const)
      for (const replicas of [[a], [a, b]]) {
        await quiet([a.server, b.server]);
        const row = await throughput(
          replicas,
          path === 'faq' ? kbId : readerKbId,
          path,
          path === 'faq' ? faqQuestions : readerQuestions,
          args.clients,
          args.durationS,
        );
        rows.push(row);
        console.log(
          `${path} x${row.replicas}: ${fixed(row.asksPerSecond, 0)} asks/s, p50 ${fixed(row.p50Ms, 1)} ms, servers ${fixed(row.serverCores, 2)} cores, bench ${fixed(row.benchCores, 2)}, machine ${fixed(row.machineBusy * 100, 0)} % busy`,
        );
      }

    // 3. Publish through A, then ask both replicas until each answers with the new text.
    const faqRows = await a.api.json<{ id: string; question: string }[]>('GET', `/api/kbs/${kbId}/faqs`);
    const lags: { replica: string; ms: number; asks: number }[] = [];
    const askMs: number[] = [];
    for (let i = 0; i < args.publishes; i++) {
      const faq = faqRows[i % faqRows.length];
      const marker = `（第${i}版）`;
      await a.api.json('PATCH', `/api/kbs/${kbId}/faqs/${faq.id}`, { answer: `请联系在线客服${marker}` });
      const acked = performance.now();
      await Promise.all(
        [
          ['A', a],
          ['B', b],
        ].map(async ([name, replica]) => {
          for (let asks = 1; ; asks++) {
            const t0 = performance.now();
            const answer = await (replica as Replica).api.json<{ answer?: string }>(
              'POST',
              `/api/kbs/${kbId}/ask`,
              {
                question: faq.question,
              },
            );
            askMs.push(performance.now() - t0);
            if (answer.answer?.includes(marker)) {
              lags.push({ replica: name as string, ms: performance.now() - acked, asks });
              return;
            }
          }
        }),
      );
      await settle(400); // let the calibration the publish started run, as between real edits
    }
    const perPublish = Array.from({ length: args.publishes }, (_, i) =>
      Math.max(lags[2 * i].ms, lags[2 * i + 1].ms),
    );
    const sync = {
      publishes: args.publishes,
      allReplicasP50Ms: percentile(perPublish, 50),
      allReplicasP95Ms: percentile(perPublish, 95),
      otherReplicaP50Ms: percentile(
        lags.filter((l) => l.replica === 'B').map((l) => l.ms),
        50,
      ),
      otherReplicaP95Ms: percentile(
        lags.filter((l) => l.replica === 'B').map((l) => l.ms),
        95,
      ),
      firstAskAlreadyNew: lags.filter((l) => l.asks === 1).length / lags.length,
      askP50Ms: percentile(askMs, 50),
    };
    console.log(
      `publish -> all replicas answer the new version: p50 ${fixed(sync.allReplicasP50Ms, 1)} ms, p95 ${fixed(sync.allReplicasP95Ms, 1)} ms`,
    );

    const table = [
      markdownTable(
        [
          'replicas',
          'path',
          'clients',
          'asks',
          'asks/s',
          'p50 ms',
          'p95 ms',
          'expected type',
          'server CPU (cores)',
          'asks per server CPU-second',
          'bench CPU (cores)',
          'machine busy',
        ],
        rows.map((r) => [
          r.replicas,
          r.path,
          r.clients,
          r.requests,
          fixed(r.asksPerSecond, 0),
          fixed(r.p50Ms, 1),
          fixed(r.p95Ms, 1),
          `${fixed(r.expectedTypeRate * 100, 0)} %`,
          fixed(r.serverCores, 2),
          fixed(r.asksPerServerCoreSecond, 0),
          fixed(r.benchCores, 2),
          `${fixed(r.machineBusy * 100, 0)} %`,
        ]),
      ),
      markdownTable(
        ['path', '2 replicas / 1 replica (asks/s)'],
        (['faq', 'reader'] as const).map((path) => {
          const [x1, x2] = [1, 2].map((n) => rows.find((r) => r.path === path && r.replicas === n)!);
          return [path, fixed(x2.asksPerSecond / x1.asksPerSecond, 2)];
        }),
      ),
      markdownTable(
        [
          'publishes',
          'all replicas new: p50 ms',
          'p95 ms',
          'other replica: p50 ms',
          'p95 ms',
          'first ask already new',
          'ask p50 ms',
        ],
        [
          [
            sync.publishes,
            fixed(sync.allReplicasP50Ms, 1),
            fixed(sync.allReplicasP95Ms, 1),
            fixed(sync.otherReplicaP50Ms, 1),
            fixed(sync.otherReplicaP95Ms, 1),
            `${fixed(sync.firstAskAlreadyNew * 100, 0)} %`,
            fixed(sync.askP50Ms, 1),
          ],
        ],
      ),
      markdownTable(
        [
          'RSS empty MiB',
          'FAQ entries',
          'RSS MiB',
          'per 1k FAQ entries MiB',
          'passages',
          'RSS MiB',
          'per 100k passages MiB',
          'import s',
          'index build s',
          'restart s',
        ],
        [
          [
            fixed(memory.rssEmptyMiB, 0),
            memory.faqs,
            fixed(memory.rssWithFaqsMiB, 0),
            fixed(memory.perThousandFaqsMiB, 1),
            memory.passages,
            fixed(memory.rssWithPassagesMiB, 0),
            fixed(memory.perHundredThousandPassagesMiB, 0),
            fixed(memory.importSeconds, 1),
            fixed(memory.indexBuildSeconds, 1),
            fixed(memory.restartSeconds, 1),
          ],
        ],
      ),
    ].join('\n\n');
    notes.push(
      `mode ${args.neural ? `neural (${args.encoder}, ONNX threads ${threads})` : 'lexical'}; answer cache off; ${args.clients} closed-loop clients in the bench process, spread round-robin over the replicas`,
      'replicas run WENDAO_ROLE=all on one PostgreSQL database and Redis (the machine services), each with its own data dir',
      'machine busy counts every process on the machine, other engineers\u2019 work included',
    );
    const result = await writeBenchResult(args.out, {
      bench: 'scale',
      command: benchCommand(),
      startedAt,
      machine,
      settings: { ...args },
      rows: [{ memory, throughput: rows, sync }],
      table,
      notes,
    });
    printBenchResult('scale-out', result, args.out);
  } finally {
    await Promise.all(servers.map(stop));
    for (const db of databases) await db.drop().catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
