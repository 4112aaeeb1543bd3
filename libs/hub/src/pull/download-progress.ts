/**
 * Download progress for humans: a live bar on a terminal, a few plain lines in logs and CI
 * (a redrawn bar would fill a log file with carriage returns), or those lines handed to a logger
 * (JSON logs: a log shipper reading the command's output sees JSON entries only).
 */
import { SingleBar } from 'cli-progress';

export interface DownloadProgress {
  /** `total` is undefined when the server did not say how big the file is. */
  start(file: string, total: number | undefined, alreadyHave: number): void;
  advance(bytes: number): void;
  finish(): void;
}

export type DownloadProgressFactory = () => DownloadProgress;

export function createDownloadProgress(stream: NodeJS.WriteStream = process.stderr): DownloadProgressFactory {
  return stream.isTTY
    ? () => new TerminalProgress(stream)
    : () => new LineProgress((line) => stream.write(`${line}\n`));
}

/** The same few lines as in a pipe, each one handed to `log` (one log entry each). */
export function createLoggedDownloadProgress(log: (line: string) => void): DownloadProgressFactory {
  return () => new LineProgress((line) => log(line.trim()));
}

class TerminalProgress implements DownloadProgress {
  private bar?: SingleBar;
  private done = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(file: string, total: number | undefined, alreadyHave: number): void {
    this.done = alreadyHave;
    this.bar = new SingleBar({
      stream: this.stream,
      format: `${file} [{bar}] {percentage}% {value_mb}/{total_mb} MB`,
      hideCursor: true,
      clearOnComplete: false,
    });
    this.bar.start(total ?? 0, alreadyHave, { value_mb: mb(alreadyHave), total_mb: total ? mb(total) : '?' });
  }

  advance(bytes: number): void {
    this.done += bytes;
    this.bar?.update(this.done, { value_mb: mb(this.done) });
  }

  finish(): void {
    this.bar?.stop();
  }
}

class LineProgress implements DownloadProgress {
  private file = '';
  private total: number | undefined;
  private done = 0;
  private nextReport = 0;

  constructor(private readonly write: (line: string) => void) {}

  start(file: string, total: number | undefined, alreadyHave: number): void {
    this.file = file;
    this.total = total;
    this.done = alreadyHave;
    const resumed = alreadyHave > 0 ? `, resuming at ${mb(alreadyHave)} MB` : '';
    this.write(`downloading ${file} (${total === undefined ? 'size unknown' : `${mb(total)} MB`}${resumed})`);
    this.nextReport = total ? alreadyHave + total / 4 : Infinity;
  }

  advance(bytes: number): void {
    this.done += bytes;
    if (this.total && this.done >= this.nextReport && this.done < this.total) {
      this.write(`  ${this.file}: ${Math.floor((100 * this.done) / this.total)}%`);
      this.nextReport += this.total / 4;
    }
  }

  finish(): void {
    this.write(`  ${this.file}: done, ${mb(this.done)} MB`);
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
