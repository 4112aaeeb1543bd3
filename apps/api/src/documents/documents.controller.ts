/**
 * HTTP shape of /api/kbs/:id/documents (multipart upload, field "files") and /api/jobs/:id
 * (plus /api/jobs/:id/events, the job's progress as server-sent events).
 */
import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  Sse,
  UploadedFiles,
  UseInterceptors,
  type MessageEvent,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { ListQueryDto, sendPage } from '../common/list-query.dto';
import { JobListQueryDto } from './job-list-query.dto';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { RequestAccess, type Access } from '../auth/caller';
import { UuidParam } from '../common/uuid-param.pipe';
import { DocumentsService, type UploadedFile } from './documents.service';
import { UploadLimitInterceptor } from './upload-limit.interceptor';

@ApiTags('documents')
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post('api/kbs/:id/documents')
  @HttpCode(202)
  // Outermost first: the limit interceptor sees multer's 413.
  @UseInterceptors(UploadLimitInterceptor, FilesInterceptor('files'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } },
    },
  })
  upload(@Param('id') kbId: string, @UploadedFiles() files: UploadedFile[]) {
    return this.documents.upload(kbId, files ?? []);
  }

  @Get('api/kbs/:id/documents')
  async list(
    @Param('id') kbId: string,
    @Query() query: ListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendPage(res, await this.documents.list(kbId, query));
  }

  @Delete('api/kbs/:id/documents/:docId')
  @HttpCode(204)
  async delete(
    @Param('id') kbId: string,
    @Param('docId', new UuidParam('document')) docId: string,
  ): Promise<void> {
    await this.documents.delete(kbId, docId);
  }

  @Get('api/kbs/:id/documents/:docId/passages')
  async passages(
    @Param('id') kbId: string,
    @Param('docId', new UuidParam('document')) docId: string,
    @Query() query: ListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendPage(res, await this.documents.passages(kbId, docId, query));
  }

  @Get('api/kbs/:id/jobs')
  async jobs(
    @Param('id') kbId: string,
    @Query() query: JobListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendPage(res, await this.documents.jobs(kbId, query));
  }

  @Get('api/jobs/:id')
  job(@Param('id', new UuidParam('job')) jobId: string, @RequestAccess() access: Access) {
    return this.documents.job(access.organisationId!, jobId);
  }

  /** Server-sent events: the job now, then every change, ending when it succeeds or fails. */
  @Sse('api/jobs/:id/events')
  async jobEvents(
    @Param('id', new UuidParam('job')) jobId: string,
    @RequestAccess() access: Access,
  ): Promise<Observable<MessageEvent>> {
    return this.documents.jobEvents(access.organisationId!, jobId);
  }
}
