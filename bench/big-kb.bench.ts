/**
 * A large upload must not freeze the other KBs. In one process, as an API replica holds them: a
 * 200-entry KB asked every 100 ms while an 84k-entry FAQ KB (rows like the QA upload's: "Question
 * number N about product SKU-N shipping?", a lorem answer) is built, saved, loaded and calibrated.
 * Each step runs the way the build before this change did (one synchronous loop) and the way
 * KbIndexService runs it now (slices yielding every 10 ms); per step: its wall time, the longest
 * event-loop stall (perf_hooks monitorEventLoopDelay) and the small KB's ask latency meanwhile
 * (from when the ask was due to its answer).
 * Run: npm run build && node dist/bench/big-kb.bench.js [--quick] [--out FILE]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import {
  DEFAULT_THRESHOLDS,
  eventLoopSlices,
  KnowledgeIndex,
  ThresholdCalibrator,
  type IndexedFaq,
} from '@wendao/answer';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';

interface Row {
  step: string;
  how: string;
  wallMs: number;
  maxLoopDelayMs: number;
  asks: number;
  askP50Ms: number;
  askMaxMs: number;
}

const LOREM =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua';

function bigFaqs(count: number): IndexedFaq[] {
  const words = LOREM.split(' ');
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    id: `faq-${i}`,
    documentId: 'upload',
    question: `Question number ${i} about product SKU-${i} shipping?`,
    alternates: [],
    answer: `Answer ${i}: ${LOREM} ${words.slice(0, 5 + (i % 10)).join(' ')}`,
  }));
}

function smallKb(): KnowledgeIndex {
  const index = KnowledgeIndex.empty('small', 1);
  const topics = ['refund', 'delivery', 'invoice', 'warranty', 'password', 'coupon', 'size', 'payment'];
  for (let i = 0; i < 200; i++) {
    const topic = topics[i % topics.length];
    index.upsertFaq({
      seq: i + 1,
      id: `small-${i}`,
      documentId: null,
      question: `How does ${topic} work for order type ${i}?`,
      alternates: [`${topic} question ${i}`],
      answer: `For order type ${i}, ${topic} is handled by the shop within ${i % 14} days.`,
    });
  }
  return index;
}

/** Runs `step` while the small KB is asked every 100 ms; the stall and ask latency it caused. */
async function measure(
  step: string,
  how: string,
  small: KnowledgeIndex,
  run: () => Promise<unknown>,
): Promise<Row> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const latencies: number[] = [];
  let due = performance.now() + 100;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    small.searchFaqs(`how long does delivery take for order type ${latencies.length % 200}`, 4);
    latencies.push(performance.now() - due);
    due = Math.max(due + 100, performance.now());
    timer = setTimeout(tick, Math.max(0, due - performance.now()));
  };
  timer = setTimeout(tick, 100);
  delay.enable();
  // The histogram's first tick only starts its clock: a stall from the first moment would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  // The histogram records a stall when its timer finally fires: let it fire once more.
  await new Promise((resolve) => setTimeout(resolve, 30));
  delay.disable();
  clearTimeout(timer);
  // An ask due during the step but not yet served counts with how long it has waited so far.
  if (performance.now() > due) latencies.push(performance.now() - due);
  const row: Row = {
    step,
    how,
    wallMs: Math.round(wallMs),
    maxLoopDelayMs: Math.round(delay.max / 1e6),
    asks: latencies.length,
    askP50Ms: latencies.length ? percentile(latencies, 50) : 0,
    askMaxMs: latencies.length ? Math.max(...latencies) : 0,
  };
  console.log(JSON.stringify(row));
  return row;
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const args = parseBenchArgs(process.argv.slice(2), { out: 'bench/results/big-kb.json' });
  const count = args.quick ? 8000 : 84_000;
  await KnowledgeIndex.warmUpAnalyzers();
  const faqs = bigFaqs(count);
  const small = smallKb();
  const dir = mkdtempSync(join(tmpdir(), 'wendao-big-kb-'));
  const noYield = async () => {};
  const rows: Row[] = [];
  try {
    const build = async (pause: () => Promise<void>) => {
      const index = KnowledgeIndex.empty('big', 1);
      for (const faq of faqs) {
        index.upsertFaq(faq);
        await pause();
      }
      return index;
    };
    let big!: KnowledgeIndex;
    rows.push(await measure('build', 'one synchronous loop (before)', small, () => build(noYield)));
    rows.push(
      await measure(
        'build',
        'slices of 10 ms (after)',
        small,
        async () => (big = await build(eventLoopSlices())),
      ),
    );
    const path = join(dir, 'big');
    rows.push(await measure('save', 'one synchronous step (before)', small, async () => big.save(path)));
    rows.push(await measure('save', 'slices of 10 ms (after)', small, () => big.saveInSlices(path)));
    const load = (pause: () => Promise<void>) =>
      KnowledgeIndex.load(path, { kbId: 'big', kbVersion: 1 }, pause);
    rows.push(await measure('load saved index', 'one synchronous loop (before)', small, () => load(noYield)));
    rows.push(
      await measure('load saved index', 'slices of 10 ms (after)', small, () => load(eventLoopSlices())),
    );
    let report: Awaited<ReturnType<ThresholdCalibrator['calibrate']>> | undefined;
    rows.push(
      await measure('calibration', 'slices of 5 ms', small, async () => {
        report = await new ThresholdCalibrator({
          language: 'en',
          defaults: DEFAULT_THRESHOLDS.lexical,
        }).calibrate(big);
      }),
    );
    const table = markdownTable(
      [
        'step',
        'how',
        'wall ms',
        'longest event-loop stall ms',
        'asks on the 200-entry KB',
        'ask p50 ms',
        'ask max ms',
      ],
      rows.map((r) => [
        r.step,
        r.how,
        String(r.wallMs),
        String(r.maxLoopDelayMs),
        String(r.asks),
        fixed(r.askP50Ms, 1),
        fixed(r.askMaxMs, 1),
      ]),
    );
    const result = await writeBenchResult(args.out!, {
      bench: 'big-kb',
      command: benchCommand(),
      startedAt,
      machine: machineInfo(),
      settings: { faqs: count, askEveryMs: 100, sliceMs: 10 },
      rows,
      table,
      notes: [
        `calibration of the ${count}-entry KB: ${report?.positives} test questions, ${report?.negatives} out-of-domain; thresholds ${JSON.stringify(report?.thresholds)}`,
        'ask latency: from when the ask was due (every 100 ms) to its answer; an FAQ search of the 200-entry KB itself takes ~1 ms',
      ],
    });
    printBenchResult('Large KB build, load and calibration beside a small KB', result, args.out!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
