/**
 * Reader evaluation on SQuAD-format sets: each question is read against its own context, the best
 * span is scored with the set's official metric, and throughput is measured alongside.
 */
import type { Reader, ReaderOptions } from '@wendao/reader';
import type { Language } from '../datasets/dataset-catalog';
import type { QaExample } from '../datasets/squad-dataset';
import { answerContainsGold, answerScorer } from './answer-scorer';

export interface ReaderPrediction {
  id: string;
  prediction: string;
  probability: number;
  exactMatch: number;
  f1: number;
  /** The prediction contains a gold answer (a sentence around it counts). */
  containsGold: boolean;
}

export interface ReaderEvalResult {
  n: number;
  /** Mean EM and F1 x100 over all questions (an empty prediction scores 0, as in the official scripts). */
  exactMatch: number;
  f1: number;
  /** Share of questions whose prediction contains a gold answer (x100). */
  containsGold: number;
  /** Share of questions for which the reader returned any span. */
  answeredShare: number;
  questionsPerSecond: number;
  seconds: number;
  predictions: ReaderPrediction[];
}

export interface ReaderEvalOptions {
  language: Language;
  readerOptions?: ReaderOptions;
  onProgress?: (done: number, total: number) => void;
}

export async function evaluateReader(
  reader: Reader,
  examples: readonly QaExample[],
  options: ReaderEvalOptions,
): Promise<ReaderEvalResult> {
  if (examples.length === 0) throw new Error('evaluateReader: no questions to evaluate');
  const score = answerScorer(options.language);
  const predictions: ReaderPrediction[] = [];
  const started = process.hrtime.bigint();
  for (const example of examples) {
    const result = await reader.answer(example.question, [example.context], options.readerOptions);
    const best = result.spans[0];
    const prediction = best?.text ?? '';
    predictions.push({
      id: example.id,
      prediction,
      probability: best?.probability ?? 0,
      ...score(prediction, example.answers),
      containsGold: answerContainsGold(prediction, example.answers, options.language),
    });
    options.onProgress?.(predictions.length, examples.length);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mean = (key: 'exactMatch' | 'f1') =>
    (100 * predictions.reduce((s, p) => s + p[key], 0)) / predictions.length;
  return {
    n: predictions.length,
    exactMatch: mean('exactMatch'),
    f1: mean('f1'),
    containsGold: (100 * predictions.filter((p) => p.containsGold).length) / predictions.length,
    answeredShare: predictions.filter((p) => p.prediction !== '').length / predictions.length,
    questionsPerSecond: predictions.length / seconds,
    seconds,
    predictions,
  };
}
