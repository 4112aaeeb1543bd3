/**
 * What the models per KB language cost in memory: the resident set of a process that loads what the
 * server would load from a models directory (an embedder and a reader per KB language, each model
 * once), against one that loads a single named embedder for every KB (WENDAO_ENCODER_MODEL) and one
 * that loads none (lexical). Each configuration runs in a fresh child process, loads, embeds 64
 * Chinese and 64 English questions with every encoder it loaded (so the ONNX sessions have run), and
 * reports its RSS.
 * Run: npm run build && node dist/bench/models-memory.bench.js [--models-dir models] [--out FILE]
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { loadAnswerModels, planAnswerModels, type AnswerModelOptions } from '@wendao/answer';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';

interface Configuration {
  name: string;
  options: AnswerModelOptions;
}

interface MemoryRow {
  configuration: string;
  /** "org/name for zh, en" per loaded model. */
  models: string;
  loadMs: number;
  rssMiB: number;
  /** RSS above the lexical process's. */
  aboveLexicalMiB: number;
}

const QUESTIONS = {
  zh: [
    '退货期限是多久？',
    '运费怎么算',
    '发票怎么开',
    '几点下班',
    '积分怎么用',
    '能换货吗',
    '多久到账',
    '怎么联系客服',
  ],
  en: [
    'How long do refunds take?',
    'Do you ship to Canada?',
    'Can I change my order?',
    'What are your opening hours?',
    'How do I use my points?',
    'Can I exchange an item?',
    'When will my money come back?',
    'How do I reach support?',
  ],
};

const mib = (bytes: number) => bytes / 2 ** 20;

/** In the child: load, embed with every encoder, report. */
async function child(options: AnswerModelOptions): Promise<void> {
  const started = performance.now();
  const models = await loadAnswerModels(options);
  const loadMs = performance.now() - started;
  const seen = new Set<unknown>();
  for (const language of ['zh', 'en', 'mixed'] as const) {
    const encoder = models.embedders[language];
    if (!encoder || seen.has(encoder)) continue;
    seen.add(encoder);
    for (let i = 0; i < 8; i++)
      await encoder.embed([...QUESTIONS.zh, ...QUESTIONS.en].map((q) => `${q} ${i}`));
  }
  const loaded = models.used.map((m) => `${m.id} (${m.role}${m.serves ? `: ${m.serves.join(', ')}` : ''})`);
  process.stdout.write(JSON.stringify({ loadMs, rss: process.memoryUsage().rss, models: loaded }));
  await models.close();
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(JSON.parse(argv[1]) as AnswerModelOptions);
  const args = parseBenchArgs(argv, { out: 'bench/results/models-memory.json' });
  const modelsDir = args.modelsDir ?? 'models';
  const machine = machineInfo();
  const plan = planAnswerModels({ modelsDir });
  const embedders = [...new Set(Object.values(plan.embedders).map((f) => f.id))];
  if (embedders.length === 0) throw new Error(`no embedder in ${modelsDir}: nothing to measure`);
  const configurations: Configuration[] = [
    { name: 'lexical (no model)', options: { lexical: true } },
    { name: 'per KB language (the default)', options: { modelsDir, threads: args.threads } },
    ...embedders.map((id) => ({
      name: `one embedder for every KB (WENDAO_ENCODER_MODEL=${id})`,
      options: { modelsDir, encoder: id, threads: args.threads },
    })),
  ];
  const rows: MemoryRow[] = [];
  let lexicalMiB = 0;
  for (const c of configurations) {
    const out = execFileSync(process.execPath, [process.argv[1], '--child', JSON.stringify(c.options)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const measured = JSON.parse(out) as { loadMs: number; rss: number; models: string[] };
    const rssMiB = mib(measured.rss);
    if (c.options.lexical) lexicalMiB = rssMiB;
    rows.push({
      configuration: c.name,
      models: measured.models.join('; ') || '-',
      loadMs: measured.loadMs,
      rssMiB,
      aboveLexicalMiB: rssMiB - lexicalMiB,
    });
  }
  const table = markdownTable(
    ['configuration', 'models loaded', 'load ms', 'RSS MiB', 'above lexical MiB'],
    rows.map((r) => [
      r.configuration,
      r.models,
      fixed(r.loadMs, 0),
      fixed(r.rssMiB, 1),
      fixed(r.aboveLexicalMiB, 1),
    ]),
  );
  const result = await writeBenchResult(args.out!, {
    bench: 'models-memory',
    command: benchCommand(),
    startedAt: new Date().toISOString(),
    machine,
    settings: { modelsDir, threads: args.threads, embedded: '8 x 16 questions per encoder' },
    rows,
    table,
    notes: [
      'Each row is a fresh Node process: it loads the models, embeds 8 batches of 16 questions (8 zh, 8 en) with every encoder it loaded, then reads its RSS.',
      'Readers are loaded too where the models dir has QA models; each model is loaded once, whatever number of KB languages it serves.',
    ],
  });
  printBenchResult('models memory', result, args.out!);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
