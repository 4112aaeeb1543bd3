/**
 * The process's logger: Nest's ConsoleLogger at LOG_LEVEL, as readable lines or (WENDAO_LOG_FORMAT=json)
 * one JSON object per line. Colours only on a terminal and never with NO_COLOR, so a file, a pipe or
 * a log collector gets no ANSI escape codes.
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

export function createAppLogger(
  config: Pick<AppConfig, 'logLevel' | 'logFormat' | 'noColor'>,
  stdoutIsTty = process.stdout.isTTY === true,
): ConsoleLogger {
  return new ConsoleLogger(appLoggerOptions(config, stdoutIsTty));
}
