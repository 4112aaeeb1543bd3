/**
 * `wendao eval intent`: the few-shot intent classifier (@wendao/intent) trained on N labelled
 * utterances per intent, and on 500 in total, over several fixed-seed draws (mean ± sd), next to
 * the same classifier trained on the whole training split. Accuracy and macro-F1 are closed-set
 * (top intent); the out-of-scope cut is the classifier's own, cross-validated inside each draw.
 */
import { readFileSync } from 'node:fs';
import type { Embedder } from '@wendao/encoder';
import {
  DEFAULT_C_CANDIDATES,
  DEFAULT_EMBEDDING_WEIGHT,
  IntentClassifier,
  describingExamples,
  learnFromTraffic,
} from '@wendao/intent';
import {
  RETRIEVAL_DATASETS,
  datasetPath,
  type Language,
  type ReferenceScore,
} from '../datasets/dataset-catalog';
import {
  loadBanking77,
  loadCais,
  parseSmp2017Tsv,
  stratifiedSplit,
  limitPerLabel,
  type LabelledUtterance,
} from '../datasets/intent-dataset';
import { sampleInOrder, seededRandom, shuffled } from '../datasets/seeded-random';
import { accuracy, macroF1 } from '../metrics/classification-metrics';
import { describeMachine, type EvalRecord } from '../report/eval-record';
import type { RecordContext } from './shop-eval';

export const INTENT_SETS = ['banking77', 'clinc150', 'smp2017', 'cais'] as const;

export interface IntentEvalSet {
  name: string;
  language: Language;
  train: LabelledUtterance[];
  test: LabelledUtterance[];
  /** Utterances of no intent (CLINC150's oos_test); empty for the other sets. */
  outOfScopeTest: string[];
  split: string;
}

/**
 * A set's development split, for choosing settings without reading its test split: a fixed-seed
 * stratified 80 / 20 split of its train split (the 80 % trains, the 20 % is scored), and for CLINC150
 * its oos_val utterances as the out-of-scope ones. The split the docs' development figures use.
 */
export function developmentSplit(set: IntentEvalSet, outOfScopeDev: readonly string[]): IntentEvalSet {
  const { train, test } = stratifiedSplit(set.train, 0.8, 99);
  return {
    ...set,
    train,
    test,
    outOfScopeTest: [...outOfScopeDev],
    split: `development: fixed-seed stratified 80 / 20 of ${set.name}'s train split${outOfScopeDev.length ? ' + oos_val' : ''} (its test split unread)`,
  };
}

/**
 * The four intent sets with their train/test splits (SMP2017: a fixed 2299/770 stratified split, the
 * official sizes); with `dev`, their development splits instead (developmentSplit).
 */
export function loadIntentEvalSet(datasetsDir: string, name: string, dev = false): IntentEvalSet {
  const set = loadIntentTestSet(datasetsDir, name);
  if (!dev) return set;
  const outOfScopeDev =
    name === 'clinc150'
      ? (
          JSON.parse(readFileSync(datasetPath(datasetsDir, RETRIEVAL_DATASETS[name]), 'utf8')) as Record<
            string,
            Array<[string, string]>
          >
        ).oos_val.map(([text]) => text)
      : [];
  return developmentSplit(set, outOfScopeDev);
}

function loadIntentTestSet(datasetsDir: string, name: string): IntentEvalSet {
  const path = (n: string) => datasetPath(datasetsDir, RETRIEVAL_DATASETS[n]);
  switch (name) {
    case 'banking77':
      return {
        name,
        language: 'en',
        ...loadBanking77(path(name)),
        outOfScopeTest: [],
        split: 'train / test',
      };
    case 'clinc150': {
      const json = JSON.parse(readFileSync(path(name), 'utf8')) as Record<string, Array<[string, string]>>;
      const rows = (split: string) => json[split].map(([text, label]) => ({ text, label }));
      return {
        name,
        language: 'en',
        train: rows('train'),
        test: rows('test'),
        outOfScopeTest: json.oos_test.map(([text]) => text),
        split: 'data_full train / test + oos_test (oos_train unused)',
      };
    }
    case 'smp2017':
      return {
        name,
        language: 'zh',
        ...stratifiedSplit(parseSmp2017Tsv(readFileSync(path(name), 'utf8')), 2299 / 3069),
        outOfScopeTest: [],
        split: 'merged file, fixed-seed stratified 2299 train / 770 test (the official train/dev sizes)',
      };
    case 'cais':
      return {
        name,
        language: 'zh',
        ...loadCais(path(name)),
        outOfScopeTest: [],
        split: 'train / test (GetDate, test-only, left out)',
      };
    default:
      throw new Error(`unknown intent set "${name}"; choose one of: ${INTENT_SETS.join(', ')}`);
  }
}

