/**
 * HTTP shape of /api/kbs/:id/faqs.
 */
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateFaqEntryDto, UpdateFaqEntryDto } from './faq-entry.dto';
import { FaqsService } from './faqs.service';

@ApiTags('faqs')
@Controller('api/kbs/:id/faqs')
export class FaqsController {
  constructor(private readonly faqs: FaqsService) {}

  @Get()
  list(@Param('id') kbId: string) {
    return this.faqs.list(kbId);
  }

  @Post()
  create(@Param('id') kbId: string, @Body() dto: CreateFaqEntryDto) {
    return this.faqs.create(kbId, dto);
  }

  @Get(':faqId')
  get(@Param('id') kbId: string, @Param('faqId') faqId: string) {
    return this.faqs.get(kbId, faqId);
  }

  @Patch(':faqId')
  update(@Param('id') kbId: string, @Param('faqId') faqId: string, @Body() dto: UpdateFaqEntryDto) {
    return this.faqs.update(kbId, faqId, dto);
  }

  @Delete(':faqId')
  @HttpCode(204)
  async delete(@Param('id') kbId: string, @Param('faqId') faqId: string): Promise<void> {
    await this.faqs.delete(kbId, faqId);
  }
}
