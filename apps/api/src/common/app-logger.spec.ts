import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/app-config';
import { appLoggerOptions, createAppLogger } from './app-logger';

/** What the logger writes to stdout while `fn` runs. */
function stdoutOf(fn: () => void): string {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

describe('the app logger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('colours only a terminal, and never with NO_COLOR or JSON', () => {
    expect(appLoggerOptions(loadConfig({}), true).colors).toBe(true);
    expect(appLoggerOptions(loadConfig({}), false).colors).toBe(false);
    expect(appLoggerOptions(loadConfig({ NO_COLOR: '1' }), true).colors).toBe(false);
    expect(appLoggerOptions(loadConfig({ WENDAO_LOG_FORMAT: 'json' }), true).colors).toBe(false);
    expect(appLoggerOptions(loadConfig({ LOG_LEVEL: 'warn' }), false).logLevels).toEqual(['error', 'warn']);
  });

  it('writes no ANSI escape codes to a file or pipe', () => {
    const out = stdoutOf(() =>
      createAppLogger(loadConfig({}), false).log('job 1 started', 'IngestionService'),
    );
    expect(out).toContain('LOG [IngestionService] job 1 started');
    expect(out).not.toContain('\u001b[');
  });

  it('writes one JSON object per line with WENDAO_LOG_FORMAT=json', () => {
    const logger = createAppLogger(loadConfig({ WENDAO_LOG_FORMAT: 'json', LOG_LEVEL: 'debug' }), true);
    const out = stdoutOf(() => {
      logger.log('job 1 started', 'IngestionService');
      logger.debug('GET /health 200 1.0 ms', 'HTTP');
    });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'log',
      context: 'IngestionService',
      message: 'job 1 started',
    });
    expect(JSON.parse(lines[1])).toMatchObject({ level: 'debug', context: 'HTTP' });
    expect(out).not.toContain('\u001b[');
  });
});