/**
 * A training budget: N utterances per intent; a total spread as evenly as the intents allow; or a
 * total drawn at random from the train split, so the intents keep their share of the traffic (what
 * labelling the first N logged questions gives).
 */
export type IntentBudget = { perIntent: number } | { total: number; random?: boolean } | 'full';

export function budgetLabel(budget: IntentBudget): string {
  if (budget === 'full') return 'full train';
  if ('perIntent' in budget) return `${budget.perIntent} per intent`;
  return budget.random ? `${budget.total} at random` : `${budget.total} in total`;
}

/** `total` utterances taken round-robin over the intents (each intent's order shuffled by `seed`). */
export function limitTotal(
  train: readonly LabelledUtterance[],
  total: number,
  seed: number,
): LabelledUtterance[] {
  const random = seededRandom(seed);
  const byLabel = new Map<string, LabelledUtterance[]>();
  for (const row of train) {
    if (!byLabel.has(row.label)) byLabel.set(row.label, []);
    byLabel.get(row.label)!.push(row);
  }
  const queues = [...byLabel.keys()].sort().map((label) => shuffled(byLabel.get(label)!, random));
  const out: LabelledUtterance[] = [];
  for (let round = 0; out.length < total && queues.some((q) => q.length > round); round++)
    for (const queue of queues) if (round < queue.length && out.length < total) out.push(queue[round]);
  return out;
}

export interface IntentRunScore {
  accuracy: number;
  macroF1: number;
  /** In-scope utterances given their right intent above the cut. */
  acceptedAccuracy: number;
  /** Out-of-scope utterances put under the cut (null without an out-of-scope split). */
  outOfScopeRecall: number | null;
  threshold: number;
  trainExamples: number;
  /** Examples made from the intents' names (on top of the labelled ones; 0 with intentNames off). */
  nameExamples: number;
  /** Wall-clock seconds of the training (the embeddings were computed before). */
  trainSeconds: number;
  /** CPU seconds of this process during the training: less sensitive to a shared machine's load. */
  trainCpuSeconds: number;
  /** L-BFGS iterations of the final fit (the cross-validation fits come on top). */
  iterations: number;
  /** The inverse L2 strength of the final fit: given, or chosen by the classifier's cross-validation. */
  c: number;
  /** With a traffic pool: whether the classifier followed the traffic's estimated intent mix, and how far it was from the labels'. */
  traffic: { questions: number; applied: boolean; totalVariation: number; seconds: number } | null;
  /** With a traffic pool and self-training: the questions it looked at and those it trained on again. */
  selfTraining: { questions: number; pseudoLabelled: number; applied: boolean } | null;
}

export interface IntentBudgetResult {
  budget: string;
  draws: IntentRunScore[];
}

export interface IntentEvalResult {
  set: string;
  language: Language;
  split: string;
  testN: number;
  outOfScopeN: number;
  intents: number;
  /** The embedding weight the classifier used (null in lexical mode). */
  embeddingWeight: number | null;
  /** The fixed C given, or null when each training chose its own by cross-validation. */
  fixedC: number | null;
  /** Whether each intent's name trained as one more example. */
  intentNames: boolean;
  /** Unlabelled train utterances each classifier adapted its intent mix to (0: none). */
  trafficQuestions: number;
  /** Whether each classifier also trained again on the traffic it accepted (with a traffic pool). */
  selfTraining: boolean;
  results: IntentBudgetResult[];
}

