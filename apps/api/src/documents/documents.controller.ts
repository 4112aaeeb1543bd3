/**
 * HTTP shape of /api/kbs/:id/documents (multipart upload, field "files") and /api/jobs/:id.
 */
import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { DocumentsService, type UploadedFile } from './documents.service';

@ApiTags('documents')
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post('api/kbs/:id/documents')
  @HttpCode(202)
  @UseInterceptors(FilesInterceptor('files'))
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
  list(@Param('id') kbId: string) {
    return this.documents.list(kbId);
  }

  @Delete('api/kbs/:id/documents/:docId')
  @HttpCode(204)
  async delete(@Param('id') kbId: string, @Param('docId') docId: string): Promise<void> {
    await this.documents.delete(kbId, docId);
  }

  @Get('api/kbs/:id/documents/:docId/passages')
  passages(@Param('id') kbId: string, @Param('docId') docId: string) {
    return this.documents.passages(kbId, docId);
  }

  @Get('api/jobs/:id')
  job(@Param('id') jobId: string) {
    return this.documents.job(jobId);
  }
}
