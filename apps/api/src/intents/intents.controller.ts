/**
 * HTTP shape of /api/kbs/:id/intents (intents, their examples, the CSV import, the classifier).
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { AddExamplesDto, ClassifyDto, CreateIntentDto, UpdateIntentDto } from './intent.dto';
import { IntentsService } from './intents.service';
import { FileSizeLimitInterceptor } from '../common/file-size-limit.interceptor';
import { UuidParam } from '../common/uuid-param.pipe';

/** An intent CSV is small text: a larger upload is refused (413, code file_too_large) before it is read. */
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

const INTENT_ID = new UuidParam('intent');

@ApiTags('intents')
@Controller('api/kbs/:id/intents')
export class IntentsController {
  constructor(private readonly intents: IntentsService) {}

  @Get()
  list(@Param('id') kbId: string) {
    return this.intents.list(kbId);
  }

  @Post()
  create(@Param('id') kbId: string, @Body() dto: CreateIntentDto) {
    return this.intents.create(kbId, dto);
  }

  @Post('import')
  @UseInterceptors(
    new FileSizeLimitInterceptor(IMPORT_MAX_BYTES),
    FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  import(
    @Param('id') kbId: string,
    @UploadedFile() file: { buffer: Buffer; originalname?: string } | undefined,
  ) {
    return this.intents.import(kbId, file);
  }

  /** The KB's classifier: trained at which revision, on what, its out-of-scope cut. */
  @Get('model')
  model(@Param('id') kbId: string) {
    return this.intents.model(kbId);
  }

  @Post('classify')
  @HttpCode(200)
  classify(@Param('id') kbId: string, @Body() dto: ClassifyDto) {
    return this.intents.classify(kbId, dto.text);
  }

  @Get(':intentId')
  get(@Param('id') kbId: string, @Param('intentId', INTENT_ID) intentId: string) {
    return this.intents.get(kbId, intentId);
  }

  @Patch(':intentId')
  update(
    @Param('id') kbId: string,
    @Param('intentId', INTENT_ID) intentId: string,
    @Body() dto: UpdateIntentDto,
  ) {
    return this.intents.update(kbId, intentId, dto);
  }

  @Delete(':intentId')
  @HttpCode(204)
  async delete(@Param('id') kbId: string, @Param('intentId', INTENT_ID) intentId: string): Promise<void> {
    await this.intents.delete(kbId, intentId);
  }

  @Get(':intentId/examples')
  examples(@Param('id') kbId: string, @Param('intentId', INTENT_ID) intentId: string) {
    return this.intents.examples(kbId, intentId);
  }

  @Post(':intentId/examples')
  addExamples(
    @Param('id') kbId: string,
    @Param('intentId', INTENT_ID) intentId: string,
    @Body() dto: AddExamplesDto,
  ) {
    return this.intents.addExamples(kbId, intentId, dto);
  }

  @Delete(':intentId/examples/:exampleId')
  @HttpCode(204)
  async deleteExample(
    @Param('id') kbId: string,
    @Param('intentId', INTENT_ID) intentId: string,
    @Param('exampleId', new UuidParam('example')) exampleId: string,
  ): Promise<void> {
    await this.intents.deleteExample(kbId, intentId, exampleId);
  }
}
