/**
 * End-to-end answering over a passage KB built from a reading-comprehension set's paragraphs, through
 * the answer pipeline the server runs (the paragraphs are the passages of a KnowledgeIndex; no FAQ):
 * retrieve, read, and score the best span. The confidence sweep gives the precision/coverage curve
 * the default answer threshold is chosen from.
 */
import { AnswerPipeline, KnowledgeIndex, type AnswerThresholds } from '@wendao/answer';
import type { Language } from '../datasets/dataset-catalog';
import type { QaExample } from '../datasets/squad-dataset';
import {
  precisionCoverageCurve,
  thresholdForPrecision,
  type CoveragePoint,
} from '../metrics/precision-coverage';
import { answerContainsGold, answerScorer } from './answer-scorer';

export interface EndToEndOptions {
  language: Language;
  /** An answer counts as correct when its F1 against the gold answers reaches this (default 0.5). */
  correctF1?: number;
  /** The threshold the summary's answer rate / accuracy are reported at (default 0.3). */
  threshold?: number;
  thresholds?: number[];
  onProgress?: (done: number, total: number) => void;
}

export interface EndToEndResult {
  n: number;
  /** Share of questions whose gold paragraph was among the retrieved passages. */
  passageRecall: number;
  /** Share of questions whose gold paragraph was the first retrieved passage (Recall@1). */
  passageRecallAt1: number;
  /** EM / F1 x100 when every question is answered (threshold 0). */
  exactMatch: number;
  f1: number;
  threshold: number;
  /** At `threshold`: share of questions answered, and share of those answered correctly. */
  answerRate: number;
  accuracyOfAnswered: number;
  /** Share of answered questions whose answer contains a gold answer. */
  containsGoldOfAnswered: number;
  /** Correct = F1 >= correctF1. */
  curve: CoveragePoint[];
  /** Correct = the answer contains a gold answer (fairer to sentence answers). */
  containsCurve: CoveragePoint[];
  /** The lowest threshold meeting each precision floor (most coverage at that precision), if any. */
  suggested: Array<{
    precisionFloor: number;
    point: CoveragePoint | null;
    containsPoint: CoveragePoint | null;
  }>;
  questionsPerSecond: number;
}

/** Every paragraph as a passage of one KB (embedded when the pipeline has an embedder). */
export async function contextsIndex(
  contexts: readonly string[],
  pipeline: AnswerPipeline,
  language: Language,
): Promise<KnowledgeIndex> {
  const embedder = pipeline.embedderFor(language);
  const index = KnowledgeIndex.empty('end-to-end', 1, embedder);
  for (let i = 0; i < contexts.length; i += 64) {
    const batch = contexts.slice(i, i + 64);
    const vectors = embedder ? (await embedder.embed([...batch])).vectors : undefined;
    batch.forEach((text, j) =>
      index.addPassage(
        {
          seq: i + j + 1,
          id: String(i + j),
          documentId: String(i + j),
          fileName: `paragraph ${i + j}`,
          ordinal: 0,
          text,
          start: 0,
          end: text.length,
        },
        vectors?.[j],
      ),
    );
  }
  return index;
}

/** The pipeline's reader stage on every question: no FAQ to match, and every span is returned with its confidence. */
const READ_EVERYTHING: AnswerThresholds = { faq: 2, clarify: 2, margin: 0, answer: 0 };

export async function evaluateEndToEnd(
  examples: readonly QaExample[],
  contexts: readonly string[],
  pipeline: AnswerPipeline,
  options: EndToEndOptions,
): Promise<EndToEndResult> {
  if (examples.length === 0) throw new Error('evaluateEndToEnd: no questions');
  const score = answerScorer(options.language);
  const correctF1 = options.correctF1 ?? 0.5;
  const threshold = options.threshold ?? 0.3;
  const scored: Array<{ confidence: number; correct: boolean; contains: boolean; em: number; f1: number }> =
    [];
  const index = await contextsIndex(contexts, pipeline, options.language);
  let passageHits = 0;
  let passageFirst = 0;
  const started = process.hrtime.bigint();
  for (const example of examples) {
    const outcome = await pipeline.run({
      question: example.question,
      index,
      thresholds: READ_EVERYTHING,
      language: options.language,
    });
    const gold = String(example.contextIndex);
    if (outcome.evidence.passages.some((p) => p.id === gold)) passageHits++;
    if (outcome.evidence.passages[0]?.id === gold) passageFirst++;
    const answered = outcome.type === 'extracted';
    const text = answered ? outcome.answer : '';
    const { exactMatch, f1 } = score(text, example.answers);
    scored.push({
      confidence: answered ? outcome.confidence : -1,
      correct: answered && f1 >= correctF1,
      contains: answerContainsGold(text, example.answers, options.language),
      em: exactMatch,
      f1,
    });
    options.onProgress?.(scored.length, examples.length);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const curve = precisionCoverageCurve(scored, options.thresholds);
  const containsCurve = precisionCoverageCurve(
    scored.map((s) => ({ confidence: s.confidence, correct: s.contains })),
    options.thresholds,
  );
  const answered = scored.filter((s) => s.confidence >= threshold);
  return {
    n: scored.length,
    passageRecall: passageHits / scored.length,
    passageRecallAt1: passageFirst / scored.length,
    exactMatch: (100 * scored.reduce((s, x) => s + x.em, 0)) / scored.length,
    f1: (100 * scored.reduce((s, x) => s + x.f1, 0)) / scored.length,
    threshold,
    answerRate: answered.length / scored.length,
    accuracyOfAnswered: answered.length ? answered.filter((s) => s.correct).length / answered.length : 0,
    containsGoldOfAnswered: answered.length ? answered.filter((s) => s.contains).length / answered.length : 0,
    curve,
    containsCurve,
    suggested: [0.3, 0.5, 0.7, 0.8, 0.9].map((precisionFloor) => ({
      precisionFloor,
      point: thresholdForPrecision(curve, precisionFloor),
      containsPoint: thresholdForPrecision(containsCurve, precisionFloor),
    })),
    questionsPerSecond: scored.length / seconds,
  };
}
