/**
 * `wendao search`: the FAQ entries of a file that best match a question, scored exactly as the
 * server scores them (a KnowledgeIndex built from the file, parsed by @wendao/ingest like an upload),
 * and the decision the answer pipeline takes with thresholds calibrated on that file. Neural (cosine
 * over every phrasing's embedding) when an embedder model is given or found in the models
 * directory, lexical otherwise; the output always says which.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  AnswerPipeline,
  DEFAULT_THRESHOLDS,
  KnowledgeIndex,
  ThresholdCalibrator,
  loadAnswerModels,
  type AnswerOutcome,
  type AnswerThresholds,
} from '@wendao/answer';
import type { Embedder } from '@wendao/encoder';
import { dominantLanguage } from '@wendao/text';
import { parseFile, type ParsedFaq } from '@wendao/ingest';
import type { CliConfig } from '../cli-config';
import { modelRuntime, type ModelRuntime } from './model-runtime';
import { printOutcome } from './print-outcome';

export type SearchMode = 'lexical' | 'neural';

export interface SearchOptions {
  faq?: string;
  query?: string;
  top?: number;
  json?: boolean;
  /** An embedder model folder path or a name under modelsDir. */
  model?: string;
  /** Skip model lookup and search lexically. */
  lexical?: boolean;
  modelsDir: string;
  /** How models run (threads, int8, packed layout); the CLI config's defaults when absent. */
  runtime?: ModelRuntime;
}

export interface FaqMatch {
  rank: number;
  /** 1-based position of the entry in the file. */
  id: number;
  /** The FAQ confidence the server decides with (cosine in neural mode, the lexical score otherwise). */
  score: number;
  /** The lexical score (also in neural mode). */
  lexical: number;
  /** The phrasing that matched best: 0 = the question, then the alternates. */
  phrasing: number;
  question: string;
  alternates: string[];
  answer: string;
}

export interface SearchOutcome {
  /** What the command prints (stdout on success, stderr when exitCode is not 0). */
  output: string;
  exitCode: number;
  mode?: SearchMode;
  matches?: FaqMatch[];
  decision?: AnswerOutcome;
}

const LANGUAGE_NAMES = { zh: 'Chinese', en: 'English', mixed: 'Chinese and English' } as const;

const fail = (message: string, exitCode: number): SearchOutcome => ({
  output: `wendao search: ${message}`,
  exitCode,
});

/** The file's FAQ entries as a knowledge base index (ids are 1-based positions in the file). */
async function indexFaqs(faqs: ParsedFaq[], encoder?: Embedder): Promise<KnowledgeIndex> {
  const index = KnowledgeIndex.empty('wendao-search', 1, encoder);
  const embeddings = encoder ? await KnowledgeIndex.embedFaqs(encoder, faqs) : [];
  for (const [i, faq] of faqs.entries())
    index.upsertFaq({ ...faq, seq: i + 1, id: String(i + 1), documentId: null, ...embeddings[i] });
  return index;
}

