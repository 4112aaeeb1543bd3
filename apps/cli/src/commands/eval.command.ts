/**
 * `wendao eval ...`: answer-quality measurement on the public datasets in ../shared/datasets.
 * Each run writes bench/results/eval-<task>-<dataset>.json and prints its Markdown table; `eval report`
 * renders every stored record (the source of docs/evaluation.md).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AnswerPipeline, type AnswerLanguage, type AnswerThresholds } from '@wendao/answer';
import {
  EvalSuite,
  PAIR_DATASETS,
  READER_DATASETS,
  RETRIEVAL_DATASETS,
  STS_DATASETS,
  tuneThresholds,
  evaluateShop,
  evaluateFaqSet,
  faqSetRecord,
  FAQ_SETS,
  loadFaqSet,
  INTENT_SETS,
  loadIntentEvalSet,
  evaluateIntentSet,
  intentRecord,
  type IntentBudget,
  listShopSets,
  loadEvalModels,
  loadShopSet,
  withoutAlternates,
  withTypos,
  shopRecord,
  renderRecordMarkdown,
  renderSummaryTable,
  resolveDatasetsDir,
  writeEvalRecord,
  type EvalModelOptions,
  type EvalRecord,
  type RecordContext,
} from '@wendao/eval';
import type { CliConfig } from '../cli-config';
import { progressLine } from './progress-line';

export interface EvalCommandOptions {
  datasetsDir?: string;
  modelsDir?: string;
  lexical?: boolean;
  embedder?: string;
  reader?: string;
  reranker?: string;
  fp32?: boolean;
  limit?: string;
  out: string;
  quiet?: boolean;
}

/** The repository root: the nearest folder above this file with the project's package.json. */
function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'wendao')
      return dir;
  }
  return process.cwd();
}

/** `git rev-parse --short HEAD` (+dirty), or undefined outside a git checkout. */
function sourceRevision(root: string): string | undefined {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return (
      git('rev-parse', '--short', 'HEAD') +
      (git('status', '--porcelain', '--untracked-files=no') ? '+dirty' : '')
    );
  } catch {
    return undefined;
  }
}

function parsePositive(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${option} must be a positive integer, got "${value}"`);
  return n;
}

/** "5,10,20" -> [5, 10, 20]; an empty string is no values. */
function parseList(option: string, value: string): number[] {
  return value.trim() === '' ? [] : value.split(',').map((v) => parsePositive(option, v.trim()));
}

function parseLimit(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parsePositive('--limit', value);
}

/**
 * The models an eval runs with: flags first, then the CLI config (WENDAO_MODELS_DIR, ...). A models
 * folder only defaulted to ./models and not there means lexical mode, not an error.
 */
function evalModelOptions(opts: EvalCommandOptions, config: CliConfig): EvalModelOptions {
  const modelsDir =
    opts.modelsDir ?? (config.modelsDirSet || existsSync(config.modelsDir) ? config.modelsDir : undefined);
  return {
    modelsDir: modelsDir ? resolve(modelsDir) : undefined,
    lexical: opts.lexical,
    embedder: opts.embedder,
    reader: opts.reader,
    reranker: opts.reranker,
    preferInt8: opts.fp32 ? false : config.preferInt8,
    threads: config.onnxThreads || undefined,
  };
}

/** Builds the suite from the options and the CLI config. */
export function createEvalSuite(opts: EvalCommandOptions, command: string, config: CliConfig): EvalSuite {
  let lastShown = -1;
  const root = repoRoot();
  const progress = progressLine(config.logging, 'Eval');
  return new EvalSuite({
    ...evalModelOptions(opts, config),
    datasetsDir: resolveDatasetsDir(root, opts.datasetsDir ?? config.datasetsDir),
    revision: sourceRevision(root),
    limit: parseLimit(opts.limit),
    command,
    onProgress: opts.quiet
      ? undefined
      : (label, done, total) => {
          const tenth = Math.floor((10 * done) / total);
          if (tenth === lastShown && done !== total) return;
          lastShown = done === total ? -1 : tenth;
          progress(`${label}: ${done}/${total}`);
        },
  });
}

/** Writes the record and prints its Markdown section. */
export function emitRecord(record: EvalRecord, outDir: string): string {
  const path = writeEvalRecord(resolve(outDir), record);
  console.log(renderRecordMarkdown(record) + `\n\n(written to ${path})\n`);
  return path;
}

/** The Markdown of every eval-*.json in `dir`, grouped by task in a fixed order. */
export function renderResultsReport(dir: string): string {
  if (!existsSync(dir)) throw new Error(`no results folder ${dir}`);
  const order = [
    'retrieval',
    'pair-classification',
    'similarity',
    'reader',
    'end-to-end',
    'long-context',
    'cache',
    'int8',
    'thresholds',
    'shop',
    'faq-set',
    'intent',
  ];
  const records = readdirSync(dir)
    .filter((f) => /^eval-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as EvalRecord)
    .sort((a, b) => order.indexOf(a.task) - order.indexOf(b.task) || a.dataset.localeCompare(b.dataset));
  if (records.length === 0) throw new Error(`no eval-*.json records in ${dir}`);
  return [renderSummaryTable(records), ...records.map(renderRecordMarkdown)].join('\n\n');
}

function parsePositiveNumber(option: string, value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${option} must be a positive number, got "${value}"`);
  return n;
}

