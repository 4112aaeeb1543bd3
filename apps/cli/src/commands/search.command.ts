/**
 * `wendao search`: finds the FAQ entries of a CSV file that best match a question. Hybrid (BM25 +
 * sentence-embedding HNSW, fused by reciprocal rank) when an embedder model is given or found in the
 * models directory, BM25 alone ('lexical') otherwise; the output always says which.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { SentenceEncoder } from '@wendao/encoder';
import { listModels } from '@wendao/models';
import {
  Bm25Index,
  HybridRetriever,
  VectorIndex,
  type RetrievalHit,
  type RetrievalMode,
} from '@wendao/retriever';
import { defaultModelsDir } from './default-models-dir';
import { printOutcome } from './print-outcome';
import { requireModel } from './require-model';

export interface SearchOptions {
  faq?: string;
  query?: string;
  top?: number;
  json?: boolean;
  /** An embedder model folder path or a name under modelsDir. */
  model?: string;
  /** Skip model lookup and search with BM25 only. */
  lexical?: boolean;
  modelsDir: string;
}

export interface FaqRow {
  /** 1-based data row number in the CSV (the header is row 0). */
  id: number;
  question: string;
  alternates: string[];
  answer: string;
}

export interface FaqMatch extends RetrievalHit {
  rank: number;
  question: string;
  alternates: string[];
  answer: string;
}

export interface SearchOutcome {
  /** What the command prints (stdout on success, stderr when exitCode is not 0). */
  output: string;
  exitCode: number;
  mode?: RetrievalMode;
  matches?: FaqMatch[];
}

// Header names accepted for each column (case-insensitive), English first.
const COLUMNS = {
  question: ['question', '问题'],
  answer: ['answer', '答案'],
  alternates: ['alternates', 'alternate_questions', '相似问题'],
} as const;

const fail = (message: string, exitCode: number): SearchOutcome => ({
  output: `wendao search: ${message}`,
  exitCode,
});

