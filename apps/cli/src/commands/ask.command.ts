/**
 * `wendao ask`: answers one question from the given context text through the answer pipeline the
 * server runs (the texts become the passages of a throw-away knowledge base; an extracted span above
 * the reader's answer threshold answers, otherwise it says there is no answer): neural when a QA
 * model is given or found in the models directory, lexical otherwise. A question without letters (an
 * order number) says nothing of its language: --language says it, as the widget's language does;
 * without it, Chinese, as the REST ask (letterlessReplyLanguage).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Reader } from '@wendao/reader';
import { writtenInChinese } from '@wendao/text';
import {
  AnswerPipeline,
  DEFAULT_THRESHOLDS,
  KnowledgeIndex,
  letterlessReplyLanguage,
  loadAnswerModels,
  type AnswerAlternative,
  type AnswerOutcome,
} from '@wendao/answer';
import type { CliConfig } from '../cli-config';
import { modelRuntime, type ModelRuntime } from './model-runtime';
import { printOutcome } from './print-outcome';

export interface AskOptions {
  question?: string;
  /** Passages given inline, one per --context. */
  context?: string[];
  /** Files read as one passage each. */
  contextFile?: string[];
  /** A QA model folder path or a name under modelsDir. */
  model?: string;
  /** Skip model lookup and use the lexical reader. */
  lexical?: boolean;
  modelsDir: string;
  json?: boolean;
  topK?: number;
  /**
   * The asker's language, for a question without letters (`48`): the pipeline's reply language and
   * the reader's language (Chinese when absent, as the REST ask). Questions with letters are read in
   * their own language.
   */
  language?: string;
  /** How models run (threads, int8, packed layout); the CLI config's defaults when absent. */
  runtime?: ModelRuntime;
}

export interface AskOutcome {
  /** What the command prints (stdout on success, stderr when exitCode is not 0). */
  output: string;
  exitCode: number;
  outcome?: AnswerOutcome;
}

/** A usage error: the command prints the message and exits 2, like commander does for bad flags. */
function usage(message: string): AskOutcome {
  return { output: `wendao ask: ${message}`, exitCode: 2 };
}

/** A span as the command shows it: offsets into the context it came from (1-based context number). */
function spanOf(a: AnswerAlternative) {
  const source = a.source;
  const passageIndex = source.kind === 'passage' ? source.ordinal : 0;
  return {
    text: a.answer,
    start: source.start ?? 0,
    end: source.end ?? 0,
    passageIndex: source.kind === 'passage' ? Number(source.id.replace('context-', '')) - 1 : passageIndex,
    confidence: a.confidence,
    ...(a.answerType ? { answerType: a.answerType } : {}),
  };
}

function describeSpan(span: ReturnType<typeof spanOf>, passageCount: number): string {
  const where = passageCount > 1 ? ` in passage ${span.passageIndex + 1}` : '';
  const type = span.answerType ? ` (${span.answerType})` : '';
  return `${span.text}\n  offsets ${span.start}-${span.end}${where}${type}, confidence ${span.confidence.toFixed(2)}`;
}

/** Runs the ask command without touching the process: returns what to print and the exit code. */
export async function askCommand(opts: AskOptions): Promise<AskOutcome> {
  const question = (opts.question ?? '').trim();
  if (!question) return usage('--question is required and must not be empty');
  const topK = opts.topK ?? 3;
  if (!Number.isInteger(topK) || topK < 1)
    return usage(`--top-k must be a positive integer, got ${opts.topK}`);
  const asker = opts.language;
  if (asker !== undefined && asker !== 'zh' && asker !== 'en')
    return usage(`--language must be zh or en, got ${asker}`);
  // As the REST ask decides it: a question without letters in the asker's language, else Chinese.
  const replyLanguage = letterlessReplyLanguage(question, asker);
  const passages = [...(opts.context ?? [])];
  for (const file of opts.contextFile ?? []) {
    try {
      passages.push(readFileSync(file, 'utf8'));
    } catch (err) {
      return usage(`cannot read --context-file ${file}: ${(err as Error).message}`);
    }
  }
  if (passages.length === 0 || passages.every((p) => p.trim() === '')) {
    return usage('give the text to answer from with --context TEXT or --context-file FILE');
  }

  // --model wins over --lexical; otherwise the first QA model in modelsDir that reads the question's
  // language, else the lexical reader.
  const models = await loadAnswerModels({
    modelsDir: opts.modelsDir,
    lexical: opts.lexical && !opts.model,
    encoder: false,
    reader: opts.model ?? true,
    ...modelRuntime(opts.runtime),
  });
  try {
    // Without letters, writtenInChinese says English: a Chinese asker's 48 was read by the English reader.
    const language = replyLanguage ?? (writtenInChinese(question) ? 'zh' : 'en');
    const modelId = models.used.find((m) => m.serves?.includes(language))?.id;
    return await answerFrom(question, passages, models.readers[language], modelId, {
      ...opts,
      replyLanguage,
    });
  } finally {
    await models.close();
  }
}

