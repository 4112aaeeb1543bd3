/**
 * HTTP shape of /api/kbs/:id/faqs.
 */
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { sendPage } from '../common/list-query.dto';
import { UuidParam } from '../common/uuid-param.pipe';
import { CreateFaqEntryDto, FaqExportQueryDto, FaqListQueryDto, UpdateFaqEntryDto } from './faq-entry.dto';
import { FAQ_FILE_TYPES, faqsToCsv, faqsToXlsx } from './faq-file';
import { FaqsService } from './faqs.service';

@ApiTags('faqs')
@Controller('api/kbs/:id/faqs')
export class FaqsController {
  constructor(private readonly faqs: FaqsService) {}

  @Get()
  async list(
    @Param('id') kbId: string,
    @Query() query: FaqListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendPage(res, await this.faqs.list(kbId, query));
  }

  /** Every entry as a CSV or XLSX file that uploads back into the same entries (declared before :faqId). */
  @Get('export')
  async export(
    @Param('id') kbId: string,
    @Query() query: FaqExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const format = query.format ?? 'csv';
    const { items } = await this.faqs.list(kbId);
    const body = format === 'csv' ? faqsToCsv(items) : await faqsToXlsx(items);
    res
      .status(200)
      .type(FAQ_FILE_TYPES[format])
      .setHeader('Content-Disposition', `attachment; filename="faqs.${format}"`)
      .send(body);
  }

  @Post()
  create(@Param('id') kbId: string, @Body() dto: CreateFaqEntryDto) {
    return this.faqs.create(kbId, dto);
  }

  @Get(':faqId')
  get(@Param('id') kbId: string, @Param('faqId', new UuidParam('FAQ entry')) faqId: string) {
    return this.faqs.get(kbId, faqId);
  }

  @Patch(':faqId')
  update(
    @Param('id') kbId: string,
    @Param('faqId', new UuidParam('FAQ entry')) faqId: string,
    @Body() dto: UpdateFaqEntryDto,
  ) {
    return this.faqs.update(kbId, faqId, dto);
  }

  @Delete(':faqId')
  @HttpCode(204)
  async delete(
    @Param('id') kbId: string,
    @Param('faqId', new UuidParam('FAQ entry')) faqId: string,
  ): Promise<void> {
    await this.faqs.delete(kbId, faqId);
  }
}
