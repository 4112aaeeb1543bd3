/**
 * Opens the app's HTTP port, and only then has the demo widget key allow this server's origins (a
 * start that cannot listen leaves the key as it was). When either fails (the port is taken, HOST is
 * not this machine's) the app is closed before the error goes up: an embedded PostgreSQL it started
 * would otherwise outlive the process and hold its data folder's lock, so the next start fails on
 * "postmaster.pid already exists". The failure is said once, by listenFailure, without Nest's own
 * line before it.
 */
import type { AppConfig } from './config/app-config';
import type { WendaoApp } from './create-app';

/**
 * Where to go once the server listens, as links a browser on this machine opens: the admin console,
 * the demo shop with the chat widget (when the demo is on) and the OpenAPI page. A server listening on
 * every address (0.0.0.0, ::) is reached as localhost.
 */
export function whereToGo(config: Pick<AppConfig, 'host' | 'port' | 'demo'>): string {
  const host = ['0.0.0.0', '::', ''].includes(config.host)
    ? 'localhost'
    : config.host.includes(':')
      ? `[${config.host}]`
      : config.host;
  const base = `http://${host}:${config.port}`;
  return [
    `admin console ${base}/admin`,
    ...(config.demo ? [`demo shop with the chat widget ${base}/demo`] : []),
    `OpenAPI ${base}/api/docs`,
  ].join(', ');
}

export async function listen(wendao: WendaoApp): Promise<void> {
  const { port, host } = wendao.config;
  try {
    // Nest logs a failed listen before it rejects ('Error: listen EADDRINUSE …'): the message below
    // says it, once, with what to do about it.
    await wendao.logger.withoutErrorsFrom('NestApplication', () => wendao.app.listen(port, host));
  } catch (err) {
    await wendao.close().catch(() => undefined);
    throw new Error(listenFailure(err, host, port), { cause: err });
  }
  try {
    await wendao.listening();
  } catch (err) {
    await wendao.close().catch(() => undefined);
    throw err;
  }
}

/**
 * What the operator can do about it, by the system's error code; `variable` is the setting that
 * named the port (WENDAO_METRICS_PORT for the metrics listener).
 */
export function listenFailure(err: unknown, host: string, port: number, variable = 'PORT'): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = err instanceof Error ? err.message : String(err);
  const named = variable === 'PORT' ? '' : ` (${variable})`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host}${named} is already in use (another Wendao or another program listens there): stop it, or set ${variable} to a free port`;
    case 'EACCES':
      return `not allowed to listen on port ${port}${named} (ports below 1024 need privileges): set ${variable} to 1024 or above`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on HOST ${host}: it is not an address of this machine (${reason}); set HOST to one of its addresses, or 0.0.0.0 for all`;
    default:
      return `cannot listen on ${host}:${port}${named}: ${reason}`;
  }
}
