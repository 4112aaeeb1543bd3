/**
 * A public FAQ-style set asked end to end through the answer pipeline: its entries become the FAQ
 * entries of a KnowledgeIndex (intent sets: an intent's training utterances as its phrasings; StackFAQ:
 * the thread's question, with its answers as the answer text; paraphrase-pair sets: one side of each
 * positive pair), thresholds are calibrated on that content as a publish does, then every query is
 * asked and its outcome counted like the shop sets' paraphrases (plus CLINC150's out-of-scope test).
 */
import { readFileSync } from 'node:fs';
import { AnswerPipeline, DEFAULT_THRESHOLDS, KnowledgeIndex, ThresholdCalibrator } from '@wendao/answer';
import type { CalibrationReport, AnswerThresholds } from '@wendao/answer';
import { catalogEntry, datasetPath, PAIR_DATASETS, RETRIEVAL_DATASETS } from '../datasets/dataset-catalog';
import type { RetrievalSet } from '../datasets/retrieval-set';
import { sampleInOrder } from '../datasets/seeded-random';
import { loadSentencePairs } from '../datasets/sentence-pair-dataset';
import { describeMachine, type EvalRecord } from '../report/eval-record';
import { loadRetrievalSet } from './suite-datasets';
import {
  countOutcome,
  emptyOutcomeCounts,
  OUTCOME_COLUMNS,
  outcomeRow,
  type OutcomeCounts,
  type RecordContext,
} from './shop-eval';

export const FAQ_SETS = [
  'stackfaq',
  'banking77',
  'clinc150',
  'smp2017',
  'cais',
  'lcqmc',
  'bq',
  'afqmc',
] as const;

export interface FaqSetResult {
  set: string;
  language: 'zh' | 'en';
  entries: number;
  thresholds: AnswerThresholds;
  calibration: CalibrationReport;
  queries: OutcomeCounts;
  outOfScope?: { n: number; fallback: number; clarify: number; answered: number };
}

/** What a set becomes as a KB, and its held-out queries (and out-of-scope questions, where it has them). */
export function loadFaqSet(
  datasetsDir: string,
  name: string,
): { set: RetrievalSet; answers: Map<string, string>; outOfScope?: string[] } {
  const answers = new Map<string, string>();
  if (name === 'lcqmc' || name === 'bq' || name === 'afqmc') {
    // One side of every positive pair is an FAQ question, the other side asks it.
    const entry = catalogEntry(PAIR_DATASETS, name, 'pair');
    const pairs = loadSentencePairs(datasetPath(datasetsDir, entry)).filter((p) => p.positive);
    const ids = new Map<string, string>();
    for (const p of pairs) if (!ids.has(p.b)) ids.set(p.b, `q${ids.size}`);
    return {
      set: {
        language: entry.language,
        entries: [...ids].map(([text, id]) => ({ id, texts: [text] })),
        queries: pairs.filter((p) => !ids.has(p.a)).map((p) => ({ text: p.a, relevant: [ids.get(p.b)!] })),
      },
      answers,
    };
  }
  const { set } = loadRetrievalSet(datasetsDir, name);
  if (name === 'stackfaq') {
    for (const e of set.entries) answers.set(e.id, e.texts.slice(1).join('\n'));
    set.entries = set.entries.map((e) => ({ id: e.id, texts: [e.texts[0]] }));
  }
  let outOfScope: string[] | undefined;
  if (name === 'clinc150') {
    const path = datasetPath(datasetsDir, catalogEntry(RETRIEVAL_DATASETS, name, 'retrieval'));
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { oos_test?: [string, string][] };
    outOfScope = (raw.oos_test ?? []).map(([text]) => text);
  }
  return { set, answers, outOfScope };
}

export async function evaluateFaqSet(
  name: string,
  loaded: ReturnType<typeof loadFaqSet>,
  pipeline: AnswerPipeline,
  options: { targetPrecision?: number; limit?: number } = {},
): Promise<FaqSetResult> {
  const { set, answers } = loaded;
  const embedder = pipeline.embedderFor(set.language);
  const index = KnowledgeIndex.empty(`faq-set-${name}`, 1, embedder);
  let seq = 0;
  const faqs = set.entries.map((entry) => ({
    id: entry.id,
    question: entry.texts[0],
    alternates: entry.texts.slice(1),
    answer: answers.get(entry.id) ?? '',
  }));
  const embeddings = embedder ? await KnowledgeIndex.embedFaqs(embedder, faqs) : [];
  faqs.forEach((faq, i) => index.upsertFaq({ ...faq, seq: ++seq, documentId: null, ...embeddings[i] }));
  const modes = pipeline.scoreModes(set.language);
  const calibration = await new ThresholdCalibrator({
    language: set.language,
    targetPrecision: options.targetPrecision,
    defaults: { ...DEFAULT_THRESHOLDS[modes.faq], answer: DEFAULT_THRESHOLDS[modes.answer].answer },
    embedder,
  }).calibrate(index);
  const thresholds = calibration.thresholds;
  const ask = (question: string) => pipeline.run({ question, index, thresholds, language: set.language });

  const queries = emptyOutcomeCounts();
  for (const query of sampleInOrder(set.queries, options.limit))
    countOutcome(queries, await ask(query.text), query.relevant);
  let outOfScope: FaqSetResult['outOfScope'];
  if (loaded.outOfScope) {
    outOfScope = { n: 0, fallback: 0, clarify: 0, answered: 0 };
    for (const question of sampleInOrder(loaded.outOfScope, options.limit)) {
      const o = await ask(question);
      outOfScope.n++;
      if (o.type === 'fallback') outOfScope.fallback++;
      else if (o.type === 'clarify') outOfScope.clarify++;
      else outOfScope.answered++;
    }
  }
  return {
    set: name,
    language: set.language,
    entries: index.faqs.size,
    thresholds,
    calibration,
    queries,
    outOfScope,
  };
}

export function faqSetRecord(result: FaqSetResult, context: RecordContext): EvalRecord {
  const q = result.queries;
  const o = result.outOfScope;
  const t = result.thresholds;
  return {
    task: 'faq-set',
    dataset: result.set,
    split: `${result.entries} entries as FAQs; held-out queries asked through the answer pipeline`,
    n: q.n + (o?.n ?? 0),
    mode: context.mode,
    models: context.models,
    metrics: { thresholds: t, calibration: result.calibration, queries: q, outOfScope: o ?? null },
    tables: [
      {
        columns: [...OUTCOME_COLUMNS, 'FAQ / clarify / margin'],
        rows: [[...outcomeRow(q, o), `${t.faq} / ${t.clarify} / ${t.margin}`]],
      },
    ],
    reference: [],
    notes: [
      `Thresholds calibrated on the set's own entries (${result.calibration.reason}).`,
      'Pair sets (LCQMC, BQ, AFQMC): one side of each positive pair is an FAQ question, the other side asks it; an unlabelled duplicate elsewhere in the set counts as wrong.',
    ],
    command: context.command,
    revision: context.revision,
    date: new Date().toISOString(),
    machine: describeMachine(),
  };
}
