/**
 * The record every eval run produces: what was measured, on which data, in which mode with which
 * models, the numbers, the published references for the same set, and how to reproduce it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ReferenceScore } from '../datasets/dataset-catalog';

export type EvalTask =
  | 'retrieval'
  | 'reader'
  | 'end-to-end'
  | 'similarity'
  | 'pair-classification'
  | 'cache'
  | 'long-context'
  | 'int8'
  | 'thresholds'
  | 'shop'
  | 'faq-set'
  | 'intent';

export interface ModelUsed {
  id: string;
  quantized: boolean;
  role?: string;
}

/** A rendered result table: the Markdown view of the metrics. */
export interface ResultTable {
  title?: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface EvalRecord {
  task: EvalTask;
  dataset: string;
  split: string;
  /** Questions / pairs / queries scored. */
  n: number;
  mode: 'lexical' | 'neural';
  models: ModelUsed[] | 'none (lexical)';
  metrics: Record<string, unknown>;
  tables: ResultTable[];
  reference: ReferenceScore[];
  /** Limits and caveats a reader of the numbers must know. */
  notes: string[];
  command: string;
  /** The source revision the numbers came from (git commit, '+dirty' when uncommitted changes existed). */
  revision?: string;
  date: string;
  machine: string;
}

/**
 * The widest vector extension a CPU with these /proc/cpuinfo flags offers for INT8 inference (amx,
 * avx512-vnni, avx512, avx2). onnxruntime picks its INT8 kernels by it and their rounding differs, so an
 * INT8 model's scores (and the thresholds calibrated on them) differ between CPUs that differ here:
 * records say which one produced them.
 */
export function vectorExtensionOf(flags: readonly string[]): string {
  if (flags.includes('amx_int8')) return 'amx';
  if (flags.includes('avx512_vnni')) return 'avx512-vnni';
  if (flags.includes('avx512f')) return 'avx512';
  return flags.includes('avx2') ? 'avx2' : 'no avx2';
}

/** This machine's vectorExtensionOf, or undefined where /proc/cpuinfo cannot be read. */
export function cpuVectorExtension(): string | undefined {
  try {
    const flags = /^flags\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(/\s+/);
    return flags ? vectorExtensionOf(flags) : undefined;
  } catch {
    return undefined;
  }
}

/** One line describing the machine the numbers came from. */
export function describeMachine(): string {
  const cpu = cpus();
  const extension = cpuVectorExtension();
  const model = `${cpu[0]?.model.trim() ?? 'unknown CPU'}${extension ? ` (${extension})` : ''}`;
  return `${model} x${cpu.length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

/** Numbers rounded for display: fractions 0..1 shown x100 with 2 decimals are the caller's choice. */
function cell(value: string | number): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return value.replace(/\|/g, '\\|');
}

export function renderTable(table: ResultTable): string {
  const lines = [`| ${table.columns.join(' | ')} |`, `|${table.columns.map(() => '---').join('|')}|`];
  for (const row of table.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** The Markdown section for one record: heading, provenance, result table, references, notes. */
export function renderRecordMarkdown(record: EvalRecord): string {
  const models =
    record.models === 'none (lexical)'
      ? 'none (lexical)'
      : record.models
          .map((m) => `${m.id}${m.quantized ? ' (int8)' : ''}${m.role ? ` [${m.role}]` : ''}`)
          .join(', ');
  const parts = [
    `### ${record.task} · ${record.dataset} (${record.split}) · ${record.mode}`,
    '',
    `n = ${record.n} · models: ${models} · ${record.date.slice(0, 10)}${record.revision ? ` · rev ${record.revision}` : ''} · ${record.machine}`,
    '',
    '`' + record.command + '`',
  ];
  for (const table of record.tables)
    parts.push('', ...(table.title ? [`${table.title}:`, ''] : []), renderTable(table));
  if (record.reference.length > 0) {
    parts.push('', 'Published reference scores for this set:', '');
    parts.push(
      renderTable({
        columns: ['model', 'metric', 'value', 'source'],
        rows: record.reference.map((r) => [
          r.model,
          r.metric,
          r.value,
          r.source + (r.note ? ` (${r.note})` : ''),
        ]),
      }),
    );
  }
  if (record.notes.length > 0) parts.push('', ...record.notes.map((n) => `- ${n}`));
  return parts.join('\n');
}

/** One line per record: its first result table flattened to "column value" pairs, for an overview table. */
export function renderSummaryTable(records: readonly EvalRecord[]): string {
  return renderTable({
    columns: ['task', 'dataset', 'mode', 'n', 'result'],
    rows: records.map((r) => [
      r.task,
      r.dataset,
      r.mode,
      r.n,
      (r.tables[0]?.rows ?? [])
        // a leading text cell names the row; numbers always carry their column name
        .map((row) =>
          row
            .map((v, i) =>
              i === 0 && typeof v === 'string' ? cell(v) : `${r.tables[0].columns[i]} ${cell(v)}`,
            )
            .join(', '),
        )
        .join('; '),
    ]),
  });
}

/** Writes bench/results-style `eval-<task>-<dataset>.json` into `dir`; returns the path. */
export function writeEvalRecord(dir: string, record: EvalRecord): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `eval-${record.task}-${record.dataset}.json`);
  writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
  return path;
}
