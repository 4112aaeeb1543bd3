/**
 * `npm start`: the Wendao API server. With no environment at all it runs on port 3000 with an
 * embedded PostgreSQL under ./data, the demo knowledge base and lexical mode.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ensureDefaultModels } from '@wendao/hub';
import { createAppLogger } from './common/app-logger';
import { loadConfig, loggingFrom } from './config/app-config';
import { assertConnectionsReachable } from './config/connections-reachable';
import { assertDataDirUsable } from './config/data-dir-usable';
import { createWendaoApp, type WendaoApp } from './create-app';
import { assertEmbeddedDataFree } from './database/embedded-database';
import { listen, whereToGo } from './listen';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // LOG_LEVEL, WENDAO_LOG_FORMAT and NO_COLOR hold from the first line: the model pulls below log
  // before the app (which applies the same logger) exists.
  Logger.overrideLogger(createAppLogger(config));
  const logger = new Logger('Wendao');
  // Ctrl-C or SIGTERM at any time, also while the app is still being built: once the embedded
  // PostgreSQL is up it has to be stopped with the app, or it outlives the process and locks its data
  // folder against the next start. Before the app is being built there is nothing to stop.
  let starting: Promise<WendaoApp> | undefined = undefined;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: shutting down`);
    if (!starting) process.exit(0);
    starting
      .then((wendao) => wendao.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error(String(err));
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // A DATABASE_URL or REDIS_URL where nothing answers is said now, not after minutes of model
  // downloads, and only here: createWendaoApp is told not to connect to check them again. The embedded
  // PostgreSQL still starts after the pulls: started before, a Ctrl-C during a download would have to
  // stop it too.
  await assertConnectionsReachable(config);
  // WENDAO_DATA_DIR too: with DATABASE_URL it is first written when a KB index is saved.
  await assertDataDirUsable(config.dataDir);
  // A second copy on the same data folder is refused now, not after it has begun downloading into the
  // models folder the first copy may still be downloading into (the same .part files).
  if (!config.databaseUrl) await assertEmbeddedDataFree(config.dataDir, config.embeddedPgDir);
  if (config.pullModels) {
    // First start on a connected machine fetches the default catalog; offline it only reports what is
    // missing and the server answers in lexical mode.
    const report = await ensureDefaultModels({
      modelsDir: config.modelsDir,
      endpoint: config.hub.endpoint,
      token: config.hub.token,
      offline: config.hub.offline,
      log: (line) => logger.log(line),
    });
    for (const model of report.models) if (model.message) logger.warn(model.message);
  }
  starting = createWendaoApp(config, { connectionsChecked: true, stopsOnSignals: true });
  const wendao = await starting;
  if (closing) return; // shutdown() closes it
  if (wendao.config.role === 'worker') {
    // No HTTP: the BullMQ worker started with the app; SIGTERM lets the job in progress finish.
    logger.log('worker: processing the ingestion queue (WENDAO_ROLE=worker, no HTTP)');
    return;
  }
  await listen(wendao);
  logger.log(
    `listening on http://${wendao.config.host}:${wendao.config.port} (role ${wendao.config.role}): ${whereToGo(wendao.config)}`,
  );
}

/**
 * Why the start failed, as the last log entry: a JSON object where the logs are JSON (a collector
 * parsing WENDAO_LOG_FORMAT=json would otherwise drop the one line that says it), else plain text.
 */
function reportFailure(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  let logging: ReturnType<typeof loggingFrom> | undefined;
  try {
    logging = loggingFrom(process.env);
  } catch {
    // LOG_LEVEL or WENDAO_LOG_FORMAT itself is what failed: plain text, which says so.
  }
  if (logging?.logFormat === 'json') createAppLogger(logging).error(message, 'Wendao');
  else console.error(`wendao: ${message}`);
}

bootstrap().catch((err: unknown) => {
  reportFailure(err);
  process.exit(1);
});