/** Reads FAQ rows from CSV text with a header; throws with the row or column at fault. */
export function parseFaqCsv(text: string, source = 'CSV'): FaqRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    throw new Error(`${source} is not valid CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new Error(`${source} is empty (expected a header with question,answer)`);
  const header = records[0].map((h) => h.trim().toLowerCase());
  const find = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
  const qCol = find(COLUMNS.question);
  const aCol = find(COLUMNS.answer);
  const altCol = find(COLUMNS.alternates);
  const missing = [qCol < 0 ? 'question' : '', aCol < 0 ? 'answer' : ''].filter(Boolean);
  if (missing.length > 0)
    throw new Error(
      `${source} lacks the ${missing.join(' and ')} column${missing.length > 1 ? 's' : ''} ` +
        `(header: ${records[0].join(',') || '(empty)'}; expected question,answer[,alternates])`,
    );
  const rows: FaqRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const cell = (c: number) => (c >= 0 ? (records[r][c] ?? '').trim() : '');
    const question = cell(qCol);
    const answer = cell(aCol);
    if (!question && !answer) continue;
    if (!question) throw new Error(`${source} row ${r}: the question is empty`);
    if (!answer) throw new Error(`${source} row ${r}: the answer to "${question}" is empty`);
    const alternates = cell(altCol)
      .split(/[|；;]/)
      .map((s) => s.trim())
      .filter(Boolean);
    rows.push({ id: r, question, alternates, answer });
  }
  if (rows.length === 0) throw new Error(`${source} has a header but no FAQ rows`);
  return rows;
}

/** The embedder for --model, else the first embedder in modelsDir, else none (lexical). */
async function chooseEncoder(opts: SearchOptions): Promise<SentenceEncoder | undefined> {
  if (opts.model) {
    const folder = requireModel(opts.model, opts.modelsDir);
    return SentenceEncoder.load(folder);
  }
  if (opts.lexical) return undefined;
  const embedder = listModels(opts.modelsDir).find((m) => m.error === undefined && m.task === 'embedder');
  return embedder ? SentenceEncoder.load(embedder.dir) : undefined;
}

/**
 * One vector per FAQ: the normalised mean of its phrasings' embeddings (question, alternates, answer),
 * so a query close to any phrasing lands near the FAQ.
 */
async function faqVectors(encoder: SentenceEncoder, rows: FaqRow[]): Promise<VectorIndex> {
  const index = new VectorIndex({
    dim: encoder.dim,
    space: 'cosine',
    modelId: encoder.modelId,
    maxElements: rows.length,
  });
  const texts = rows.flatMap((row) => [row.question, ...row.alternates, row.answer]);
  const { vectors } = await encoder.embed(texts);
  let next = 0;
  for (const row of rows) {
    const count = 2 + row.alternates.length;
    const mean = new Float32Array(encoder.dim);
    for (let i = 0; i < count; i++) vectors[next + i].forEach((v, d) => (mean[d] += v));
    next += count;
    index.add(row.id, mean);
  }
  return index;
}

/** Runs the search command without touching the process: returns what to print and the exit code. */
export async function searchCommand(opts: SearchOptions): Promise<SearchOutcome> {
  const query = (opts.query ?? '').trim();
  if (!opts.faq) return fail('--faq FILE.csv is required', 2);
  if (!query) return fail('--query is required and must not be empty', 2);
  const top = opts.top ?? 5;
  if (!Number.isInteger(top) || top < 1) return fail(`--top must be a positive integer, got ${opts.top}`, 2);

  let text: string;
  try {
    text = readFileSync(opts.faq, 'utf8');
  } catch (err) {
    return fail(
      `cannot read --faq ${opts.faq}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      1,
    );
  }
  let rows: FaqRow[];
  try {
    rows = parseFaqCsv(text, opts.faq);
  } catch (err) {
    return fail((err as Error).message, 1);
  }

  const bm25 = new Bm25Index();
  for (const row of rows) bm25.add(row.id, [row.question, ...row.alternates, row.answer].join('\n'));
  const encoder = await chooseEncoder(opts);
  try {
    const vector = encoder ? await faqVectors(encoder, rows) : undefined;
    const retriever = new HybridRetriever({ bm25, vector, embedder: encoder });
    const { mode, hits } = await retriever.retrieve(query, top);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const matches: FaqMatch[] = hits.map((hit, i) => {
      const row = byId.get(hit.id)!;
      return { rank: i + 1, ...hit, question: row.question, alternates: row.alternates, answer: row.answer };
    });
    const model = encoder?.modelId ?? null;
    if (opts.json) {
      const body = { query, mode, model, faqCount: rows.length, matches };
      return { output: JSON.stringify(body, null, 2), exitCode: 0, mode, matches };
    }
    const lines = [`mode: ${mode}${model ? ` (${model})` : ''}, ${rows.length} FAQs`];
    if (matches.length === 0) lines.push('no matching FAQ');
    for (const m of matches) {
      const parts = [`score ${m.score.toFixed(mode === 'lexical' ? 2 : 4)}`];
      if (mode === 'hybrid') {
        parts.push(`bm25 #${m.bm25Rank ?? '-'}`, `vector #${m.vectorRank ?? '-'}`);
      }
      lines.push(`${m.rank}. ${m.question}  (${parts.join(', ')}; row ${m.id})`);
      lines.push(`   ${m.answer.replace(/\s+/g, ' ')}`);
    }
    return { output: lines.join('\n'), exitCode: 0, mode, matches };
  } finally {
    await encoder?.close();
  }
}

export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('find the FAQ entries of a CSV file (question,answer[,alternates]) that match a question')
    .option('--faq <file>', 'CSV with a header: question, answer, optional alternates separated by | or ；')
    .option('-q, --query <text>', 'the question to search for')
    .option('-n, --top <n>', 'how many matches to show', (v) => Number(v), 5)
    .option(
      '-m, --model <dir-or-name>',
      'sentence-embedding model folder, or its name under the models directory',
    )
    .option('--models-dir <dir>', 'where named models live (default $WENDAO_MODELS_DIR or ./models)')
    .option('--lexical', 'search with BM25 only even when an embedder model is available')
    .option('--json', 'print the matches as JSON')
    .action(async (flags: Omit<SearchOptions, 'modelsDir'> & { modelsDir?: string }) => {
      printOutcome(await searchCommand({ ...flags, modelsDir: defaultModelsDir(flags.modelsDir) }));
    });
}
