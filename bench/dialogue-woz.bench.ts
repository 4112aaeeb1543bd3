/**
 * The follow-up rewriter (libs/dialogue) on the public multi-turn sets CrossWOZ (zh) and MultiWOZ
 * (en): pairs of consecutive user turns chosen from their dialog-act annotations (libs/eval
 * woz-followups.ts), the second an elliptical question about the entity the first named. Each pair
 * is fed to the real FollowUpRewriter with the topic the first turn leaves (as DialoguePolicy builds
 * it: the first turn's words that its answer — here the system's reply — shares). Reports how many
 * follow-ups were rewritten (recall) and how many rewrites carried the annotated entity (precision),
 * and how often a turn that switches to another domain was rewritten anyway. No retrieval: these are
 * task-oriented sets, not FAQ sets, so there is no KB to answer from. Not a timing bench.
 * Run: npm run build && node dist/bench/dialogue-woz.bench.js [crosswoz|multiwoz ...] [--limit N]
 *      [--seed S] [--examples] [--datasets-dir DIR] [--out FILE]
 */
import { FollowUpRewriter, type SessionTopic } from '@wendao/dialogue';
import { loadWozPairs, resolveDatasetsDir, sampleInOrder, type WozPair, type WozSet } from '@wendao/eval';
import { TextAnalyzer } from '@wendao/retriever';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';

const DEFAULT_OUT = 'bench/results/dialogue-woz.json';
const DEFAULT_LIMIT = 200;
const DEFAULT_SEED = 13;

export interface WozRow {
  set: WozSet;
  language: 'zh' | 'en';
  /** Follow-up pairs the annotation rule found / evaluated (the fixed-seed sample). */
  followUpsFound: number;
  followUps: number;
  /** Topics (from the first turn) that hold a term of the entity at all: what a rewrite can carry. */
  topicHasEntity: number;
  rewritten: number;
  /** Rewrites that added a term of the annotated entity the follow-up did not have. */
  carriedEntity: number;
  switchesFound: number;
  switches: number;
  /** Domain switches rewritten with the old topic anyway (wrong). */
  switchesRewritten: number;
  reasons: Record<string, number>;
  examples: Array<{
    id: string;
    kind: WozPair['kind'];
    previous: string;
    followUp: string;
    entity: string;
    asked: string;
    carried: boolean;
  }>;
}

const analyzer = new TextAnalyzer();
const rewriter = new FollowUpRewriter(analyzer);
const HAN = /\p{Script=Han}/u;

/** The entity's words (the analyzer's terms, no bigram/character terms). */
function entityTerms(entity: string): string[] {
  return analyzer.analyze(entity).filter((t) => !t.startsWith('b:') && !t.startsWith('c:'));
}

/** Does `text` hold the term (CJK: as a substring, as the rewriter matches a topic; else as a stemmed term)? */
function holds(text: string, term: string): boolean {
  if (HAN.test(term)) return analyzer.normalize(text).includes(term);
  return analyzer.analyze(text).includes(term);
}

/** The topic DialoguePolicy would keep after the first turn, the system's reply standing for the FAQ entry. */
export function topicOf(pair: WozPair): SessionTopic {
  let terms = rewriter.keyTerms(pair.previous, [pair.reply]);
  if (terms.keyTerms.length === 0) terms = rewriter.keyTerms(pair.previous, [pair.previous]);
  return { faqId: 'previous', faqQuestion: pair.previous, question: pair.previous, ...terms };
}

export function evaluateWoz(
  set: WozSet,
  pairs: WozPair[],
  limit: number,
  seed: number,
  keepExamples: number,
): WozRow {
  const allFollowUps = pairs.filter((p) => p.kind === 'follow_up');
  const allSwitches = pairs.filter((p) => p.kind === 'switch');
  const followUps = sampleInOrder(allFollowUps, limit, seed);
  const switches = sampleInOrder(allSwitches, limit, seed);
  const row: WozRow = {
    set,
    language: set === 'crosswoz' ? 'zh' : 'en',
    followUpsFound: allFollowUps.length,
    followUps: followUps.length,
    topicHasEntity: 0,
    rewritten: 0,
    carriedEntity: 0,
    switchesFound: allSwitches.length,
    switches: switches.length,
    switchesRewritten: 0,
    reasons: {},
    examples: [],
  };
  for (const pair of followUps) {
    const topic = topicOf(pair);
    const terms = entityTerms(pair.entity);
    if (terms.some((t) => topic.keyTerms.some((k) => k === t || k.includes(t) || t.includes(k))))
      row.topicHasEntity++;
    // No vocabulary: there is no KB whose entries could name another subject.
    const result = rewriter.rewrite(pair.followUp, topic);
    row.reasons[result.reason] = (row.reasons[result.reason] ?? 0) + 1;
    if (!result.rewritten) continue;
    row.rewritten++;
    const carried = terms.some((t) => holds(result.question, t) && !holds(pair.followUp, t));
    if (carried) row.carriedEntity++;
    if (row.examples.length < keepExamples)
      row.examples.push({
        id: pair.id,
        kind: pair.kind,
        previous: pair.previous,
        followUp: pair.followUp,
        entity: pair.entity,
        asked: result.question,
        carried,
      });
  }
  for (const pair of switches) {
    const result = rewriter.rewrite(pair.followUp, topicOf(pair));
    if (!result.rewritten) continue;
    row.switchesRewritten++;
    if (row.examples.length < keepExamples * 2)
      row.examples.push({
        id: pair.id,
        kind: pair.kind,
        previous: pair.previous,
        followUp: pair.followUp,
        entity: pair.entity,
        asked: result.question,
        carried: false,
      });
  }
  return row;
}

