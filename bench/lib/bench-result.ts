/**
 * Writes a bench's outcome to bench/results/<name>.json: the rows, the Markdown table, the
 * machine it ran on (load average before and after) and the exact command that produced it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { describeMachine, machineInfo, type MachineInfo } from './machine-info';

export interface BenchResult<Row> {
  bench: string;
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  /** /proc/loadavg when the bench finished; other work on the machine shows here. */
  loadAverageAtEnd: [number, number, number];
  settings: Record<string, unknown>;
  rows: Row[];
  table: string;
  notes: string[];
}

/** The command line as a user would retype it, paths relative to the working directory. */
export function benchCommand(argv: readonly string[] = process.argv): string {
  const [, script, ...rest] = argv;
  return ['node', relative(process.cwd(), script) || script, ...rest].join(' ');
}

export async function writeBenchResult<Row>(
  path: string,
  result: Omit<BenchResult<Row>, 'finishedAt' | 'loadAverageAtEnd'>,
): Promise<BenchResult<Row>> {
  const full: BenchResult<Row> = {
    ...result,
    finishedAt: new Date().toISOString(),
    loadAverageAtEnd: machineInfo().loadAverage,
  };
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/** The console summary of a written result: what ran where, the table, the notes, the load at the end. */
export function printBenchResult<Row>(title: string, result: BenchResult<Row>, path: string): void {
  console.log(`${title} on ${describeMachine(result.machine)}\n`);
  console.log(result.table);
  console.log(`\n${result.notes.map((n) => `- ${n}`).join('\n')}`);
  console.log(`\nload average at end: ${result.loadAverageAtEnd.join(' ')}; written to ${path}`);
}
