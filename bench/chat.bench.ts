/**
 * The chat under many customers: N socket.io widget clients (default 1000) on loopback against one
 * `node dist/apps/api/src/main.js` (embedded PostgreSQL, lexical mode, the demo KB and its widget
 * key, answer cache off), each starting a session and asking a few questions spread over a bounded
 * time, one at a time as a person would. Measured: answers received, lost and duplicated messages
 * (live by seq, then against the stored history each client reads back by resuming with lastSeq 0,
 * and a resent client id that must not be answered twice), answer latency, messages/s, the server's
 * RSS and its longest event-loop stall (bench/lib/event-loop-probe inside the server).
 * Run: npm run build && node dist/bench/chat.bench.js [--quick] [--clients N] [--questions N]
 *      [--duration SECONDS] [--out FILE]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { freePort, rssMiB, startServer } from './lib/api-server';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { readLoopSamples } from './lib/event-loop-probe';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';

/** Shop questions the demo KB answers (FAQ, reader, a follow-up, small talk), in a client's order. */
const QUESTIONS = [
  '退货期限是多久？',
  '那换货呢？',
  '运费怎么算？',
  '订单什么时候发货？',
  '支持哪些支付方式？',
  '商品保修多久？',
  '你好',
  '优惠券怎么使用？',
  'How much is shipping?',
  'How do I return an item?',
  '退款多久到账？',
  'When will my order ship?',
];
/** A question not answered within this is counted lost. */
const ANSWER_TIMEOUT_MS = 30_000;

interface Row {
  measure: string;
  value: string;
}

interface BotMessage {
  seq: number;
  role: string;
  clientId?: string;
}