/**
 * `--thresholds faq=0.33,margin=0.05[,answer=0.7][,clarify=0.3]`: thresholds to ask with instead of
 * calibrating (clarify defaults to faq, answer to the calibrated mode default's 0.7 for English sets).
 */
export function parseThresholds(value: string): AnswerThresholds {
  const given: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [key, raw] = part.split('=').map((s) => s.trim());
    const n = Number(raw);
    if (!['faq', 'margin', 'answer', 'clarify'].includes(key) || raw === undefined || !(n >= 0 && n <= 1))
      throw new Error(`--thresholds takes faq=, margin=, answer=, clarify= values in [0, 1], got "${part}"`);
    given[key] = n;
  }
  if (given.faq === undefined || given.margin === undefined)
    throw new Error(`--thresholds needs at least faq= and margin=, got "${value}"`);
  return {
    faq: given.faq,
    margin: given.margin,
    answer: given.answer ?? 0.7,
    clarify: given.clarify ?? given.faq,
  };
}

function parseTargetPrecision(value: string): number {
  const p = Number(value);
  if (!(p > 0 && p < 1)) throw new Error(`--target-precision must be in (0, 1), got "${value}"`);
  return p;
}

/**
 * Loads the models the options name, runs `run` with an answer pipeline over them, closes them.
 * `context(language)` is what a record of a set in that language says about the models that ran.
 */
async function withPipeline(
  opts: EvalCommandOptions,
  config: CliConfig,
  run: (pipeline: AnswerPipeline, context: (language: AnswerLanguage) => RecordContext) => Promise<void>,
): Promise<void> {
  const models = await loadEvalModels(evalModelOptions(opts, config), { embedder: true, reader: true });
  try {
    const revision = sourceRevision(repoRoot());
    await run(new AnswerPipeline({ embedder: models.embedders, reader: models.readers }), (language) => {
      const used = models.usedFor(language);
      return {
        mode: used.length ? 'neural' : 'lexical',
        models: used.length ? used : 'none (lexical)',
        command: commandLine(),
        revision,
      };
    });
  } finally {
    await models.close();
  }
}

function commandLine(): string {
  return ['wendao', ...process.argv.slice(2)].join(' ');
}

