/**
 * Every error leaves the API as one JSON shape, {statusCode, error, message}: HTTP exceptions keep
 * their status, upload-limit errors from multer and body-parser map to 413, anything else is a 500.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

export interface ProblemBody {
  statusCode: number;
  error: string;
  message: string;
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

@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemExceptionFilter');

  constructor(private readonly exposeInternalErrors: boolean) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toProblem(exception);
    if (body.statusCode >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  toProblem(exception: unknown): ProblemBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return {
        statusCode: status,
        error: reasonPhrase(status),
        message: messageOf(exception.getResponse(), exception.message),
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
    const message =
      this.exposeInternalErrors && exception instanceof Error ? exception.message : 'internal server error';
    return { statusCode: 500, error: reasonPhrase(500), message };
  }
}
