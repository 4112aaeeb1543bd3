/**
 * Where a long command's progress goes (a model download, an eval run): a plain line on stderr for
 * people, and with WENDAO_LOG_FORMAT=json one JSON log entry per line, so a log shipper reading the
 * command's output is not handed lines it cannot parse.
 */
import { createAppLogger } from '../../../api/src/common/app-logger';
import type { CliConfig } from '../cli-config';

export function progressLine(logging: CliConfig['logging'], context: string): (line: string) => void {
  if (logging.logFormat !== 'json') return (line) => void process.stderr.write(`${line}\n`);
  const logger = createAppLogger(logging);
  return (line) => logger.log(line, context);
}
