/**
 * Every error leaves the API as one JSON shape, {statusCode, error, message}, plus {code, values}
 * where an exception says what was wrong as data (upload refusals): HTTP exceptions keep their status, upload-limit errors from multer and body-parser map to 413, an unreachable database
 * is 503 with Retry-After, a value PostgreSQL refuses is 400, anything else is a 500. Internal text
 * (driver messages, stack traces) goes to the log only, never into a response body.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-errors';

/** Seconds a client is asked to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface ProblemBody {
  statusCode: number;
  error: string;
  message: string;
  /** What was wrong as data, for a client to word in its own language (docs/api.md lists the codes). */
  code?: string;
  values?: Record<string, unknown>;
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function messageOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (response && typeof response === 'object' && 'message' in response) {
    const message = (response as { message: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return fallback;
}

/** `{code, values}` of an exception raised with them in its response (`new XException({message, code, values})`). */
function detailOf(response: unknown): Pick<ProblemBody, 'code' | 'values'> {
  if (!response || typeof response !== 'object') return {};
  const { code, values } = response as { code?: unknown; values?: unknown };
  if (typeof code !== 'string' || !values || typeof values !== 'object' || Array.isArray(values)) return {};
  return { code, values: values as Record<string, unknown> };
}

@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toProblem(exception);
    if (body.statusCode === 503) this.logger.warn(`database unavailable: ${(exception as Error)?.message}`);
    else if (body.statusCode >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (response.headersSent) return;
    if (body.statusCode === 503) response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    response.status(body.statusCode).json(body);
  }

  toProblem(exception: unknown): ProblemBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      return {
        statusCode: status,
        error: reasonPhrase(status),
        message: messageOf(response, exception.message),
        ...detailOf(response),
      };
    }
    // body-parser errors carry an HTTP status (413 entity.too.large, 400 entity.parse.failed).
    const status = (exception as { status?: unknown; statusCode?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.too.large'
          ? 'request body is larger than the configured limit'
          : type === 'entity.parse.failed'
            ? 'request body is not valid JSON'
            : (exception as Error).message;
      return { statusCode: status, error: reasonPhrase(status), message };
    }
    if (isDatabaseUnavailable(exception))
      return {
        statusCode: 503,
        error: reasonPhrase(503),
        message: 'the database is unavailable; try again shortly',
      };
    // SQLSTATE class 22 (data exception): a value PostgreSQL cannot store, e.g. a NUL in text.
    const code = (exception as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code;
    if (typeof code === 'string' && code.startsWith('22'))
      return {
        statusCode: 400,
        error: reasonPhrase(400),
        message: 'a value in the request cannot be stored',
      };
    return { statusCode: 500, error: reasonPhrase(500), message: 'internal server error' };
  }
}