function common(cmd: Command): Command {
  return cmd
    .option(
      '--datasets-dir <dir>',
      'evaluation data (default: $WENDAO_DATASETS_DIR or ../shared/datasets beside the repo)',
    )
    .option(
      '--models-dir <dir>',
      'model folders (default: $WENDAO_MODELS_DIR or ./models); none means lexical mode',
    )
    .option('--lexical', 'ignore models and measure the lexical mode')
    .option('--embedder <id>', 'embedder model id in the models folder (default: the first embedder)')
    .option('--reader <id>', 'extractive QA model id in the models folder (default: the first QA model)')
    .option(
      '--reranker <id>',
      'cross-encoder (sequence-classification) model id for hybrid + rerank (default: the first)',
    )
    .option('--fp32', 'use fp32 graphs even where an int8 export exists')
    .option('--limit <n>', 'score a fixed-seed sample of at most n queries/questions/pairs')
    .option('--out <dir>', 'where eval-<task>-<dataset>.json is written', 'bench/results')
    .option('--quiet', 'no progress lines (on stderr, or log entries with WENDAO_LOG_FORMAT=json)');
}

function names(
  given: string[],
  table: Record<string, unknown>,
  fallback: string[] = Object.keys(table),
): string[] {
  return given.length ? given : fallback;
}

type Runner = (
  suite: EvalSuite,
  dataset: string,
  opts: EvalCommandOptions & Record<string, string>,
) => Promise<EvalRecord>;

function register(
  parent: Command,
  config: CliConfig,
  name: string,
  description: string,
  table: Record<string, unknown>,
  run: Runner,
  extra: (cmd: Command) => Command = (c) => c,
): void {
  extra(
    common(
      parent
        .command(`${name} [datasets...]`)
        .description(`${description} (datasets: ${Object.keys(table).join(', ')}; default all)`),
    ),
  ).action(async (datasets: string[], opts: EvalCommandOptions) => {
    const suite = createEvalSuite(opts, commandLine(), config);
    for (const dataset of names(datasets, table))
      emitRecord(await run(suite, dataset, opts as EvalCommandOptions & Record<string, string>), opts.out);
  });
}

