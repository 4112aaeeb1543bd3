/**
 * The EvalRecord around one EvalSuite measurement: dataset, mode and models, the sample cap, the
 * command and revision that reproduce it, and the machine it ran on.
 */
import type { CatalogEntry } from '../datasets/dataset-catalog';
import { describeMachine, type EvalRecord, type EvalTask, type ModelUsed } from '../report/eval-record';

/** What a task contributes to its record: numbers, tables, caveats, and how its sample was drawn. */
export type SuiteRecordBody = Pick<EvalRecord, 'metrics' | 'tables'> & {
  notes?: string[];
  /** Replaces the catalog's split description. */
  split?: string;
  /** The task's own sample size when no --limit is given. */
  defaultCap?: number;
};

export interface SuiteRun {
  limit?: number;
  command: string;
  revision?: string;
}

const LEXICAL_NOTE =
  'Lexical mode: no model in --models-dir for this task, so these are the no-model floor (BM25 / typed-span reader / TF-IDF), not neural numbers.';

export function suiteRecord(
  run: SuiteRun,
  task: EvalTask,
  entry: CatalogEntry,
  n: number,
  used: ModelUsed[],
  body: SuiteRecordBody,
): EvalRecord {
  const neural = used.length > 0;
  const notes = [...(body.notes ?? [])];
  if (!neural) notes.unshift(LEXICAL_NOTE);
  if (run.limit !== undefined) notes.push(`Capped with --limit ${run.limit} (fixed-seed sample).`);
  else if (body.defaultCap !== undefined)
    notes.push(
      `A fixed-seed sample of at most ${body.defaultCap} (this eval's default; --limit changes it).`,
    );
  return {
    task,
    dataset: entry.name,
    split: body.split ?? entry.split,
    n,
    mode: neural ? 'neural' : 'lexical',
    models: neural ? used : 'none (lexical)',
    metrics: body.metrics,
    tables: body.tables,
    reference: entry.references,
    notes,
    command: run.command,
    revision: run.revision,
    date: new Date().toISOString(),
    machine: describeMachine(),
  };
}