/** Our own flags (--clients, --questions, --duration), taken out before the shared bench flags are read. */
function takeFlag(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a positive integer, got ${argv[i + 1]}`);
  argv.splice(i, 2);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Customer {
  readonly socket: Socket;
  sessionId = '';
  /** seq -> times a bot message with it arrived (live). */
  readonly botSeqs = new Map<number, number>();
  private waiters = new Map<number, () => void>();
  readonly latenciesMs: number[] = [];
  sent = 0;
  answered = 0;
  lost = 0;
  /** Client ids this customer sent, with the seq the server acked. */
  readonly acked = new Map<string, number>();

  constructor(url: string, key: string, origin: string) {
    this.socket = io(`${url}/chat`, {
      auth: { key },
      extraHeaders: { Origin: origin },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    this.socket.on('bot:message', (m: BotMessage) => {
      this.botSeqs.set(m.seq, (this.botSeqs.get(m.seq) ?? 0) + 1);
      this.waiters.get(m.seq)?.();
    });
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
      this.socket.connect();
    });
  }

  async start(): Promise<void> {
    const ready = (await this.socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck('session:start', {})) as {
      sessionId: string;
    };
    this.sessionId = ready.sessionId;
  }

  /** Sends one question and waits for the bot's answer (the message right after it). */
  async ask(clientId: string, text: string): Promise<void> {
    this.sent++;
    const started = performance.now();
    let ack: { seq?: number; error?: unknown };
    try {
      ack = await this.socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck('message', { clientId, text });
    } catch {
      this.lost++;
      return;
    }
    if (typeof ack.seq !== 'number') {
      this.lost++;
      return;
    }
    this.acked.set(clientId, ack.seq);
    const answerSeq = ack.seq + 1;
    const answered =
      this.botSeqs.has(answerSeq) ||
      (await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ANSWER_TIMEOUT_MS);
        this.waiters.set(answerSeq, () => {
          clearTimeout(timer);
          resolve(true);
        });
      }));
    this.waiters.delete(answerSeq);
    if (!answered) {
      this.lost++;
      return;
    }
    this.latenciesMs.push(performance.now() - started);
    this.answered++;
  }

  /** Resends an answered client id: the server must ack it as a duplicate and not answer again. */
  async resend(clientId: string, text: string): Promise<boolean> {
    const ack = (await this.socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck('message', { clientId, text })) as {
      seq?: number;
      duplicate?: boolean;
    };
    return ack.duplicate === true && ack.seq === this.acked.get(clientId);
  }

  /** The stored history, read back by resuming the session from lastSeq 0. */
  async history(): Promise<BotMessage[]> {
    const ready = (await this.socket
      .timeout(ANSWER_TIMEOUT_MS)
      .emitWithAck('session:start', { sessionId: this.sessionId, lastSeq: 0 })) as {
      resumed: boolean;
      messages: BotMessage[];
    };
    if (!ready.resumed) throw new Error(`session ${this.sessionId} was not resumed`);
    return ready.messages;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const clients = takeFlag(argv, '--clients', quick ? 100 : 1000);
  const questions = Math.min(takeFlag(argv, '--questions', quick ? 2 : 4), QUESTIONS.length);
  const durationS = takeFlag(argv, '--duration', quick ? 20 : 120);
  const args = parseBenchArgs(argv, { out: 'bench/results/chat.json' });
  const out = args.out!;
  const startedAt = new Date().toISOString();
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-chat-bench-'));
  const loopFile = join(dataDir, 'event-loop.jsonl');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const customers: Customer[] = [];
  const benchLoop = monitorEventLoopDelay({ resolution: 10 });
  try {
    server = await startServer(
      dataDir,
      port,
      { threads: 1 },
      {
        loopFile,
        env: {
          WENDAO_DEMO: 'true',
          WENDAO_PULL_MODELS: 'false',
          // Every client is 127.0.0.1 with the demo key: per-IP, per-key and connection limits would
          // refuse them; per-socket and per-session limits stay at their defaults.
          WENDAO_CHAT_IP_RATE_LIMIT: '0',
          WENDAO_CHAT_KEY_RATE_LIMIT: '0',
          WENDAO_CHAT_CONNECT_RATE_LIMIT: '0',
        },
      },
    );
    // The demo page carries the demo widget key, allowed from this server's loopback origins.
    const page = await (await fetch(`${url}/demo`)).text();
    const key = /data-key="([^"]+)"/.exec(page)?.[1];
    if (!key) throw new Error('no widget key on /demo');
    await sleep(2000);
    const rssStart = rssMiB(server.pid!);

    // Connect in waves of 50, then start every session.
    const connectStarted = performance.now();
    for (let i = 0; i < clients; i++) customers.push(new Customer(url, key, url));
    for (let i = 0; i < clients; i += 50)
      await Promise.all(customers.slice(i, i + 50).map((c) => c.connect()));
    await Promise.all(customers.map((c) => c.start()));
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const rssConnected = rssMiB(server.pid!);

    // Each customer asks `questions` questions at its own moments over the duration, one at a time.
    benchLoop.enable();
    const askStarted = Date.now();
    const slot = (durationS * 1000) / questions;
    await Promise.all(
      customers.map(async (c, ci) => {
        const offset = Math.random() * slot;
        for (let q = 0; q < questions; q++) {
          const due = askStarted + offset + q * slot;
          if (due > Date.now()) await sleep(due - Date.now());
          await c.ask(`c${ci}-q${q}`, QUESTIONS[(ci + q) % QUESTIONS.length]);
        }
      }),
    );
    const askSeconds = (Date.now() - askStarted) / 1000;
    const askEnded = Date.now();
    benchLoop.disable();
    const rssEnd = rssMiB(server.pid!);

    // Every customer resends its first question: acked as the same seq, never answered twice.
    const answersBefore = customers.map((c) => new Set(c.botSeqs.keys()));
    const resends = await Promise.all(
      customers.map((c, ci) => c.resend(`c${ci}-q0`, QUESTIONS[ci % QUESTIONS.length])),
    );
    await sleep(1000);
    // Then reads its stored history back and checks it against what it sent and received.
    let lostStored = 0;
    let duplicatedStored = 0;
    let seqGaps = 0;
    let duplicatedLive = 0;
    for (let i = 0; i < customers.length; i += 100) {
      await Promise.all(
        customers.slice(i, i + 100).map(async (c, j) => {
          const ci = i + j;
          const history = await c.history();
          history.forEach((m, k) => {
            if (m.seq !== k + 1) seqGaps++;
          });
          const ids = history.filter((m) => m.role === 'customer').map((m) => m.clientId!);
          duplicatedStored += ids.length - new Set(ids).size;
          for (const [clientId, seq] of c.acked) {
            if (!ids.includes(clientId)) lostStored++;
            else if (history.find((m) => m.seq === seq + 1)?.role !== 'bot') lostStored++;
          }
          for (const times of c.botSeqs.values()) if (times > 1) duplicatedLive += times - 1;
          // A bot message that arrived after the resend: the resent question answered twice.
          for (const seq of c.botSeqs.keys()) if (!answersBefore[ci].has(seq)) duplicatedLive++;
        }),
      );
    }

    const sent = customers.reduce((n, c) => n + c.sent, 0);
    const answered = customers.reduce((n, c) => n + c.answered, 0);
    const lostLive = customers.reduce((n, c) => n + c.lost, 0);
    const latencies = customers.flatMap((c) => c.latenciesMs);
    const loop = readLoopSamples(loopFile, askStarted, askEnded + 1000);
    const serverStallMs = Math.max(0, ...loop.map((s) => s.maxMs));
    const serverP99Ms = loop.length
      ? percentile(
          loop.map((s) => s.p99Ms),
          50,
        )
      : NaN;
    const rows: Row[] = [
      { measure: 'clients (socket.io, websocket transport, one session each)', value: String(clients) },
      { measure: 'connect + session:start for all clients', value: `${fixed(connectSeconds, 1)} s` },
      { measure: 'questions sent / answered', value: `${sent} / ${answered}` },
      {
        measure: 'lost (no answer live, or missing from the stored history)',
        value: `${lostLive} / ${lostStored}`,
      },
      {
        measure: 'duplicated (a seq or answer received twice live / a client id stored twice)',
        value: `${duplicatedLive} / ${duplicatedStored}`,
      },
      {
        measure: 'resent client ids acked as the same seq without a second answer',
        value: `${resends.filter(Boolean).length} / ${clients}`,
      },
      { measure: 'seq gaps in stored histories', value: String(seqGaps) },
      {
        measure: 'messages/s (questions answered over the asking time)',
        value: fixed(answered / askSeconds, 1),
      },
      {
        measure: 'answer latency p50 / p95 / max (emit to bot:message)',
        value: latencies.length
          ? `${fixed(percentile(latencies, 50), 1)} / ${fixed(percentile(latencies, 95), 1)} / ${fixed(Math.max(...latencies), 1)} ms`
          : '-',
      },
      {
        measure: 'server RSS: started / all connected / after the questions',
        value: `${fixed(rssStart, 0)} / ${fixed(rssConnected, 0)} / ${fixed(rssEnd, 0)} MiB`,
      },
      {
        measure: 'server event loop: longest stall / median of per-second p99',
        value: `${fixed(serverStallMs, 1)} / ${fixed(serverP99Ms, 1)} ms`,
      },
      {
        measure: 'bench process event loop: longest stall (client side)',
        value: `${fixed(benchLoop.max / 1e6, 1)} ms`,
      },
    ];
    const table = markdownTable(
      ['measure', 'value'],
      rows.map((r) => [r.measure, r.value]),
    );
    const result = await writeBenchResult(out, {
      bench: 'chat',
      command: benchCommand(),
      startedAt,
      machine: machineInfo(),
      settings: {
        clients,
        questionsPerClient: questions,
        durationSeconds: durationS,
        mode: 'lexical',
        kb: 'demo',
        answerCache: 'off',
        transport: 'websocket',
        answerTimeoutMs: ANSWER_TIMEOUT_MS,
      },
      rows,
      table,
      notes: [
        'Server and clients share the machine: the clients run in the bench process on the same cores, so latency includes their work.',
        'Lost: a question without its answer within 30 s live, or not stored with a bot answer right after it; duplicated: a bot message received twice, an answer to the resent id, or a client id stored twice.',
        'Each turn is one PostgreSQL transaction (message, answer, session state); questions of one session are sent one at a time.',
      ],
    });
    printBenchResult(`Chat under ${clients} widget clients`, result, out);
    if (lostLive + lostStored + duplicatedLive + duplicatedStored + seqGaps > 0) process.exitCode = 1;
  } finally {
    for (const c of customers) c.socket.disconnect();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
