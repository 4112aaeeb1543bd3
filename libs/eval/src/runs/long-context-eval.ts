/**
 * Long-text reading: each question's gold paragraph is embedded among other paragraphs until the
 * context is well past BERT's 512-token limit, then read twice: whole (the reader slides windows
 * over it) and truncated to what one 512-token window holds. The gap is what sliding windows buy.
 */
import { isCjkChar } from '@wendao/text';
import type { Reader, ReaderOptions } from '@wendao/reader';
import type { Language } from '../datasets/dataset-catalog';
import { seededRandom } from '../datasets/seeded-random';
import type { QaDataset, QaExample } from '../datasets/squad-dataset';
import { evaluateReader, type ReaderEvalResult } from './reader-eval';

/**
 * Rough WordPiece token count without a model: one per CJK character, 1.3 per Latin word (sub-word
 * splits), one per other symbol. Good enough to build contexts that are surely over the limit.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+|\S/gu)) {
    const piece = match[0];
    const cjk = [...piece].filter(isCjkChar).length;
    tokens += cjk > 0 ? cjk + (piece.length - cjk > 0 ? 1 : 0) : /[\p{L}\p{N}]/u.test(piece) ? 1.3 : 1;
  }
  return tokens;
}

/** The longest prefix of `text` whose estimated token count is at most `maxTokens`. */
export function truncateToTokens(text: string, maxTokens: number): string {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (estimateTokens(text.slice(0, mid)) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo);
}

export interface LongContextOptions {
  /** Estimated tokens each long context must reach, default 800 (well over 512). */
  minTokens?: number;
  seed?: number;
}

/**
 * Rebuilds each example with a long context: distractor paragraphs (other contexts of the same file,
 * chosen by a fixed seed) placed before and after the gold paragraph at a random position.
 */
export function buildLongContextExamples(
  dataset: QaDataset,
  examples: readonly QaExample[],
  options: LongContextOptions = {},
): QaExample[] {
  const minTokens = options.minTokens ?? 800;
  if (dataset.contexts.length < 2)
    throw new Error('buildLongContextExamples: needs at least two paragraphs to mix');
  const random = seededRandom(options.seed ?? 512);
  return examples.map((example) => {
    const pieces = [example.context];
    let tokens = estimateTokens(example.context);
    let goldIndex = 0;
    for (let guard = 0; tokens < minTokens && guard < 1000; guard++) {
      const pick = Math.floor(random() * dataset.contexts.length);
      if (pick === example.contextIndex) continue;
      const distractor = dataset.contexts[pick];
      if (random() < 0.5) {
        pieces.unshift(distractor);
        goldIndex++;
      } else pieces.push(distractor);
      tokens += estimateTokens(distractor);
    }
    const separator = '\n';
    const offset = pieces.slice(0, goldIndex).reduce((s, p) => s + p.length + separator.length, 0);
    return {
      ...example,
      id: `${example.id}-long`,
      context: pieces.join(separator),
      answerStarts: example.answerStarts.map((s) => (s >= 0 ? s + offset : s)),
    };
  });
}

export interface LongContextResult {
  n: number;
  meanContextTokens: number;
  sliding: ReaderEvalResult;
  truncated: ReaderEvalResult;
  /** Share of questions whose first gold answer is still inside the truncated context. */
  goldKeptByTruncation: number;
  /** The same questions over their original short paragraph, for scale. */
  original: ReaderEvalResult;
}

export async function evaluateLongContext(
  reader: Reader,
  dataset: QaDataset,
  examples: readonly QaExample[],
  options: { language: Language; windowTokens?: number; readerOptions?: ReaderOptions; minTokens?: number },
): Promise<LongContextResult> {
  const windowTokens = options.windowTokens ?? 512;
  const long = buildLongContextExamples(dataset, examples, { minTokens: options.minTokens });
  const truncated = long.map((example) => {
    // One window holds the question, the context and three special tokens.
    const room = Math.max(16, windowTokens - 3 - Math.ceil(estimateTokens(example.question)));
    return { ...example, context: truncateToTokens(example.context, room) };
  });
  const goldKept = truncated.filter((ex, i) => {
    const start = long[i].answerStarts[0];
    return start >= 0 && start + ex.answers[0].length <= ex.context.length;
  }).length;
  const single = { ...options.readerOptions, maxSeqLength: windowTokens };
  return {
    n: long.length,
    meanContextTokens: long.reduce((s, ex) => s + estimateTokens(ex.context), 0) / long.length,
    sliding: await evaluateReader(reader, long, {
      language: options.language,
      readerOptions: options.readerOptions,
    }),
    truncated: await evaluateReader(reader, truncated, { language: options.language, readerOptions: single }),
    goldKeptByTruncation: goldKept / long.length,
    original: await evaluateReader(reader, examples, {
      language: options.language,
      readerOptions: options.readerOptions,
    }),
  };
}
