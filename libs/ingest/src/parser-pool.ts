/**
 * Runs parsers in worker threads, so a hostile or pathological file can neither block the event
 * loop (pdf.js, exceljs and mammoth are synchronous for long stretches) nor exhaust the server's
 * heap: each task has a time limit (the worker is terminated) and each worker a V8 heap limit
 * (`resourceLimits`; running out ends that worker only). Either becomes a ParserLimitError.
 */
import type { Worker } from 'node:worker_threads';
import { askWorker, startWorker, workerScript, WorkerStoppedError, type WorkerStop } from '@wendao/workers';
import { FileTypeMismatchError, ParseError, UnsupportedFileTypeError } from './ingest-errors';
import type { IngestFailure } from './ingest-failure';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse-file';
import type { ParseResult } from './parse-result';
import type { ParseTask } from './parse-worker';

export interface ParserPoolOptions {
  /** Workers at most (each parses one file at a time). */
  size: number;
  /** A parse running longer is stopped (its worker terminated). */
  timeoutMs: number;
  /** V8 old-generation heap per worker, in MiB. */
  maxHeapMb: number;
  /** The worker script; defaults to parse-worker beside this file (tests pass their own). */
  script?: string;
}

/** A parse stopped by the pool: it ran past its time limit, out of memory, or its worker died. */
export class ParserLimitError extends ParseError {}

type Reply =
  | { ok: true; result: ParseResult }
  | { ok: false; error: { name: string; message: string; failure?: IngestFailure } };

const ERRORS: Record<string, new (failure: IngestFailure, message?: string) => Error> = {
  ParseError,
  ZipLimitError: ParseError,
  FileTypeMismatchError,
  UnsupportedFileTypeError,
};

export class ParserPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private closed = false;
  private readonly live = new Set<Worker>();

  constructor(private readonly options: ParserPoolOptions) {
    if (options.size < 1) throw new Error('ParserPool needs at least one worker');
  }

  async parse(
    buffer: Buffer,
    fileName: string,
    mimeType?: string,
    limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  ): Promise<ParseResult> {
    if (this.closed) throw new Error('parser pool is closed');
    if (this.running >= this.options.size) await new Promise<void>((go) => this.waiting.push(go));
    this.running++;
    try {
      return await this.run(this.idle.pop() ?? (await this.spawn()), { buffer, fileName, mimeType, limits });
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.live].map((w) => w.terminate()));
    this.live.clear();
    this.idle.length = 0;
  }

  /** A new worker, once it has loaded the parsers and said so. */
  private spawn(): Promise<Worker> {
    return startWorker({
      script: this.options.script ?? workerScript(__dirname, 'parse-worker'),
      maxHeapMb: this.options.maxHeapMb,
      name: 'parser worker',
      live: this.live,
    });
  }

  private async run(worker: Worker, task: ParseTask): Promise<ParseResult> {
    const { fileName } = task;
    // A copy goes to the worker: the caller's buffer stays usable.
    const copy = new Uint8Array(task.buffer.byteLength);
    copy.set(task.buffer);
    let reply: Reply;
    try {
      reply = await askWorker<Reply>(
        worker,
        { ...task, buffer: copy },
        { timeoutMs: this.options.timeoutMs, transfer: [copy.buffer] },
      );
    } catch (err) {
      if (err instanceof WorkerStoppedError) throw new ParserLimitError(this.refusal(fileName, err.stop));
      throw err;
    }
    if (!this.closed) this.idle.push(worker);
    else void worker.terminate();
    if (reply.ok) return reply.result;
    const { name, message, failure } = reply.error;
    // Not an ingest error (none is expected): the parser failed in a way it does not describe.
    if (!failure)
      throw new ParseError({ code: 'parser_crashed', values: { file: fileName, detail: message } });
    const Kind = ERRORS[name] ?? ParseError;
    throw new Kind(failure, message);
  }

  private refusal(fileName: string, stop: WorkerStop): IngestFailure {
    switch (stop.reason) {
      case 'out-of-memory':
        return { code: 'parse_out_of_memory', values: { file: fileName, limitMb: this.options.maxHeapMb } };
      case 'crashed':
        return { code: 'parser_crashed', values: { file: fileName, detail: stop.message } };
      case 'exited':
        return { code: 'parser_exited', values: { file: fileName, exitCode: stop.code } };
      case 'timeout':
        return { code: 'parse_timeout', values: { file: fileName, limitMs: this.options.timeoutMs } };
    }
  }
}
