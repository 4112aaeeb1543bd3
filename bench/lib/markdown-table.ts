/**
 * Renders benchmark rows as a GitHub Markdown table, the format docs/benchmarks.md embeds;
 * numbers are formatted by the caller so each column keeps its own precision.
 */

export type TableCell = string | number | undefined | null;

/** A Markdown table; undefined/null cells print as "-", pipes inside cells are escaped. */
export function markdownTable(headers: readonly string[], rows: readonly TableCell[][]): string {
  if (headers.length === 0) throw new RangeError('a table needs at least one column');
  rows.forEach((row, i) => {
    if (row.length !== headers.length) {
      throw new RangeError(`row ${i} has ${row.length} cells, the table has ${headers.length} columns`);
    }
  });
  const cell = (value: TableCell) =>
    value === undefined || value === null ? '-' : String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: readonly TableCell[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** Fixed decimals, or "-" when the value is missing. */
export function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}