export interface IntentEvalOptions {
  budgets: IntentBudget[];
  draws: number;
  /** Score a fixed-seed sample of at most this many in-scope (and out-of-scope) test utterances. */
  limit?: number;
  embedder?: Embedder;
  /** The classifier's embeddingWeight (the embedding block's scale against the TF-IDF row); its default when absent. */
  embeddingWeight?: number;
  /** A fixed C for every training; absent, each training cross-validates its own. */
  c?: number;
  /**
   * Train on each intent's name as one more example, as the product does with an intent's name and
   * description (default true; the sets' labels are identifiers such as card_arrival).
   */
  intentNames?: boolean;
  /**
   * Adapt each classifier to the intent mix of this many unlabelled utterances of the train split
   * (those not among its labels, a fixed-seed sample), as the product does with a KB's logged
   * questions (IntentClassifier.adaptToTraffic). 0 or absent: as trained. The full-data run has no
   * unlabelled utterances left and stays as trained.
   */
  trafficQuestions?: number;
  /**
   * With a traffic pool, train each classifier again on the traffic utterances it accepts, as the
   * product does with a KB's logged questions (learnFromTraffic). Default true.
   */
  selfTraining?: boolean;
  onProgress?: (label: string, done: number, total: number) => void;
}

/** Each text embedded once across every draw and budget. */
function memoisedEmbedder(embedder: Embedder): Embedder {
  const cache = new Map<string, Float32Array>();
  return {
    modelId: embedder.modelId,
    dim: embedder.dim,
    close: () => embedder.close(),
    async embed(texts) {
      const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
      if (missing.length) {
        const { vectors } = await embedder.embed(missing);
        missing.forEach((t, i) => cache.set(t, vectors[i]));
      }
      return { vectors: texts.map((t) => cache.get(t)!), truncated: [] };
    },
  };
}

async function scoreRun(
  train: readonly LabelledUtterance[],
  traffic: readonly string[],
  test: readonly LabelledUtterance[],
  outOfScope: readonly string[],
  seed: number,
  embedder: Embedder | undefined,
  embeddingWeight: number | undefined,
  c: number | undefined,
  intentNames: boolean,
  selfTraining: boolean,
): Promise<IntentRunScore> {
  const labelled = train.map((r) => ({ text: r.text, intent: r.label }));
  const named = intentNames
    ? describingExamples(
        [...new Set(labelled.map((e) => e.intent))].map((name) => ({ name })),
        labelled,
      )
    : [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const training = [...labelled, ...named];
  const settings = {
    seed,
    embedder,
    ...(embeddingWeight !== undefined ? { embeddingWeight } : {}),
  };
  const trained = await IntentClassifier.train(training, { ...settings, ...(c !== undefined ? { c } : {}) });
  const trainSeconds = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpu);
  // The estimate's own cost: the texts' embeddings are memoised (computed up front), so this is the
  // classification, the EM and (self-training) the retraining; the product also embeds the logged
  // questions it has not seen.
  const adapting = performance.now();
  let classifier = trained;
  let selfTrained: IntentRunScore['selfTraining'] = null;
  if (traffic.length && selfTraining) {
    const learnt = await learnFromTraffic(trained, training, traffic, undefined, (examples, kept) =>
      IntentClassifier.train(examples, { ...settings, ...kept }),
    );
    classifier = learnt.classifier;
    selfTrained = {
      questions: learnt.selfTraining.questions,
      pseudoLabelled: learnt.selfTraining.pseudoLabelled,
      applied: learnt.selfTraining.applied,
    };
  } else if (traffic.length) classifier = await trained.adaptToTraffic(traffic);
  const trafficSeconds = (performance.now() - adapting) / 1000;
  const predictions = await classifier.predict(test.map((r) => r.text));
  const gold = test.map((r) => r.label);
  const best = predictions.map((p) => p.best);
  const oos = outOfScope.length ? await classifier.predict(outOfScope) : [];
  return {
    accuracy: accuracy(gold, best),
    macroF1: macroF1(gold, best),
    acceptedAccuracy: predictions.filter((p, i) => p.intent === gold[i]).length / gold.length,
    outOfScopeRecall: oos.length ? oos.filter((p) => p.intent === null).length / oos.length : null,
    threshold: classifier.threshold,
    trainExamples: labelled.length,
    nameExamples: named.length,
    trainSeconds,
    trainCpuSeconds: (cpuUsed.user + cpuUsed.system) / 1e6,
    iterations: classifier.report?.iterations ?? 0,
    c: classifier.toJSON().c,
    traffic: classifier.traffic
      ? {
          questions: classifier.traffic.questions,
          applied: classifier.traffic.applied,
          totalVariation: classifier.traffic.totalVariation,
          seconds: trafficSeconds,
        }
      : null,
    selfTraining: selfTrained,
  };
}

