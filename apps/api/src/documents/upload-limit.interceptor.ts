/**
 * An upload over WENDAO_UPLOAD_MAX_BYTES is refused by multer with a bare "File too large" (413);
 * this adds the refusal as data (code `file_too_large`, the limit in bytes) so a client can say it
 * in its own language, as it does the other upload refusals.
 */
import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';
import { withFileTooLarge } from '../common/file-size-limit.interceptor';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

@Injectable()
export class UploadLimitInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((err: unknown) => throwError(() => withFileTooLarge(err, this.config.uploadMaxBytes))),
      );
  }
}
