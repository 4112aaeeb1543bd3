/**
 * multer refuses a file over its limit with a bare "File too large" (413); this adds the refusal as
 * data (code `file_too_large`, the limit in bytes) so a client can say it in its own language, as it
 * does the other upload refusals.
 */
import {
  PayloadTooLargeException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';

/** multer's 413 with its code and limit; any other error as it is. */
export function withFileTooLarge(err: unknown, limitBytes: number): unknown {
  return err instanceof PayloadTooLargeException
    ? new PayloadTooLargeException({ message: err.message, code: 'file_too_large', values: { limitBytes } })
    : err;
}

/** For a route whose file limit is a constant (`new FileSizeLimitInterceptor(bytes)`, before its FileInterceptor). */
export class FileSizeLimitInterceptor implements NestInterceptor {
  constructor(private readonly limitBytes: number) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(catchError((err: unknown) => throwError(() => withFileTooLarge(err, this.limitBytes))));
  }
}