export function registerEvalCommand(program: Command, config: CliConfig): void {
  const evalCmd = program
    .command('eval')
    .description('measure answer quality on the public datasets (see docs/evaluation.md)');

  register(
    evalCmd,
    config,
    'retrieval',
    'Recall@1/5/10 and MRR: BM25, vector, hybrid, hybrid + rerank',
    RETRIEVAL_DATASETS,
    (s, d, opts) =>
      s.retrieval(d, opts.shots === undefined ? undefined : parsePositive('--shots', opts.shots)),
    (c) =>
      c.option('--shots <n>', 'intent sets: keep only n training utterances per intent (the N-shot setting)'),
  );
  register(
    evalCmd,
    config,
    'reader',
    'reader EM/F1 with the official normalisations, and throughput',
    READER_DATASETS,
    (s, d, opts) => s.reader(d, opts.predictions && resolve(opts.predictions.replace('{dataset}', d))),
    (c) =>
      c.option(
        '--predictions <file>',
        'also write {id: answer} for the official scoring scripts ("{dataset}" in the name is replaced)',
      ),
  );
  register(
    evalCmd,
    config,
    'e2e',
    "retrieve + read over a KB of the set's paragraphs: answer rate, accuracy, precision/coverage curve",
    READER_DATASETS,
    (s, d, opts) => s.endToEnd(d, Number(opts.threshold)),
    (c) => c.option('--threshold <t>', 'answer threshold the summary is reported at', '0.3'),
  );
  register(
    evalCmd,
    config,
    'similarity',
    'STS-B Spearman of the embedder (TF-IDF cosine in lexical mode)',
    STS_DATASETS,
    (s, d) => s.similarity(d),
  );
  register(
    evalCmd,
    config,
    'pairs',
    'paraphrase-pair accuracy at a tuned similarity threshold',
    PAIR_DATASETS,
    (s, d) => s.pairs(d),
  );
  register(
    evalCmd,
    config,
    'long-context',
    'reader on contexts over 512 tokens: sliding windows vs truncation',
    READER_DATASETS,
    (s, d) => s.longContext(d),
  );

  common(
    evalCmd
      .command('cache [dataset]')
      .description(
        'answer cache on a replayed Zipf query log: hit rate and latency with and without the cache',
      ),
  )
    .option('--log-length <n>', 'questions in the replayed log', '5000')
    .option('--cache-size <n>', 'LRU entries', '1000')
    .action(
      async (
        dataset: string | undefined,
        opts: EvalCommandOptions & { logLength: string; cacheSize: string },
      ) => {
        const suite = createEvalSuite(opts, commandLine(), config);
        emitRecord(
          await suite.cache(dataset ?? 'stackfaq', Number(opts.logLength), Number(opts.cacheSize)),
          opts.out,
        );
      },
    );

  common(
    evalCmd
      .command('int8 <model-dir>')
      .description('INT8 vs FP32 of one model: size, speed, agreement and task quality side by side'),
  )
    .option('--int8 <dir>', 'take the int8 graph from this folder instead of <model-dir>')
    .option('--dataset <name>', 'squad/cmrc2018/drcd for a reader, stsb-en/stsb-zh for an embedder')
    .action(async (modelDir: string, opts: EvalCommandOptions & { int8?: string; dataset?: string }) => {
      const suite = createEvalSuite(opts, commandLine(), config);
      emitRecord(
        await suite.int8(resolve(modelDir), opts.int8 && resolve(opts.int8), opts.dataset),
        opts.out,
      );
    });

  common(evalCmd.command('all').description('every eval on every dataset'))
    .option('--quick', 'cap every run at 200 queries/questions/pairs (overrides --limit)')
    .action(async (opts: EvalCommandOptions & { quick?: boolean }) => {
      const suite = createEvalSuite(
        { ...opts, limit: opts.quick ? '200' : opts.limit },
        commandLine(),
        config,
      );
      const runs: Array<[string, () => Promise<EvalRecord>]> = [
        ...Object.keys(RETRIEVAL_DATASETS).map(
          (d) => [`retrieval ${d}`, () => suite.retrieval(d)] as [string, () => Promise<EvalRecord>],
        ),
        ...Object.keys(PAIR_DATASETS).map(
          (d) => [`pairs ${d}`, () => suite.pairs(d)] as [string, () => Promise<EvalRecord>],
        ),
        ...Object.keys(STS_DATASETS).map(
          (d) => [`similarity ${d}`, () => suite.similarity(d)] as [string, () => Promise<EvalRecord>],
        ),
        ...Object.keys(READER_DATASETS).map(
          (d) => [`reader ${d}`, () => suite.reader(d)] as [string, () => Promise<EvalRecord>],
        ),
        ...Object.keys(READER_DATASETS).map(
          (d) => [`e2e ${d}`, () => suite.endToEnd(d)] as [string, () => Promise<EvalRecord>],
        ),
        ['long-context squad', () => suite.longContext('squad')],
        ['long-context cmrc2018', () => suite.longContext('cmrc2018')],
        ['cache stackfaq', () => suite.cache('stackfaq')],
      ];
      for (const [, run] of runs) emitRecord(await run(), opts.out);
    });

  common(
    evalCmd
      .command('thresholds')
      .description(
        "tune the ask policy's default FAQ and answer thresholds on the dev sets (lexical, or neural with --models-dir)",
      ),
  )
    .option('--floor <p>', 'precision a returned FAQ answer must keep on every FAQ set', '0.9')
    .option('--passages <n>', 'passages read per question (the API default, WENDAO_READER_PASSAGES)', '5')
    .action(async (opts: EvalCommandOptions & { floor: string; passages: string }) => {
      const floor = Number(opts.floor);
      if (!(floor > 0 && floor <= 1)) throw new Error(`--floor must be in (0, 1], got "${opts.floor}"`);
      const root = repoRoot();
      const progress = progressLine(config.logging, 'Eval');
      emitRecord(
        await tuneThresholds({
          ...evalModelOptions(opts, config),
          datasetsDir: resolveDatasetsDir(root, opts.datasetsDir ?? config.datasetsDir),
          limit: parseLimit(opts.limit),
          faqPrecisionFloor: floor,
          readerPassages: parsePositive('--passages', opts.passages),
          command: commandLine(),
          revision: sourceRevision(root),
          onProgress: opts.quiet
            ? undefined
            : (label, done, total) => {
                if (done === total || done % 500 === 0) progress(`${label}: ${done}/${total}`);
              },
        }),
        opts.out,
      );
    });

  common(
    evalCmd
      .command('shop [sets...]')
      .description(
        'ask every customer paraphrase, out-of-scope and span question of the shop sets (libs/eval/data/shop) through the answer pipeline, with thresholds calibrated on each set (default: every set)',
      ),
  )
    .option('--target-precision <p>', 'the KB setting calibration aims for', '0.9')
    .option('--no-alternates', 'drop every alternate phrasing (a KB uploaded as plain question,answer rows)')
    .option(
      '--typos',
      'misspell one word of 5+ letters in each customer paraphrase (one typing error, fixed seed): typo tolerance',
    )
    .option(
      '--thresholds <values>',
      'ask with these instead of calibrating: faq=0.33,margin=0.05[,answer=0.7][,clarify=...] (clarify defaults to faq)',
    )
    .option(
      '--fixed-suggestion-floor',
      'drop the calibrated suggestion floor (neural mode): a fallback suggests entries scoring 0.3 x clarify, the rule before it',
    )
    .action(
      async (
        sets: string[],
        opts: EvalCommandOptions & {
          targetPrecision: string;
          alternates: boolean;
          typos?: boolean;
          thresholds?: string;
          fixedSuggestionFloor?: boolean;
        },
      ) => {
        const targetPrecision = parseTargetPrecision(opts.targetPrecision);
        const thresholds = opts.thresholds === undefined ? undefined : parseThresholds(opts.thresholds);
        await withPipeline(opts, config, async (pipeline, context) => {
          for (const name of sets.length ? sets : listShopSets()) {
            const loaded = opts.alternates ? loadShopSet(name) : withoutAlternates(loadShopSet(name));
            const set = opts.typos ? withTypos(loaded) : loaded;
            const result = await evaluateShop(set, pipeline, {
              targetPrecision,
              thresholds,
              fixedSuggestionFloor: opts.fixedSuggestionFloor,
            });
            const dataset = `${name}${opts.alternates ? '' : '-no-alternates'}${opts.typos ? '-typos' : ''}`;
            emitRecord(shopRecord(result, { dataset, ...context(set.language) }), opts.out);
          }
        });
      },
    );

  common(
    evalCmd
      .command('faq-sets [sets...]')
      .description(
        `ask the queries of public FAQ-style sets through the answer pipeline, each set a KB with thresholds calibrated on it (sets: ${FAQ_SETS.join(', ')}; default all)`,
      ),
  )
    .option('--target-precision <p>', 'the KB setting calibration aims for', '0.9')
    .action(async (sets: string[], opts: EvalCommandOptions & { targetPrecision: string }) => {
      const targetPrecision = parseTargetPrecision(opts.targetPrecision);
      const datasetsDir = resolveDatasetsDir(repoRoot(), opts.datasetsDir ?? config.datasetsDir);
      await withPipeline(opts, config, async (pipeline, context) => {
        for (const name of sets.length ? sets : FAQ_SETS) {
          const loaded = loadFaqSet(datasetsDir, name);
          const result = await evaluateFaqSet(name, loaded, pipeline, {
            targetPrecision,
            limit: parseLimit(opts.limit),
          });
          emitRecord(faqSetRecord(result, context(loaded.set.language)), opts.out);
        }
      });
    });

  common(
    evalCmd
      .command('intent [sets...]')
      .description(
        `few-shot intent recognition (@wendao/intent): accuracy, macro-F1 and out-of-scope recall with N labels per intent and N in total, several fixed-seed draws, next to the full training split (sets: ${INTENT_SETS.join(', ')}; default all)`,
      ),
  )
    .option('--shots <list>', 'labelled utterances per intent, comma-separated', '5,10,20')
    .option('--total <list>', 'labelled utterances in total, spread over the intents, comma-separated', '500')
    .option(
      '--random-total <list>',
      'labelled utterances in total, drawn at random from the train split (intents keep their share), comma-separated',
      '500',
    )
    .option('--draws <n>', 'fixed-seed draws per budget', '5')
    .option('--no-full', 'skip the full-training-data run')
    .option(
      '--dev',
      'score a development split instead of the test split, for choosing settings: a fixed-seed stratified 80 / 20 split of the train split (CLINC150: oos_val as out of scope); the test split is not read',
    )
    .option(
      '--embedding-weight <w>',
      "scale of the sentence embedding against the unit-length TF-IDF row (the classifier's default when absent)",
    )
    .option(
      '--c <c>',
      "a fixed inverse L2 strength C (absent: the classifier chooses C by cross-validation inside each draw's labels)",
    )
    .option('--no-intent-names', "train on the labelled utterances only, not also on each intent's name")
    .option(
      '--traffic <n>',
      "adapt each draw's classifier to the intent mix of n unlabelled train utterances outside its labels, as the product does with a KB's logged questions (0: off)",
      '0',
    )
    .option(
      '--no-self-training',
      'with --traffic: only weigh the intents by the traffic, without training again on the utterances the classifier accepts',
    )
    .action(
      async (
        sets: string[],
        opts: EvalCommandOptions & {
          shots: string;
          total: string;
          randomTotal: string;
          draws: string;
          full: boolean;
          dev?: boolean;
          embeddingWeight?: string;
          c?: string;
          intentNames: boolean;
          traffic: string;
          selfTraining: boolean;
        },
      ) => {
        const budgets: IntentBudget[] = [
          ...parseList('--shots', opts.shots).map((perIntent) => ({ perIntent })),
          ...parseList('--total', opts.total).map((total) => ({ total })),
          ...parseList('--random-total', opts.randomTotal).map((total) => ({ total, random: true })),
          ...(opts.full ? (['full'] as const) : []),
        ];
        if (budgets.length === 0)
          throw new Error('nothing to run: give --shots, --total or keep the full run');
        const draws = parsePositive('--draws', opts.draws);
        const progress = progressLine(config.logging, 'Eval');
        const embeddingWeight =
          opts.embeddingWeight === undefined
            ? undefined
            : parsePositiveNumber('--embedding-weight', opts.embeddingWeight);
        const c = opts.c === undefined ? undefined : parsePositiveNumber('--c', opts.c);
        const limit = parseLimit(opts.limit);
        const trafficQuestions = opts.traffic === '0' ? 0 : parsePositive('--traffic', opts.traffic);
        const datasetsDir = resolveDatasetsDir(repoRoot(), opts.datasetsDir ?? config.datasetsDir);
        const models = await loadEvalModels(evalModelOptions(opts, config), { embedder: true });
        try {
          for (const name of sets.length ? sets : INTENT_SETS) {
            const set = loadIntentEvalSet(datasetsDir, name, opts.dev === true);
            const used = models.usedFor(set.language);
            const context: RecordContext = {
              mode: used.length ? 'neural' : 'lexical',
              models: used.length ? used : 'none (lexical)',
              command: commandLine(),
              revision: sourceRevision(repoRoot()),
            };
            const result = await evaluateIntentSet(set, {
              budgets,
              draws,
              limit,
              embedder: models.embedders[set.language],
              embeddingWeight,
              c,
              intentNames: opts.intentNames,
              trafficQuestions,
              selfTraining: opts.selfTraining,
              onProgress: opts.quiet
                ? undefined
                : (label, done, total) => progress(`${label}: ${done}/${total}`),
            });
            emitRecord(intentRecord(result, { ...context, limit }), opts.out);
          }
        } finally {
          await models.close();
        }
      },
    );

  evalCmd
    .command('report')
    .description('print the Markdown of every stored eval record')
    .option('--out <dir>', 'results folder', 'bench/results')
    .action((opts: { out: string }) => {
      console.log(renderResultsReport(resolve(opts.out)));
    });
}
