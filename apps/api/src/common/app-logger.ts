/**
 * The process's logger: Nest's ConsoleLogger at LOG_LEVEL, as readable lines or (WENDAO_LOG_FORMAT=json)
 * one JSON object per line. Colours only on a terminal and never with NO_COLOR, so a file, a pipe or
 * a log collector gets no ANSI escape codes. A closed stdout or stderr (`npm start | head`, a log
 * shipper that went away) costs the log lines, never the server: see keepServingWhenOutputCloses.
 */
import { ConsoleLogger, type ConsoleLoggerOptions, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export function appLoggerOptions(
  config: Pick<AppConfig, 'logLevel' | 'logFormat' | 'noColor'>,
  stdoutIsTty: boolean,
): ConsoleLoggerOptions {
  const json = config.logFormat === 'json';
  return {
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
    json,
    // JSON stays one compact line per entry only without colours (Nest pretty-prints it otherwise).
    colors: !json && !config.noColor && stdoutIsTty,
  };
}

const outputGuarded = new WeakSet<NodeJS.WriteStream>();

/**
 * A write to a pipe whose reader has gone fails with EPIPE as an 'error' event on process.stdout or
 * process.stderr, and an 'error' event nobody listens to ends the process: the server stopped
 * serving because nobody read its logs any more. Such an error is dropped here (what follows is
 * dropped too: the stream is closed); any other error on them is thrown as before. Once per stream.
 */
export function keepServingWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (outputGuarded.has(stream)) continue;
    outputGuarded.add(stream);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    });
  }
}

/**
 * Nest's ConsoleLogger that can leave out the errors one context logs while a piece of work runs:
 * Nest's app.listen() logs a failed listen itself ('ERROR [NestApplication] Error: listen EADDRINUSE
 * …') before it rejects, and listen.ts says the same better (which port, which variable to change).
 */
/**
 * Nest's own start-up lines: a line per module ('AuthModule dependencies initialized'), per controller
 * and per route ('Mapped {/api/kbs, GET} route'), ~100 at every start, among which the lines an
 * operator needs (the demo owner's login, the answer mode, where to go) were hard to find. Logged at
 * debug level: LOG_LEVEL=debug shows them; the routes are also the OpenAPI page's.
 */
const NEST_STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

export class AppLogger extends ConsoleLogger {
  private readonly quiet = new Set<string>();

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && NEST_STARTUP_CONTEXTS.has(context)) {
      this.debug(message, ...optionalParams);
      return;
    }
    super.log(message, ...optionalParams);
  }

  async withoutErrorsFrom<T>(context: string, work: () => Promise<T>): Promise<T> {
    this.quiet.add(context);
    try {
      return await work();
    } finally {
      this.quiet.delete(context);
    }
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    // Nest's Logger passes its context last.
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && this.quiet.has(context)) return;
    super.error(message, ...optionalParams);
  }
}

export function createAppLogger(
  config: Pick<AppConfig, 'logLevel' | 'logFormat' | 'noColor'>,
  stdoutIsTty = process.stdout.isTTY === true,
): AppLogger {
  keepServingWhenOutputCloses();
  return new AppLogger(appLoggerOptions(config, stdoutIsTty));
}
