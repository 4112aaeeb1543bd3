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

  it("keeps Nest's module and route lines for LOG_LEVEL=debug", () => {
    // `npm start` printed ~100 of them between the model warnings and the demo owner's login line.
    const startup = (logger: ReturnType<typeof createAppLogger>) =>
      stdoutOf(() => {
        logger.log('AuthModule dependencies initialized', 'InstanceLoader');
        logger.log('AuthController {/api/auth}:', 'RoutesResolver');
        logger.log('Mapped {/api/auth/login, POST} route', 'RouterExplorer');
        logger.log('Nest application successfully started', 'NestApplication');
      });
    const quiet = startup(createAppLogger(loadConfig({}), false));
    expect(quiet).toContain('LOG [NestApplication] Nest application successfully started');
    expect(quiet.trimEnd().split('\n')).toHaveLength(1);
    const debug = startup(createAppLogger(loadConfig({ LOG_LEVEL: 'debug' }), false));
    expect(debug).toContain('DEBUG [InstanceLoader] AuthModule dependencies initialized');
    expect(debug).toContain('DEBUG [RoutesResolver] AuthController {/api/auth}:');
    expect(debug).toContain('DEBUG [RouterExplorer] Mapped {/api/auth/login, POST} route');
  });
});
