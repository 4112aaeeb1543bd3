/**
 * Soak: a steady mix of asks, FAQ edits and uploads (hostile files among them) against one
 * `node dist/apps/api/src/main.js` on loopback (embedded PostgreSQL, lexical mode, answer cache off)
 * for a bounded time (default 10 minutes). Measured after a warm-up: the error rate (any answer other
 * than the expected one, hostile uploads expected to be refused or to fail), ask p95 per window and
 * its drift, the server's RSS drift, its longest event-loop stall (bench/lib/event-loop-probe inside
 * the server), and writes lost: every acknowledged FAQ edit and create is read back at the end.
 * Run: npm run build && node dist/bench/soak.bench.js [--quick] [--duration SECONDS] [--asks-per-second N]
 *      [--edits-per-second N] [--upload-every SECONDS] [--out FILE]
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiClient, freePort, rssMiB, startServer } from './lib/api-server';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { readLoopSamples } from './lib/event-loop-probe';
import { docxBomb, manyPagePdf, zerosDocx } from './lib/hostile-files';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';
import { PRODUCTS } from './lib/shop-kb';

const TOPICS = [
  '退货',
  '换货',
  '退款',
  '发货',
  '运费',
  '发票',
  '保修',
  '优惠券',
  '会员',
  '支付',
  '物流',
  '地址',
];
const UNKNOWN = ['今天天气怎么样？', '你们老板是谁？', 'what is the meaning of life?', '火星上能送货吗？'];
/** At most this many requests of one kind in flight; a tick beyond it is counted as skipped. */
const MAX_IN_FLIGHT = 64;

interface Sample {
  at: number;
  ms: number;
}

interface KindStats {
  requests: number;
  unexpected: number;
  skipped: number;
  inFlight: number;
  samples: Sample[];
  errors: Map<string, number>;
}

interface Row {
  measure: string;
  value: string;
  target: string;
}