export async function evaluateIntentSet(
  set: IntentEvalSet,
  options: IntentEvalOptions,
): Promise<IntentEvalResult> {
  const test = sampleInOrder(set.test, options.limit, 13);
  const outOfScope = sampleInOrder(set.outOfScopeTest, options.limit, 14);
  const embedder = options.embedder && memoisedEmbedder(options.embedder);
  // Every text embedded up front, so the training times are the classifier's alone.
  if (embedder)
    await embedder.embed([
      ...new Set([
        ...set.train.flatMap((r) => [r.text, r.text.trim()]),
        ...test.map((r) => r.text),
        ...outOfScope,
      ]),
    ]);
  const results: IntentBudgetResult[] = [];
  const runs = options.budgets.reduce((n, b) => n + (b === 'full' ? 1 : options.draws), 0);
  let done = 0;
  for (const budget of options.budgets) {
    const draws: IntentRunScore[] = [];
    const count = budget === 'full' ? 1 : options.draws;
    for (let draw = 0; draw < count; draw++) {
      const seed = 1000 + draw;
      const train =
        budget === 'full'
          ? set.train
          : 'perIntent' in budget
            ? limitPerLabel({ train: set.train, test: [] }, budget.perIntent, seed).train
            : budget.random
              ? sampleInOrder(set.train, budget.total, seed)
              : limitTotal(set.train, budget.total, seed);
      const labelled = new Set(train);
      const traffic =
        options.trafficQuestions && budget !== 'full'
          ? sampleInOrder(
              set.train.filter((r) => !labelled.has(r)),
              options.trafficQuestions,
              2000 + draw,
            ).map((r) => r.text)
          : [];
      draws.push(
        await scoreRun(
          train,
          traffic,
          test,
          outOfScope,
          seed,
          embedder,
          options.embeddingWeight,
          options.c,
          options.intentNames ?? true,
          options.selfTraining ?? true,
        ),
      );
      options.onProgress?.(`intent ${set.name}`, ++done, runs);
    }
    results.push({ budget: budgetLabel(budget), draws });
  }
  return {
    set: set.name,
    language: set.language,
    split: set.split,
    testN: test.length,
    outOfScopeN: outOfScope.length,
    intents: new Set(set.train.map((r) => r.label)).size,
    embeddingWeight: options.embedder ? (options.embeddingWeight ?? DEFAULT_EMBEDDING_WEIGHT) : null,
    fixedC: options.c ?? null,
    intentNames: options.intentNames ?? true,
    trafficQuestions: options.trafficQuestions ?? 0,
    selfTraining: Boolean(options.trafficQuestions) && (options.selfTraining ?? true),
    results,
  };
}

function meanSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd =
    values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}

/** "81.23 ± 0.45" (x100), or the single value for one draw. */
function formatPercent(values: number[]): string {
  const { mean, sd } = meanSd(values);
  return values.length > 1
    ? `${(100 * mean).toFixed(2)} ± ${(100 * sd).toFixed(2)}`
    : (100 * mean).toFixed(2);
}

