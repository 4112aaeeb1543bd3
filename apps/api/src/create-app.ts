/**
 * Builds the Wendao API application from an AppConfig: starts an embedded PostgreSQL when no
 * DATABASE_URL is given, wires parsing, validation, the problem-JSON filter and the OpenAPI
 * document, seeds the demo KB on first run and loads the KB indexes. main.ts and tests use it.
 */
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { createAppLogger, type AppLogger } from './common/app-logger';
import { ProblemExceptionFilter } from './common/problem-exception.filter';
import { SafeTextPipe } from './common/safe-text.pipe';
import { TypeFirstValidationPipe } from './common/type-first-validation.pipe';
import { FirstOwnerService } from './auth/first-owner.service';
import { ChatGateway } from './chat/chat.gateway';
import { RedisIoAdapter } from './chat/redis-io.adapter';
import type { AppConfig } from './config/app-config';
import { assertConnectionsReachable } from './config/connections-reachable';
import { EmbeddedDatabase } from './database/embedded-database';
import { DemoSeeder } from './demo/demo-seeder';
import { KbIndexService } from './indexes/kb-index.service';
import { serveMetrics } from './metrics/metrics-endpoint';
import { startMetricsServer } from './metrics/metrics-server';
import { nameRoute, requestObserver } from './metrics/request-observer';
import { WendaoMetrics } from './metrics/wendao-metrics';

export interface WendaoApp {
  app: NestExpressApplication;
  /** The process's logger (also Nest's). */
  logger: AppLogger;
  /** The effective config (databaseUrl filled in when PostgreSQL is embedded). */
  config: AppConfig & { databaseUrl: string };
  /** The port WENDAO_METRICS_PORT's listener is bound to (0 in the config: a free one); none unset. */
  metricsPort?: number;
  /** Resolves when every KB index is loaded (/ready turns 200). */
  ready: Promise<void>;
  /**
   * What the server does once its port is open (listen() calls it): the demo widget key allows this
   * process's origins. Not before: a start that fails (the port taken, the metrics port taken) would
   * have added origins of a server that never ran, and a failed start changes no stored data.
   */
  listening(): Promise<void>;
  /** Closes the app, then stops the embedded PostgreSQL if one was started. */
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Counts requests in flight, so shutdown can wait for every request already received to be
 * answered. New requests during the drain get 503 + Connection: close: Node's server.close() would
 * also drop a connection whose request has arrived but whose response is still being produced.
 */
class InFlightRequests {
  private count = 0;
  private draining = false;
  private idle: (() => void)[] = [];
  private readonly open = new Set<Response>();