function takeFlag(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} takes a positive number, got ${argv[i + 1]}`);
  argv.splice(i, 2);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Soak {
  readonly stats = new Map<string, KindStats>();
  /** The bench owner's session cookie and CSRF header. */
  auth: Record<string, string> = {};

  constructor(readonly base: string) {}

  kind(name: string): KindStats {
    let s = this.stats.get(name);
    if (!s) {
      s = { requests: 0, unexpected: 0, skipped: 0, inFlight: 0, samples: [], errors: new Map() };
      this.stats.set(name, s);
    }
    return s;
  }

  /** One request; `ok` decides whether its status is the expected one. Never throws. */
  async call(
    kind: string,
    method: string,
    path: string,
    body: BodyInit | object | undefined,
    ok: (status: number) => boolean,
  ): Promise<{ status: number; json: unknown }> {
    const s = this.kind(kind);
    s.requests++;
    s.inFlight++;
    const started = performance.now();
    try {
      const isForm = body instanceof FormData;
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers:
          body === undefined || isForm ? this.auth : { ...this.auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
      });
      const text = await res.text();
      s.samples.push({ at: Date.now(), ms: performance.now() - started });
      if (!ok(res.status))
        this.unexpected(
          s,
          `${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')} ${res.status} ${text.slice(0, 120)}`,
        );
      let json: unknown = undefined;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json };
    } catch (err) {
      this.unexpected(s, `${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')} ${String(err).slice(0, 120)}`);
      return { status: 0, json: undefined };
    } finally {
      s.inFlight--;
    }
  }

  unexpected(s: KindStats, what: string): void {
    s.unexpected++;
    s.errors.set(what, (s.errors.get(what) ?? 0) + 1);
  }

  /** Calls `fn` every `intervalMs` until `until` without waiting for it (open loop), capped in flight. */
  async steady(
    kind: string,
    intervalMs: number,
    until: number,
    fn: (i: number) => Promise<unknown>,
  ): Promise<void> {
    const pending: Promise<unknown>[] = [];
    const start = performance.now();
    for (let i = 0; Date.now() < until; i++) {
      const due = start + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (Date.now() >= until) break;
      if (this.kind(kind).inFlight >= MAX_IN_FLIGHT) {
        this.kind(kind).skipped++;
        continue;
      }
      pending.push(fn(i));
    }
    await Promise.all(pending);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const durationS = takeFlag(argv, '--duration', quick ? 60 : 600);
  const asksPerSecond = takeFlag(argv, '--asks-per-second', 10);
  const editsPerSecond = takeFlag(argv, '--edits-per-second', 2);
  const uploadEveryS = takeFlag(argv, '--upload-every', 5);
  const args = parseBenchArgs(argv, { out: 'bench/results/soak.json' });
  const out = args.out!;
  const warmupS = Math.min(60, durationS / 5);
  const startedAt = new Date().toISOString();
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-soak-'));
  const loopFile = join(dataDir, 'event-loop.jsonl');
  const port = await freePort();
  const soak = new Soak(`http://127.0.0.1:${port}`);
  let server: ChildProcess | undefined;
  try {
    // Hostile files, built once: each must be refused (4xx) or its job must fail, never more.
    const hostile: { name: string; bytes: Buffer; what: string }[] = [
      { name: 'bomb.docx', bytes: await docxBomb(300), what: 'DOCX whose XML inflates to 300 MB' },
      {
        name: 'bomb-lying.docx',
        bytes: await docxBomb(300, { lieAboutSize: true }),
        what: 'the same, headers declaring 1 KB',
      },
      { name: 'zeros.docx', bytes: await zerosDocx(300), what: 'zip of 300 MB of zeros named .docx' },
      { name: 'pages.pdf', bytes: await manyPagePdf(3000), what: 'PDF of 3000 pages (limit 1000)' },
      { name: 'random.pdf', bytes: randomBytes(64 * 1024), what: 'random bytes named .pdf' },
      {
        name: 'truncated.docx',
        bytes: (await docxBomb(1)).subarray(0, 2000),
        what: 'a DOCX cut after 2000 bytes',
      },
    ];

    server = await startServer(
      dataDir,
      port,
      { threads: 1 },
      { loopFile, env: { WENDAO_PULL_MODELS: 'false' } },
    );
    soak.auth = await new ApiClient(soak.base).credentials();
    const kb = (
      await soak.call('setup', 'POST', '/api/kbs', { name: 'soak', language: 'zh' }, (s) => s === 201)
    ).json as { id: string };
    // 120 FAQ entries: the pool that is asked and edited.
    const entries: { id: string; question: string }[] = [];
    for (let i = 0; i < 120; i++) {
      const question = `${PRODUCTS[i % PRODUCTS.length]}的${TOPICS[i % TOPICS.length]}政策是什么？（${i}）`;
      const created = await soak.call(
        'setup',
        'POST',
        `/api/kbs/${kb.id}/faqs`,
        { question, answer: `${question} 答：请看第${i}条说明。` },
        (s) => s === 201,
      );
      entries.push({ id: (created.json as { id: string }).id, question });
    }
    await sleep(3000);

    const lastAcked = new Map<string, string>();
    const editing = new Set<string>();
    const createdFaqs: { id: string; question: string }[] = [];
    const jobs: { id: string; hostile: boolean; file: string }[] = [];
    const refusedHostile = new Map<string, number>();
    let editSeq = 0;
    /** Uploads and job ends with their times, to name what came before a stall. */
    const timeline: { at: number; what: string }[] = [];

    const t0 = Date.now();
    const until = t0 + durationS * 1000;
    const askLoop = soak.steady('ask', 1000 / asksPerSecond, until, (i) => {
      const question =
        i % 10 === 9
          ? UNKNOWN[i % UNKNOWN.length]
          : i % 3 === 0
            ? `请问${entries[i % entries.length].question}`
            : entries[i % entries.length].question;
      return soak.call('ask', 'POST', `/api/kbs/${kb.id}/ask`, { question }, (s) => s === 200 || s === 201);
    });
    const editLoop = soak.steady('faq-edit', 1000 / editsPerSecond, until, async (i) => {
      if (i % 10 === 9) {
        const question = `新问题 ${i}：${PRODUCTS[i % PRODUCTS.length]}可以分期付款吗？`;
        const created = await soak.call(
          'faq-edit',
          'POST',
          `/api/kbs/${kb.id}/faqs`,
          { question, answer: `可以，分期 ${i}` },
          (s) => s === 201,
        );
        if (created.status === 201) createdFaqs.push({ id: (created.json as { id: string }).id, question });
        return;
      }
      // One edit per entry at a time, so the last acknowledged value is the one that must be stored.
      const entry = entries.find((e, k) => k >= i % entries.length && !editing.has(e.id));
      if (!entry) return;
      editing.add(entry.id);
      const answer = `修改后的答案 #${++editSeq}：${entry.question}`;
      const res = await soak.call(
        'faq-edit',
        'PATCH',
        `/api/kbs/${kb.id}/faqs/${entry.id}`,
        { answer },
        (s) => s === 200,
      );
      if (res.status === 200) lastAcked.set(entry.id, answer);
      editing.delete(entry.id);
    });
    const uploadLoop = soak.steady('upload', uploadEveryS * 1000, until, async (i) => {
      const form = new FormData();
      const bad = i % 3 === 2 ? hostile[Math.floor(i / 3) % hostile.length] : undefined;
      const file = bad?.name ?? `note-${i}.md`;
      const content = bad
        ? new Blob([new Uint8Array(bad.bytes)])
        : new Blob([
            `# ${PRODUCTS[i % PRODUCTS.length]} 说明 ${i}\n\n${TOPICS.map((t, k) => `${PRODUCTS[(i + k) % PRODUCTS.length]}的${t}在签收后${k + 3}天内办理，编号${i}-${k}。`).join('\n\n')}\n`,
          ]);
      form.append('files', content, file);
      timeline.push({ at: Date.now(), what: `upload ${file}` });
      const res = await soak.call('upload', 'POST', `/api/kbs/${kb.id}/documents`, form, (s) =>
        bad ? s === 202 || (s >= 400 && s < 500) : s === 202,
      );
      if (res.status === 202) {
        const ids = (res.json as { jobs: { id: string }[] }).jobs.map((j) => j.id);
        jobs.push(...ids.map((id) => ({ id, hostile: !!bad, file })));
      } else if (bad && res.status >= 400 && res.status < 500)
        refusedHostile.set(bad.name, (refusedHostile.get(bad.name) ?? 0) + 1);
    });
    // Jobs are watched as a client would: polling each until it ends.
    const watchLoop = (async () => {
      const settled = new Set<string>();
      while (Date.now() < until + 30_000) {
        const open = jobs.filter((j) => !settled.has(j.id));
        if (Date.now() >= until && open.length === 0) break;
        for (const job of open) {
          const res = await soak.call('job-poll', 'GET', `/api/jobs/${job.id}`, undefined, (s) => s === 200);
          const status = (res.json as { status?: string } | undefined)?.status;
          if (status === 'succeeded' || status === 'failed') {
            settled.add(job.id);
            timeline.push({ at: Date.now(), what: `${job.file} ${status}` });
            const expected = job.hostile ? 'failed' : 'succeeded';
            if (status !== expected) soak.unexpected(soak.kind('job'), `${job.file}: ${status}`);
            soak.kind('job').requests++;
          }
        }
        await sleep(500);
      }
      for (const job of jobs.filter((j) => !settled.has(j.id)))
        soak.unexpected(soak.kind('job'), `${job.file}: not finished 30 s after the soak`);
    })();
    await Promise.all([askLoop, editLoop, uploadLoop, watchLoop]);
    const t1 = Date.now();
    const rssEnd = rssMiB(server.pid!);

    // Writes lost: every acknowledged edit and create read back.
    let lost = 0;
    for (const [id, answer] of lastAcked) {
      const res = await soak.call(
        'read-back',
        'GET',
        `/api/kbs/${kb.id}/faqs/${id}`,
        undefined,
        (s) => s === 200,
      );
      if ((res.json as { answer?: string } | undefined)?.answer !== answer) lost++;
    }
    for (const faq of createdFaqs) {
      const res = await soak.call(
        'read-back',
        'GET',
        `/api/kbs/${kb.id}/faqs/${faq.id}`,
        undefined,
        (s) => s === 200,
      );
      if ((res.json as { question?: string } | undefined)?.question !== faq.question) lost++;
    }

    // Windows after the warm-up: ask p95 and RSS per window, stalls from the server's own probe.
    const warm = t0 + warmupS * 1000;
    const windows = Math.max(2, Math.min(10, Math.round((t1 - warm) / 60_000)));
    const width = (t1 - warm) / windows;
    const loop = readLoopSamples(loopFile, warm, t1);
    const perWindow = Array.from({ length: windows }, (_, w) => {
      const from = warm + w * width;
      const to = from + width;
      const asks = soak
        .kind('ask')
        .samples.filter((s) => s.at >= from && s.at < to)
        .map((s) => s.ms);
      const rss = loop.filter((s) => s.t >= from && s.t < to).map((s) => s.rssMiB);
      return {
        p95: asks.length ? percentile(asks, 95) : NaN,
        rss: rss.length ? rss.reduce((a, b) => a + b, 0) / rss.length : NaN,
      };
    });
    const first = perWindow[0];
    const last = perWindow[perWindow.length - 1];
    const rssDrift = (last.rss - first.rss) / first.rss;
    const p95Drift = last.p95 / first.p95;
    const stallAfterWarmup = Math.max(0, ...loop.map((s) => s.maxMs));
    const stallAll = Math.max(0, ...readLoopSamples(loopFile, t0, t1).map((s) => s.maxMs));
    const stalls = readLoopSamples(loopFile, t0, t1)
      .filter((s) => s.maxMs > 200)
      .map((s) => {
        const before = timeline.filter((e) => e.at > s.t - 6000 && e.at <= s.t).map((e) => e.what);
        return `${fixed(s.maxMs, 0)} ms at ${fixed((s.t - t0) / 1000, 0)} s (in the 6 s before: ${before.join(', ') || 'no upload'})`;
      });
    const kinds = ['ask', 'faq-edit', 'upload', 'job', 'job-poll'];
    const total = kinds.reduce((n, k) => n + soak.kind(k).requests, 0);
    const unexpected = kinds.reduce((n, k) => n + soak.kind(k).unexpected, 0);
    const askMs = soak
      .kind('ask')
      .samples.filter((s) => s.at >= warm)
      .map((s) => s.ms);
    const editMs = soak
      .kind('faq-edit')
      .samples.filter((s) => s.at >= warm)
      .map((s) => s.ms);
    const rows: Row[] = [
      {
        measure: 'duration (warm-up excluded from drift and stalls)',
        value: `${durationS} s (${fixed(warmupS, 0)} s)`,
        target: '600 s',
      },
      {
        measure: 'requests: asks / FAQ edits+creates / uploads / job polls',
        value: kinds
          .filter((k) => k !== 'job')
          .map((k) => soak.kind(k).requests)
          .join(' / '),
        target: '',
      },
      {
        measure: 'uploads: normal jobs / hostile jobs / hostile refused at once (4xx)',
        value: `${jobs.filter((j) => !j.hostile).length} / ${jobs.filter((j) => j.hostile).length} / ${[...refusedHostile.values()].reduce((a, b) => a + b, 0)}`,
        target: '',
      },
      {
        measure: 'error rate (unexpected answers and job outcomes / all)',
        value: `${fixed((100 * unexpected) / total, 3)} % (${unexpected} / ${total})`,
        target: '0',
      },
      {
        measure: 'ticks skipped (64 of a kind in flight)',
        value: kinds
          .map((k) => soak.kind(k).skipped)
          .reduce((a, b) => a + b, 0)
          .toString(),
        target: '0',
      },
      {
        measure: 'ask p50 / p95 after warm-up',
        value: `${fixed(percentile(askMs, 50), 1)} / ${fixed(percentile(askMs, 95), 1)} ms`,
        target: '',
      },
      {
        measure: 'FAQ edit p50 / p95 after warm-up',
        value: `${fixed(percentile(editMs, 50), 1)} / ${fixed(percentile(editMs, 95), 1)} ms`,
        target: '',
      },
      {
        measure: `ask p95 per window (${windows} × ${fixed(width / 1000, 0)} s)`,
        value: perWindow.map((w) => fixed(w.p95, 1)).join(', '),
        target: '',
      },
      { measure: 'ask p95 drift (last window / first)', value: `${fixed(p95Drift, 2)}x`, target: '' },
      {
        measure: 'server RSS per window (MiB)',
        value: perWindow.map((w) => fixed(w.rss, 0)).join(', '),
        target: '',
      },
      {
        measure: 'server RSS drift after warm-up (last window / first)',
        value: `${fixed(100 * rssDrift, 1)} %`,
        target: '<= 10 %',
      },
      { measure: 'server RSS at the end', value: `${fixed(rssEnd, 0)} MiB`, target: '' },
      {
        measure: 'writes lost (acknowledged edits and creates read back)',
        value: `${lost} of ${lastAcked.size + createdFaqs.length}`,
        target: '0',
      },
      {
        measure: 'worst event-loop stall after warm-up (whole run)',
        value: `${fixed(stallAfterWarmup, 1)} ms (${fixed(stallAll, 1)} ms)`,
        target: '<= 200 ms',
      },
    ];
    const table = markdownTable(
      ['measure', 'value', 'target'],
      rows.map((r) => [r.measure, r.value, r.target]),
    );
    const errors = kinds.flatMap((k) => [...soak.kind(k).errors].map(([what, n]) => `${k}: ${what} ×${n}`));
    const result = await writeBenchResult(out, {
      bench: 'soak',
      command: benchCommand(),
      startedAt,
      machine: machineInfo(),
      settings: {
        durationSeconds: durationS,
        warmupSeconds: warmupS,
        asksPerSecond,
        editsPerSecond,
        uploadEverySeconds: uploadEveryS,
        faqEntries: entries.length,
        hostileFiles: hostile.map((h) => `${h.name}: ${h.what}`),
        mode: 'lexical',
        answerCache: 'off',
      },
      rows,
      table,
      notes: [
        'Every third upload is a hostile file (rotating through the list in settings); it counts as expected when refused with a 4xx or when its job fails, and as an error when its job succeeds.',
        'A tenth of the FAQ operations create an entry; the others PATCH one entry at a time per entry, so the last acknowledged answer is the one that must be stored.',
        'Each FAQ write recalibrates the KB in the background (debounced), as in production.',
        `event-loop stalls over 200 ms: ${stalls.length ? stalls.join('; ') : 'none'}`,
        ...(errors.length ? [`unexpected: ${errors.slice(0, 20).join('; ')}`] : []),
      ],
    });
    printBenchResult('Soak', result, out);
    if (lost > 0) process.exitCode = 1;
  } finally {
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