interface Args {
  sets: WozSet[];
  limit: number;
  seed: number;
  examples: boolean;
  datasetsDir?: string;
  out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    sets: [],
    limit: DEFAULT_LIMIT,
    seed: DEFAULT_SEED,
    examples: false,
    out: DEFAULT_OUT,
  };
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (!v || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const count = (v: string, flag: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive whole number, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--limit') args.limit = count(value(++i, a), a);
    else if (a === '--seed') args.seed = count(value(++i, a), a);
    else if (a === '--out') args.out = value(++i, a);
    else if (a === '--datasets-dir') args.datasetsDir = value(++i, a);
    else if (a === '--examples') args.examples = true;
    else if (a === 'crosswoz' || a === 'multiwoz') args.sets.push(a);
    else
      throw new Error(
        `unknown argument ${a} (known: crosswoz, multiwoz, --limit N, --seed S, --examples, --datasets-dir DIR, --out FILE)`,
      );
  }
  if (args.sets.length === 0) args.sets = ['crosswoz', 'multiwoz'];
  return args;
}

const pct = (n: number, d: number) => (d ? fixed((100 * n) / d, 1) : '–');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const datasetsDir = resolveDatasetsDir(process.cwd(), args.datasetsDir);
  const rows: WozRow[] = [];
  for (const set of args.sets)
    rows.push(evaluateWoz(set, await loadWozPairs(datasetsDir, set), args.limit, args.seed, 8));
  const table = markdownTable(
    [
      'set',
      'follow-ups (found)',
      'rewritten (recall %)',
      'carried the entity (precision %)',
      'topic held the entity',
      'domain switches (found)',
      'switches rewritten %',
    ],
    rows.map((r) => [
      `${r.set} (${r.language})`,
      `${r.followUps} (${r.followUpsFound})`,
      `${r.rewritten} (${pct(r.rewritten, r.followUps)})`,
      `${r.carriedEntity} (${pct(r.carriedEntity, r.rewritten)})`,
      `${r.topicHasEntity} (${pct(r.topicHasEntity, r.followUps)} %)`,
      `${r.switches} (${r.switchesFound})`,
      `${r.switchesRewritten} (${pct(r.switchesRewritten, r.switches)})`,
    ]),
  );
  const result = await writeBenchResult(args.out, {
    bench: 'dialogue-woz',
    command: benchCommand(),
    startedAt,
    machine: machineInfo(),
    settings: {
      limit: args.limit,
      seed: args.seed,
      topic:
        "first user turn's key terms shared with the system reply (FollowUpRewriter.keyTerms), its own content words when none",
      vocabulary: 'none (no KB)',
      retrieval: 'none',
    },
    rows,
    table,
    notes: [
      'pairs: consecutive user turns; follow-up = second turn requests about the same annotated domain without naming the entity the first named; switch = second turn requests about one other domain',
      'recall = follow-ups rewritten / follow-ups; precision = rewrites that added a term of the annotated entity / rewrites',
      'no retrieval: CrossWOZ and MultiWOZ are task-oriented (slot filling over a database), not FAQ sets',
    ],
  });
  if (args.examples)
    for (const row of rows) {
      console.log(`\n${row.set}: reasons ${JSON.stringify(row.reasons)}`);
      for (const e of row.examples)
        console.log(
          `  ${e.kind} ${e.id} [${e.entity}]${e.carried ? ' carried' : ''}\n    ${e.previous}\n    ${e.followUp}\n    -> ${e.asked}`,
        );
    }
  printBenchResult('Follow-up rewriting on CrossWOZ / MultiWOZ', result, args.out);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