  readonly middleware = (_req: Request, res: Response, next: NextFunction) => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
      res.setHeader('Retry-After', '5');
      res
        .status(503)
        .json({ statusCode: 503, error: 'Service Unavailable', message: 'the server is shutting down' });
      return;
    }
    this.count++;
    this.open.add(res);
    res.once('close', () => {
      this.open.delete(res);
      if (--this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
    next();
  };

  /**
   * Refuses new requests, ends the event streams (a job's progress: they last until the job ends, so
   * they held every shutdown for the whole grace, past Docker's 10 s stop timeout; the browser's
   * EventSource reconnects, through the load balancer, and the stream starts again with the job as
   * it is), waits (at most graceMs) for the other requests in flight, then closes the server.
   */
  async drain(server: Server, graceMs: number): Promise<void> {
    this.draining = true;
    for (const res of this.open)
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) res.socket?.destroy();
    if (this.count > 0)
      await new Promise<void>((resolve) => {
        this.idle.push(resolve);
        setTimeout(resolve, graceMs).unref();
      });
    if (server.listening) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
  }
}

export interface CreateWendaoAppOptions {
  /**
   * The caller has run assertConnectionsReachable on this config already (main.ts, before the model
   * pulls): not again, which would open one more connection to each server at every start.
   */
  connectionsChecked?: boolean;
  /**
   * The caller stops the app on SIGINT and SIGTERM (main.ts): the embedded PostgreSQL then runs in a
   * process group of its own, so that a terminal's Ctrl-C reaches Wendao alone, which stops it last.
   * Others (tests, where a Ctrl-C ends the runner at once) leave it in theirs, to go down with them.
   */
  stopsOnSignals?: boolean;
}

export async function createWendaoApp(
  base: AppConfig,
  options: CreateWendaoAppOptions = {},
): Promise<WendaoApp> {
  const logger = createAppLogger(base);
  // The embedded database logs before Nest exists; the same logger applies to it.
  Logger.overrideLogger(logger);
  if (!options.connectionsChecked) await assertConnectionsReachable(base);
  const embedded = base.databaseUrl
    ? undefined
    : new EmbeddedDatabase(base.dataDir, {
        runtimeDir: base.embeddedPgDir,
        ownProcessGroup: options.stopsOnSignals,
      });
  const databaseUrl = base.databaseUrl ?? (await embedded!.start());
  const config = { ...base, databaseUrl };
  let app: NestExpressApplication;
  try {
    // Nest's ExceptionHandler logged a module's failure as an ERROR entry with the stack trace, before
    // main's `wendao: <why>` said the same in one line: the reason is said once, by main, and the
    // stack is logged at LOG_LEVEL=debug only (below).
    app = await logger.withoutErrorsFrom('ExceptionHandler', () =>
      NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
        bodyParser: false,
        logger,
        // A module that fails to start (a migration, a database a newer Wendao migrated) comes back
        // here: Nest's default ended the process on the spot, leaving the embedded PostgreSQL running
        // and the failure without main's last `wendao: <why>` line.
        abortOnError: false,
      }),
    );
  } catch (err) {
    logger.debug(err instanceof Error ? (err.stack ?? err.message) : String(err), 'Wendao');
    await embedded?.stop();
    throw err;
  }
  const filter = new ProblemExceptionFilter();
  const inFlight = new InFlightRequests();
  const metrics = app.get(WendaoMetrics);
  app.use(requestObserver(metrics));
  app.use(inFlight.middleware);
  // Prometheus on the HTTP port only with a token: without one, /metrics here is an unknown path
  // (404) and the metrics port, if set, is the way in (see docs/operations.md#metrics).
  const metricsToken = config.metrics.token;
  if (metricsToken)
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
      nameRoute(req, '/metrics');
      void serveMetrics(metrics.registry, metricsToken, req, res);
    });
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // Browsers may call the API only from the configured origins (none: same origin only).
  if (config.corsOrigins.length)
    app.enableCors({ origin: config.corsOrigins, credentials: true, maxAge: 600 });
  // Security headers. The CSP allows what the OpenAPI page (/api/docs) needs: its inline bootstrap.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'] },
      },
    }),
  );
  // Compressed (brotli, else gzip) for clients that accept it, since nothing in front is assumed to
  // compress: the widget script every shop page loads, the admin console's assets, JSON lists and
  // CSV exports. The job progress stream is left alone (Nest marks it Cache-Control: no-transform).
  app.use(compression());
  // The KB import is the one large JSON body; every other route gets the small limit. (A body parsed
  // by the first parser is left alone by the second.)
  app.use('/api/kbs/import', express.json({ limit: config.importMaxBytes }));
  app.use(express.json({ limit: config.jsonMaxBytes }));
  // body-parser errors (413 too large, 400 bad JSON) happen before Nest's filters can see them.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const body = filter.toProblem(err);
    res.status(body.statusCode).json(body);
  });
  app.useGlobalPipes(
    new SafeTextPipe(),
    new TypeFirstValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(filter);
  if (config.redisUrl) app.useWebSocketAdapter(new RedisIoAdapter(app, config.redisUrl, config.redisPrefix));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Wendao (问道) API')
      .setDescription('Knowledge bases, FAQ entries, document ingestion and question answering')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let stopped = false;
  // Graceful: chat sockets are disconnected (they would hold the server open; clients resume on
  // reconnect) and their turns finish, then stop accepting connections, let requests in flight finish
  // (idle keep-alive sockets are closed at once, busy ones get SHUTDOWN_GRACE_MS), then Nest's hooks
  // (the ingestion job in progress finishes) and the database pool close, and last the embedded PostgreSQL.
  const close = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await metricsServer?.close();
      await app.get(ChatGateway).close();
      await inFlight.drain(app.getHttpServer() as Server, SHUTDOWN_GRACE_MS);
      await app.close();
    } finally {
      await embedded?.stop();
    }
  };
  try {
    await app.init();
    await app.get(FirstOwnerService).ensureOwner();
    await app.get(DemoSeeder).seedIfEmpty();
    if (config.metrics.port !== undefined)
      metricsServer = await startMetricsServer(
        metrics.registry,
        metricsToken,
        config.metrics.port,
        config.host,
      );
  } catch (err) {
    await close();
    throw err;
  }
  const ready = app
    .get(KbIndexService)
    .warmUp()
    .catch((err: unknown) => new Logger('Wendao').error(`index warm-up failed: ${String(err)}`));
  const listening = () => app.get(DemoSeeder).ensureDemoWidgetKey();
  return { app, logger, config, metricsPort: metricsServer?.port, ready, listening, close };
}
