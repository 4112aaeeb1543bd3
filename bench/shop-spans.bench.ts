/**
 * Lexical reader span quality on the shop sets' span questions: each question is read over its own
 * document, chunked as uploads are, and the top span is scored with the language's official metric
 * (CMRC character-level for zh, SQuAD for en). Not a timing bench: it makes span-boundary work
 * reproducible. Run: npm run build && node dist/bench/shop-spans.bench.js [set ...] [--misses] [--out FILE]
 */
import { answerScorer, listShopSets, loadShopSet, type ShopSet } from '@wendao/eval';
import { chunkText } from '@wendao/ingest';
import { LexicalReader } from '@wendao/reader';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';

// The chunking the upload path uses for documents (libs/ingest defaults as the API calls them).
const CHUNKING = { targetLength: 300, maxLength: 480, overlap: 1 };
const DEFAULT_OUT = 'bench/results/shop-spans.json';

export interface ShopSpanRow {
  set: string;
  language: string;
  questions: number;
  /** Mean exact match and F1 of the top span, in percent. */
  em: number;
  f1: number;
  /** Questions whose top span is not exactly the gold one. */
  misses: Array<{ question: string; gold: string; predicted: string }>;
}

export async function scoreShopSpans(set: ShopSet, reader = new LexicalReader()): Promise<ShopSpanRow> {
  const score = answerScorer(set.language);
  const documents = new Map(set.documents.map((d) => [d.fileName, d.text]));
  let em = 0;
  let f1 = 0;
  const misses: ShopSpanRow['misses'] = [];
  for (const q of set.spans) {
    const passages = chunkText(documents.get(q.document)!, CHUNKING).map((p) => p.text);
    const result = await reader.answer(q.question, passages, { topK: 1 });
    const predicted = result.spans[0]?.text ?? '';
    const s = score(predicted, [q.answer]);
    em += s.exactMatch;
    f1 += s.f1;
    if (s.exactMatch < 1) misses.push({ question: q.question, gold: q.answer, predicted });
  }
  const n = set.spans.length || 1;
  return {
    set: set.name,
    language: set.language,
    questions: set.spans.length,
    em: (100 * em) / n,
    f1: (100 * f1) / n,
    misses,
  };
}

function parseArgs(argv: readonly string[]): { sets: string[]; out: string; showMisses: boolean } {
  const args = { sets: [] as string[], out: DEFAULT_OUT, showMisses: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') {
      const value = argv[++i];
      if (!value || value.startsWith('--')) throw new Error('--out needs a file');
      args.out = value;
    } else if (argv[i] === '--misses') args.showMisses = true;
    else if (argv[i].startsWith('--'))
      throw new Error(`unknown flag ${argv[i]} (known: --misses, --out FILE)`);
    else args.sets.push(argv[i]);
  }
  if (args.sets.length === 0) args.sets = listShopSets();
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const rows: ShopSpanRow[] = [];
  for (const name of args.sets) rows.push({ ...(await scoreShopSpans(loadShopSet(name))), set: name });
  const table = markdownTable(
    ['set', 'questions', 'EM', 'F1'],
    rows.map((r) => [r.set, r.questions, fixed(r.em, 2), fixed(r.f1, 2)]),
  );
  const result = await writeBenchResult(args.out, {
    bench: 'shop-spans',
    command: benchCommand(),
    startedAt,
    machine: machineInfo(),
    settings: { reader: 'lexical', chunking: CHUNKING, topK: 1 },
    rows,
    table,
    notes: [
      'top span of the LexicalReader over the question’s document, chunked as uploads are',
      'EM/F1: CMRC 2018 character-level metric for zh, SQuAD v1.1 for en (libs/eval answerScorer)',
      'dev sets are for tuning; test sets are held out',
    ],
  });
  if (args.showMisses) {
    for (const row of rows) {
      console.log(`\n${row.set}: ${row.misses.length} misses`);
      for (const m of row.misses)
        console.log(`  ${m.question}\n    gold: ${m.gold}\n    got:  ${m.predicted}`);
    }
    console.log();
  }
  printBenchResult('Shop span questions, lexical reader', result, args.out);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