/** Published few-shot and full-data intent-classification numbers (../shared/datasets/SOURCES.md). */
const INTENT_REFERENCES: Record<string, ReferenceScore[]> = {
  banking77: [
    {
      model: 'BERT-large, fine-tuned (full data)',
      metric: 'accuracy',
      value: 93.66,
      source: 'Casanueva et al. 2020 (via secondary sources)',
    },
    {
      model: 'USE+ConveRT (full data)',
      metric: 'accuracy',
      value: 93.36,
      source: 'Casanueva et al. 2020 (via secondary sources)',
    },
    {
      model: 'USE+ConveRT (10 per intent)',
      metric: 'accuracy',
      value: 85.19,
      source: 'Casanueva et al. 2020 (via secondary sources)',
    },
    {
      model: 'USE+ConveRT (5 per intent)',
      metric: 'accuracy',
      value: 77.75,
      source: 'a few-shot leaderboard README quoting it',
    },
    { model: 'DNNC (5 per intent)', metric: 'accuracy', value: 80.4, source: 'same README' },
    {
      model: 'IntentBERT (10 per intent)',
      metric: 'accuracy',
      value: 81.18,
      source: 'Zhang et al. 2021 via an aggregator',
      note: 'range 81.18–83.94',
    },
  ],
  clinc150: [
    {
      model: 'BERT, oos-threshold (Full)',
      metric: 'in-scope accuracy',
      value: 96.2,
      source: 'Larson et al. 2019, Table 2',
      note: 'OOS recall 52.3',
    },
    {
      model: 'BERT, oos-train (Small: 50 per intent)',
      metric: 'in-scope accuracy',
      value: 96.4,
      source: 'Larson et al. 2019, Table 2',
      note: 'OOS recall 40.9',
    },
    {
      model: 'MLP on USE embeddings (Full)',
      metric: 'in-scope accuracy',
      value: 93.5,
      source: 'Larson et al. 2019, Table 2',
      note: 'OOS recall 47.4',
    },
    {
      model: 'SVM (Full)',
      metric: 'in-scope accuracy',
      value: 91.0,
      source: 'Larson et al. 2019, Table 2',
      note: 'OOS recall 14.5',
    },
    {
      model: 'USE+ConveRT (5 per intent)',
      metric: 'accuracy',
      value: 90.49,
      source: 'a few-shot leaderboard README quoting it',
    },
    { model: 'DNNC (5 per intent)', metric: 'accuracy', value: 91.02, source: 'same README' },
  ],
  smp2017: [],
  cais: [
    {
      model: 'CM-Net (joint intent + slot, trained on all of train)',
      metric: 'intent accuracy',
      value: 94.56,
      source: 'Liu et al. 2019, via an aggregator listing',
      note: 'PlayMusic is 86 % of test',
    },
  ],
};

