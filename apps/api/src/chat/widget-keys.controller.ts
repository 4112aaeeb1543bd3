/**
 * HTTP shape of /api/kbs/:id/widget-keys: create a public widget key for a KB, list the KB's keys.
 */
import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ChatService } from './chat.service';
import { CreateWidgetKeyDto, type WidgetKeyView } from './widget-key.dto';

@ApiTags('chat')
@Controller('api/kbs/:id/widget-keys')
export class WidgetKeysController {
  constructor(private readonly chat: ChatService) {}

  @Post()
  create(@Param('id') kbId: string, @Body() dto: CreateWidgetKeyDto): Promise<WidgetKeyView> {
    return this.chat.createWidgetKey(kbId, dto.allowedOrigins ?? []);
  }

  @Get()
  list(@Param('id') kbId: string): Promise<WidgetKeyView[]> {
    return this.chat.widgetKeys(kbId);
  }
}