/** Runs the search command without touching the process: returns what to print and the exit code. */
export async function searchCommand(opts: SearchOptions): Promise<SearchOutcome> {
  const query = (opts.query ?? '').trim();
  if (!opts.faq) return fail('--faq FILE is required', 2);
  if (!query) return fail('--query is required and must not be empty', 2);
  const top = opts.top ?? 5;
  if (!Number.isInteger(top) || top < 1) return fail(`--top must be a positive integer, got ${opts.top}`, 2);

  let bytes: Buffer;
  try {
    bytes = readFileSync(opts.faq);
  } catch (err) {
    return fail(
      `cannot read --faq ${opts.faq}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      1,
    );
  }
  let faqs: ParsedFaq[];
  try {
    faqs = (await parseFile(bytes, basename(opts.faq))).faqs;
  } catch (err) {
    return fail((err as Error).message, 1);
  }
  if (faqs.length === 0) return fail(`${opts.faq} has no FAQ entries (question and answer columns)`, 1);

  // --model wins over --lexical; otherwise the embedder for the file's language, else lexical matching.
  const models = await loadAnswerModels({
    modelsDir: opts.modelsDir,
    lexical: opts.lexical && !opts.model,
    encoder: opts.model ?? true,
    reader: false,
    ...modelRuntime(opts.runtime),
  });
  // The file is searched as a KB in the language its questions are written in would be.
  const language = dominantLanguage(faqs.map((f) => f.question)) ?? 'mixed';
  const encoder = models.embedders[language];
  try {
    const index = await indexFaqs(faqs, encoder);
    const pipeline = new AnswerPipeline({ embedder: models.embedders, reader: models.readers });
    const modes = pipeline.scoreModes(language);
    const mode: SearchMode = modes.faq;
    const calibration = await new ThresholdCalibrator({
      language,
      defaults: { ...DEFAULT_THRESHOLDS[modes.faq], answer: DEFAULT_THRESHOLDS[modes.answer].answer },
      embedder: encoder,
    }).calibrate(index);
    const thresholds: AnswerThresholds = calibration.thresholds;
    const vector = encoder ? (await encoder.embed([query])).vectors[0] : undefined;
    const matches: FaqMatch[] = index.searchFaqs(query, top, { vector }).map((c, i) => ({
      rank: i + 1,
      id: c.faq.seq,
      score: c.score,
      lexical: c.lexical,
      phrasing: c.phrasing,
      question: c.faq.question,
      alternates: c.faq.alternates,
      answer: c.faq.answer,
    }));
    const decision = await pipeline.run({ question: query, index, thresholds, language, vector });
    const model = encoder?.modelId ?? null;
    const thresholdsSource = calibration.calibrated
      ? 'calibrated on this file'
      : 'defaults: too few entries to calibrate';
    if (opts.json) {
      const body = {
        query,
        mode,
        model,
        language,
        faqCount: faqs.length,
        thresholds,
        thresholdsSource,
        matches,
        decision,
      };
      return { output: JSON.stringify(body, null, 2), exitCode: 0, mode, matches, decision };
    }
    const lines = [
      `mode: ${mode}${model ? ` (${model})` : ''}, ${faqs.length} FAQs in ${LANGUAGE_NAMES[language]}`,
    ];
    if (matches.length === 0) lines.push('no matching FAQ');
    for (const m of matches) {
      const via = m.phrasing > 0 ? `, via "${m.alternates[m.phrasing - 1]}"` : '';
      lines.push(`${m.rank}. ${m.question}  (score ${m.score.toFixed(2)}${via}; row ${m.id})`);
      lines.push(`   ${m.answer.replace(/\s+/g, ' ')}`);
    }
    const t = thresholds;
    lines.push(
      `decision: ${decision.type}${decision.type === 'faq' ? ` (${decision.source?.kind === 'faq' ? decision.source.question : ''})` : ''}` +
        ` — thresholds faq ${t.faq}, clarify ${t.clarify}, margin ${t.margin} (${thresholdsSource})`,
    );
    return { output: lines.join('\n'), exitCode: 0, mode, matches, decision };
  } finally {
    await models.close();
  }
}

export function registerSearchCommand(program: Command, config: CliConfig): void {
  program
    .command('search')
    .description(
      'find the FAQ entries of a file (CSV, XLSX, JSON, Markdown ...) that match a question, as the server scores them',
    )
    .option(
      '--faq <file>',
      'an FAQ file in any upload format (CSV/XLSX with question, answer[, alternates] columns, JSON, ...)',
    )
    .option('-q, --query <text>', 'the question to search for')
    .option('-n, --top <n>', 'how many matches to show', (v) => Number(v), 5)
    .option(
      '-m, --model <dir-or-name>',
      'sentence-embedding model folder, or its name under the models directory',
    )
    .option('--models-dir <dir>', 'where named models live (default $WENDAO_MODELS_DIR or ./models)')
    .option('--lexical', 'match lexically even when an embedder model is available')
    .option('--json', 'print the matches as JSON')
    .action(async (flags: Omit<SearchOptions, 'modelsDir'> & { modelsDir?: string }) => {
      printOutcome(
        await searchCommand({ ...flags, modelsDir: flags.modelsDir ?? config.modelsDir, runtime: config }),
      );
    });
}
