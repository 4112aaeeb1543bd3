/**
 * The large-upload freeze over HTTP: `node dist/apps/api/src/main.js` (role all, embedded PostgreSQL,
 * lexical mode) with a 1-entry KB asked every 200 ms while an 84,000-row FAQ CSV is uploaded to another
 * KB, ingested, indexed and calibrated. Reports the small KB's ask latency (an ask that failed counts
 * with the time it waited) and when the large KB's index and calibration were ready.
 * Run: npm run build && node dist/bench/big-kb-api.bench.js [--quick] [--out FILE]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from './lib/api-server';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';

interface KbView {
  version: number;
  calibration: { kbVersion: number; report: { millis: number } } | null;
}

const LOREM =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore';

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const args = parseBenchArgs(process.argv.slice(2), { out: 'bench/results/big-kb-api.json' });
  const rows = args.quick ? 8000 : 84_000;
  const askForMs = args.quick ? 30_000 : 130_000;
  const dir = mkdtempSync(join(tmpdir(), 'wendao-big-kb-api-'));
  const { server, api } = await startApi(dir, { threads: 1 });
  try {
    const small = (await api.json<{ id: string }>('POST', '/api/kbs', { name: 'small', language: 'en' })).id;
    await api.json('POST', `/api/kbs/${small}/faqs`, {
      question: 'How long does delivery take?',
      answer: 'Orders arrive within 3 days.',
    });
    const big = (await api.json<{ id: string }>('POST', '/api/kbs', { name: 'big', language: 'en' })).id;
    const words = LOREM.split(' ');
    const csv = ['question,answer'];
    for (let i = 0; i < rows; i++)
      csv.push(
        `Question number ${i} about product SKU-${i} shipping?,Answer ${i}: ${words.slice(0, 5 + (i % 10)).join(' ')}`,
      );
    const started = Date.now();
    const form = new FormData();
    form.append('files', new Blob([csv.join('\n')], { type: 'text/csv' }), 'big.csv');
    const res = await fetch(`${api.base}/api/kbs/${big}/documents`, {
      method: 'POST',
      headers: await api.credentials(),
      body: form,
    });
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
    const latencies: number[] = [];
    let failed = 0;
    let indexedMs: number | undefined;
    let calibratedMs: number | undefined;
    let calibrationMillis: number | undefined;
    while (Date.now() - started < askForMs) {
      const t = Date.now();
      try {
        await api.json('POST', `/api/kbs/${small}/ask`, { question: 'How long does delivery take?' });
      } catch {
        failed++; // a socket reset after a stall: it waited all the same
      }
      latencies.push(Date.now() - t);
      if (latencies.length % 10 === 0 && calibratedMs === undefined) {
        const kb = await api.json<KbView>('GET', `/api/kbs/${big}`).catch(() => undefined);
        if (kb && kb.version > 1 && indexedMs === undefined) {
          const ask = await api
            .json<{ kbVersion: number }>('POST', `/api/kbs/${big}/ask`, { question: 'Question number 7?' })
            .catch(() => undefined);
          if (ask) indexedMs = Date.now() - started;
        }
        if (kb?.calibration && kb.calibration.kbVersion === kb.version && kb.version > 1) {
          calibratedMs = Date.now() - started;
          calibrationMillis = kb.calibration.report.millis;
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const row = {
      faqRows: rows,
      asks: latencies.length,
      failed,
      askP50Ms: percentile(latencies, 50),
      askP99Ms: percentile(latencies, 99),
      askMaxMs: Math.max(...latencies),
      largeKbAnswerableMs: indexedMs,
      largeKbCalibratedMs: calibratedMs,
      calibrationMillis,
    };
    const result = await writeBenchResult(args.out!, {
      bench: 'big-kb-api',
      command: benchCommand(),
      startedAt,
      machine: machineInfo(),
      settings: { rows, askEveryMs: 200, askForMs },
      rows: [row],
      table: markdownTable(
        [
          'FAQ rows',
          'asks',
          'failed',
          'ask p50 ms',
          'ask p99 ms',
          'ask max ms',
          'large KB answerable after ms',
          'calibrated after ms',
          'calibration ms',
        ],
        [
          [
            String(rows),
            String(row.asks),
            String(failed),
            fixed(row.askP50Ms, 0),
            fixed(row.askP99Ms, 0),
            fixed(row.askMaxMs, 0),
            String(indexedMs ?? '-'),
            String(calibratedMs ?? '-'),
            String(calibrationMillis ?? '-'),
          ],
        ],
      ),
      notes: ['times after the upload was accepted; the large KB is polled every 10th ask of the small one'],
    });
    printBenchResult('Large upload beside a small KB, over HTTP', result, args.out!);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