export function intentRecord(
  result: IntentEvalResult,
  context: RecordContext & { limit?: number },
): EvalRecord {
  const hasOos = result.outOfScopeN > 0;
  const full = result.results.find((r) => r.budget === 'full train');
  const fullAccuracy = full ? full.draws[0].accuracy : undefined;
  const columns = [
    'training labels',
    'draws',
    'examples',
    'accuracy',
    'macro-F1',
    ...(hasOos ? ['in-scope accepted & right', 'OOS recall'] : []),
    'of full-data accuracy',
    'train s (mean)',
    'train CPU s (mean)',
    'L-BFGS iterations (mean)',
    'C (each draw)',
    ...(result.trafficQuestions
      ? ['traffic mix: applied / total variation (each draw)', 'traffic estimate s (mean)']
      : []),
    ...(result.selfTraining ? ['self-training: accepted / questions (each draw)'] : []),
  ];
  const rows = result.results.map((r) => {
    const d = r.draws;
    const acc = meanSd(d.map((x) => x.accuracy)).mean;
    return [
      r.budget,
      d.length,
      Math.round(meanSd(d.map((x) => x.trainExamples)).mean),
      formatPercent(d.map((x) => x.accuracy)),
      formatPercent(d.map((x) => x.macroF1)),
      ...(hasOos
        ? [
            formatPercent(d.map((x) => x.acceptedAccuracy)),
            formatPercent(d.map((x) => x.outOfScopeRecall ?? 0)),
          ]
        : []),
      fullAccuracy ? `${((100 * acc) / fullAccuracy).toFixed(1)} %` : '-',
      meanSd(d.map((x) => x.trainSeconds)).mean.toFixed(1),
      meanSd(d.map((x) => x.trainCpuSeconds)).mean.toFixed(1),
      Math.round(meanSd(d.map((x) => x.iterations)).mean),
      d.map((x) => x.c).join(', '),
      ...(result.trafficQuestions
        ? [
            d
              .map((x) =>
                x.traffic
                  ? `${x.traffic.applied ? 'yes' : 'no'} / ${x.traffic.totalVariation.toFixed(2)}`
                  : '-',
              )
              .join(', '),
            d.some((x) => x.traffic)
              ? meanSd(d.filter((x) => x.traffic).map((x) => x.traffic!.seconds)).mean.toFixed(2)
              : '-',
          ]
        : []),
      ...(result.selfTraining
        ? [
            d
              .map((x) =>
                x.selfTraining?.applied
                  ? `${x.selfTraining.pseudoLabelled} / ${x.selfTraining.questions}`
                  : '-',
              )
              .join(', '),
          ]
        : []),
    ];
  });
  return {
    task: 'intent',
    dataset: result.set,
    split: result.split,
    n: result.testN + result.outOfScopeN,
    mode: context.mode,
    models: context.models,
    metrics: {
      intents: result.intents,
      embeddingWeight: result.embeddingWeight,
      fixedC: result.fixedC,
      intentNames: result.intentNames,
      trafficQuestions: result.trafficQuestions,
      selfTraining: result.selfTraining,
      testN: result.testN,
      outOfScopeN: result.outOfScopeN,
      results: result.results.map((r) => ({
        budget: r.budget,
        accuracy: meanSd(r.draws.map((x) => x.accuracy)),
        macroF1: meanSd(r.draws.map((x) => x.macroF1)),
        acceptedAccuracy: meanSd(r.draws.map((x) => x.acceptedAccuracy)),
        outOfScopeRecall: hasOos ? meanSd(r.draws.map((x) => x.outOfScopeRecall ?? 0)) : null,
        threshold: meanSd(r.draws.map((x) => x.threshold)),
        draws: r.draws,
      })),
    },
    tables: [{ columns, rows }],
    reference: INTENT_REFERENCES[result.set] ?? [],
    notes: [
      `${result.intents} intents; ${result.testN} in-scope test utterances${context.limit ? ` (a fixed-seed sample, --limit ${context.limit})` : ''}${hasOos ? `, ${result.outOfScopeN} out-of-scope` : ''}.`,
      "Accuracy and macro-F1: the top intent, closed-set. The out-of-scope cut on the top probability is chosen by cross-validation inside each draw's training labels (held-out intents stand in for out-of-scope); no test utterance is seen.",
      'Draws: seeds 1000, 1001, ...; "N in total" spreads N labels round-robin over the intents, "N at random" draws them uniformly from the train split (each intent keeps its share of the traffic). "of full-data accuracy" = mean accuracy / the same classifier\'s accuracy on the whole train split.',
      (result.fixedC !== null
        ? `Softmax regression (C = ${result.fixedC} fixed, L-BFGS)`
        : `Softmax regression (C chosen from ${DEFAULT_C_CANDIDATES.join(', ')} by 3-fold cross-validation inside each draw's labels, L-BFGS)`) +
        ' over character/word n-gram TF-IDF' +
        (result.embeddingWeight !== null
          ? ` + the frozen sentence embedding, weight ${result.embeddingWeight} against the unit-length TF-IDF row.`
          : ' only (lexical mode).'),
      result.intentNames
        ? 'Each intent\'s name, as words ("card_arrival" → "card arrival"), trained as one more example, as the product does with an intent\'s name and description; "examples" counts the labelled ones only.'
        : "Labelled examples only (--no-intent-names): the intents' names were not trained on.",
      ...(result.trafficQuestions
        ? [
            `Traffic (--traffic ${result.trafficQuestions}): each draw's classifier weighed its intents by the mix it estimated from ${result.trafficQuestions} unlabelled train utterances outside its labels (a fixed-seed sample standing in for a KB's logged questions), where that mix is clearly unlike the labels' (IntentClassifier.adaptToTraffic); the full-data run has none left and stays as trained.`,
            result.selfTraining
              ? "Self-training: where the traffic's mix was close to the labels' (the traffic mix not applied), each draw's classifier trained again on its labels plus the traffic utterances it accepted (above its cut), labelled with the intent it gave them, keeping its C, the cut chosen again by cross-validation (learnFromTraffic), as the product does with a KB's logged questions; \"traffic estimate s\" includes that retraining."
              : 'No self-training (--no-self-training): the traffic only weighed the intents.',
          ]
        : []),
    ],
    command: context.command,
    revision: context.revision,
    date: new Date().toISOString(),
    machine: describeMachine(),
  };
}