async function answerFrom(
  question: string,
  passages: string[],
  reader: Reader,
  modelId: string | undefined,
  opts: AskOptions & { replyLanguage?: 'zh' | 'en' },
): Promise<AskOutcome> {
  const topK = opts.topK ?? 3;
  const index = KnowledgeIndex.empty('wendao-ask', 1);
  passages.forEach((text, i) =>
    index.addPassage({
      seq: i + 1,
      id: `context-${i + 1}`,
      documentId: `context-${i + 1}`,
      fileName: `context ${i + 1}`,
      ordinal: 0,
      text,
      start: 0,
      end: text.length,
    }),
  );
  const pipeline = new AnswerPipeline({ reader, readerPassages: passages.length });
  const thresholds = DEFAULT_THRESHOLDS[reader.mode];
  const outcome = await pipeline.run({
    question,
    index,
    thresholds,
    language: 'mixed',
    replyLanguage: opts.replyLanguage,
  });
  const answered = outcome.type === 'extracted';
  const spans = (answered ? [outcome as AnswerAlternative, ...outcome.alternatives] : outcome.alternatives)
    .slice(0, topK)
    .map(spanOf);
  if (opts.json) {
    const body = {
      question,
      decision: outcome.type,
      answer: answered ? spans[0] : null,
      spans,
      threshold: thresholds.answer,
      mode: reader.mode,
      model: modelId ?? null,
    };
    return { output: JSON.stringify(body, null, 2), exitCode: 0, outcome };
  }
  const lines = answered
    ? [describeSpan(spans[0], passages.length)]
    : [
        `no answer found (${spans[0] ? `best span "${spans[0].text}" at confidence ${spans[0].confidence.toFixed(2)}` : 'nothing matched'}; the answer threshold is ${thresholds.answer})`,
      ];
  for (const alt of spans.slice(answered ? 1 : 0))
    lines.push(`  alternative: ${alt.text.replace(/\s+/g, ' ')} (${alt.confidence.toFixed(2)})`);
  lines.push(`mode: ${reader.mode}${modelId ? ` (${modelId})` : ''}`);
  return { output: lines.join('\n'), exitCode: 0, outcome };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerAskCommand(program: Command, config: CliConfig): void {
  program
    .command('ask')
    .description(
      'answer a question from context text (extractive: prints the span, its offsets and confidence)',
    )
    .option('-q, --question <text>', 'the question')
    .option('-c, --context <text>', 'a passage to answer from (repeatable)', collect)
    .option('-f, --context-file <file>', 'a UTF-8 text file read as one passage (repeatable)', collect)
    .option('-m, --model <dir-or-name>', 'extractive QA model folder, or its name under the models directory')
    .option('--models-dir <dir>', 'where named models live (default $WENDAO_MODELS_DIR or ./models)')
    .option('--lexical', 'use the lexical reader even when a QA model is available')
    .option('-k, --top-k <n>', 'answers to show', (v) => Number.parseInt(v, 10), 3)
    .option('--json', 'print the result as JSON')
    .option('--language <zh|en>', "the asker's language, for a question without letters (default: Chinese)")
    .action(async (flags: Omit<AskOptions, 'modelsDir'> & { modelsDir?: string }) => {
      printOutcome(
        await askCommand({ ...flags, modelsDir: flags.modelsDir ?? config.modelsDir, runtime: config }),
      );
    });
}
