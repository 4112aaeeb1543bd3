/**
 * HTTP shape of /api/kbs/:id/conversations: the chat's transcripts, filtered and paged.
 */
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { sendPage } from '../common/list-query.dto';
import { ConversationListQueryDto } from './conversation-query.dto';
import { ConversationsService } from './conversations.service';
import { UuidParam } from '../common/uuid-param.pipe';

@ApiTags('conversations')
@Controller('api/kbs/:id/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  async list(
    @Param('id') kbId: string,
    @Query() query: ConversationListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendPage(res, await this.conversations.list(kbId, query));
  }

  @Get(':conversationId')
  transcript(
    @Param('id') kbId: string,
    @Param('conversationId', new UuidParam('conversation')) conversationId: string,
  ) {
    return this.conversations.transcript(kbId, conversationId);
  }
}
