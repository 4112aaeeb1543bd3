/**
 * Calibration must not slow the live knowledge base. Against `node dist/apps/api/src/main.js` (embedded
 * PostgreSQL, lexical mode, answer cache off) with a 1,000-entry Chinese FAQ KB (LCQMC dev paraphrase
 * pairs as question + alternate): how long each background calibration takes, how soon an edited FAQ
 * is answered with its new text (the edit starts a calibration), and ask latency while a calibration
 * runs against the same asks when none does.
 * Run: npm run build && node dist/bench/calibration.bench.js [--quick] [--out FILE]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ApiClient, startApi, waitForJobs } from './lib/api-server';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';

interface Row {
  measure: string;
  n: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

interface KbView {
  version: number;
  calibration: { kbVersion: number; calibrated: boolean; report: { millis: number; reason: string } } | null;
}

/** Question/alternate pairs from LCQMC dev (labelled paraphrases), each pair one FAQ entry. */
function lcqmcFaqs(count: number): { question: string; alternates: string[]; answer: string }[] {
  const path = resolve(__dirname, '../../../shared/datasets/lcqmc/dev.tsv');
  const seen = new Set<string>();
  const out: { question: string; alternates: string[]; answer: string }[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [a, b, label] = line.split('\t');
    if (label?.trim() !== '1' || seen.has(a) || seen.has(b)) continue;
    seen.add(a);
    seen.add(b);
    out.push({
      question: a,
      alternates: [b],
      answer: `关于“${a}”：请在订单详情页办理，或联系在线客服（编号${out.length}）。`,
    });
    if (out.length === count) break;
  }
  if (out.length < count) throw new Error(`LCQMC dev has only ${out.length} usable pairs`);
  return out;
}

const summarize = (measure: string, samples: number[]): Row => ({
  measure,
  n: samples.length,
  p50Ms: percentile(samples, 50),
  p95Ms: percentile(samples, 95),
  maxMs: Math.max(...samples),
});

async function calibratedAt(
  api: ApiClient,
  kbId: string,
  version: number,
  timeoutMs = 120_000,
): Promise<KbView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const kb = await api.json<KbView>('GET', `/api/kbs/${kbId}`);
    if (kb.calibration && kb.calibration.kbVersion >= version) return kb;
    if (Date.now() > until) throw new Error(`KB ${kbId} was not calibrated at version ${version} in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const args = parseBenchArgs(process.argv.slice(2));
  const out = args.out ?? 'bench/results/calibration.json';
  const entries = args.quick ? 300 : 1000;
  const edits = args.quick ? 5 : 20;
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-calibration-bench-'));
  let server: ChildProcess | undefined;
  try {
    const started = await startApi(dataDir, { threads: 1 });
    server = started.server;
    const api = started.api;
    const kb = await api.json<{ id: string }>('POST', '/api/kbs', {
      name: 'calibration bench',
      language: 'zh',
    });
    const faqs = lcqmcFaqs(entries);
    const jobs = await api.upload(kb.id, [{ name: 'faqs.json', text: JSON.stringify(faqs) }]);
    const { failed } = await waitForJobs(api, jobs);
    if (failed.length) throw new Error(`upload failed: ${failed.join('; ')}`);
    let view = await api.json<KbView>('GET', `/api/kbs/${kb.id}`);
    view = await calibratedAt(api, kb.id, view.version);
    const calibrationMs: number[] = [view.calibration!.report.millis];
    const listed = await api.json<{ id: string; question: string }[]>('GET', `/api/kbs/${kb.id}/faqs`);
    const ask = async (question: string) => {
      const t0 = performance.now();
      const answer = await api.json<{ answer: string }>('POST', `/api/kbs/${kb.id}/ask`, { question });
      return { answer: answer.answer, ms: performance.now() - t0 };
    };
    const others = faqs.slice(entries / 2, entries / 2 + 20).map((f) => f.alternates[0]!);

    // Asks with no calibration running.
    const idle: number[] = [];
    for (let i = 0; i < 60; i++) idle.push((await ask(others[i % others.length])).ms);

    // Edit entries whose own question is answered by them (LCQMC has near-duplicate pairs, whose
    // questions may be answered by a neighbour or clarified whatever their text says).
    const own: { id: string; question: string }[] = [];
    for (const faq of listed) {
      const r = await api.json<{ type: string; source: { id: string } | null }>(
        'POST',
        `/api/kbs/${kb.id}/ask`,
        {
          question: faq.question,
        },
      );
      if (r.type === 'faq' && r.source?.id === faq.id) own.push(faq);
      if (own.length === edits) break;
    }
    const editToAnswer: number[] = [];
    const during: number[] = [];
    for (let e = 0; e < own.length; e++) {
      const faq = own[e];
      const text = `第${e}次修改后的答案：请联系在线客服。`;
      const t0 = performance.now();
      const patched = await api.json<{ id: string }>('PATCH', `/api/kbs/${kb.id}/faqs/${faq.id}`, {
        answer: text,
      });
      if (patched.id !== faq.id) throw new Error('PATCH returned another entry');
      for (;;) {
        if ((await ask(faq.question)).answer === text) break;
        if (performance.now() - t0 > 30_000) throw new Error(`edit ${e} not answerable after 30 s`);
      }
      editToAnswer.push(performance.now() - t0);
      // Asks while the calibration this edit started is running (it is debounced by 300 ms).
      const version = (await api.json<KbView>('GET', `/api/kbs/${kb.id}`)).version;
      let calibrated: KbView | undefined;
      const waiting = calibratedAt(api, kb.id, version).then((v) => (calibrated = v));
      let i = 0;
      while (!calibrated) {
        during.push((await ask(others[i++ % others.length])).ms);
        if (i > 2000) break;
      }
      await waiting;
      calibrationMs.push(calibrated!.calibration!.report.millis);
    }

    const rows = [
      summarize(`calibration of the ${entries}-entry KB (background, per publish)`, calibrationMs),
      summarize('FAQ edit (PATCH) -> answered with the new text', editToAnswer),
      summarize('ask while a calibration runs', during),
      summarize('ask with no calibration running', idle),
    ];
    const table = markdownTable(
      ['measure', 'n', 'p50 ms', 'p95 ms', 'max ms'],
      rows.map((r) => [r.measure, r.n, fixed(r.p50Ms, 1), fixed(r.p95Ms, 1), fixed(r.maxMs, 1)]),
    );
    const result = await writeBenchResult(out, {
      bench: 'calibration',
      command: benchCommand(),
      startedAt,
      machine: machineInfo(),
      settings: { entries, edits, mode: 'lexical', answerCache: 'off', onnxThreads: 1 },
      rows,
      table,
      notes: [
        `KB: ${entries} FAQ entries, each an LCQMC dev paraphrase pair (question + one alternate); the calibration reason: ${view.calibration!.report.reason}.`,
        'An edit is answerable as soon as its transaction commits (the index change is applied synchronously); calibration then runs in slices that yield to the event loop and swaps the thresholds in one assignment.',
        'Latency is HTTP round trip from a single client on loopback.',
      ],
    });
    printBenchResult('Calibration on publish', result, out);
  } finally {
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
