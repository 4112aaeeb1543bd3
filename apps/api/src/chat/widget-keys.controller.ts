/**
 * HTTP shape of /api/kbs/:id/widget-keys: create a public widget key for a KB, list the KB's keys,
 * edit a key's name and allowed origins, revoke a key. The gateway is handed to the service for the sockets
 * open with a key that changes.
 */
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param.pipe';
import { ChatGateway } from './chat.gateway';
import { CreateWidgetKeyDto, UpdateWidgetKeyDto, type WidgetKeyView } from './widget-key.dto';
import { WidgetKeysService } from './widget-keys.service';

const KEY_ID = new UuidParam('widget key');

@ApiTags('chat')
@Controller('api/kbs/:id/widget-keys')
export class WidgetKeysController {
  constructor(
    private readonly keys: WidgetKeysService,
    private readonly sockets: ChatGateway,
  ) {}

  @Post()
  create(@Param('id') kbId: string, @Body() dto: CreateWidgetKeyDto): Promise<WidgetKeyView> {
    return this.keys.create(kbId, dto.allowedOrigins ?? [], dto.name);
  }

  @Get()
  list(@Param('id') kbId: string): Promise<WidgetKeyView[]> {
    return this.keys.list(kbId);
  }

  @Patch(':keyId')
  update(
    @Param('id') kbId: string,
    @Param('keyId', KEY_ID) keyId: string,
    @Body() dto: UpdateWidgetKeyDto,
  ): Promise<WidgetKeyView> {
    return this.keys.update(
      kbId,
      keyId,
      { allowedOrigins: dto.allowedOrigins, name: dto.name },
      this.sockets,
    );
  }

  @Delete(':keyId')
  @HttpCode(204)
  async revoke(@Param('id') kbId: string, @Param('keyId', KEY_ID) keyId: string): Promise<void> {
    await this.keys.revoke(kbId, keyId, this.sockets);
  }
}
