/**
 * HTTP shape of /api/agent/left-messages: the agent's inbox of messages customers left while no
 * agent was online, and marking one handled (the agents online hear it over the chat socket).
 */
import { Body, Controller, Get, Param, Patch, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequestAccess, type Access } from '../auth/caller';
import { sendPage } from '../common/list-query.dto';
import { UuidParam } from '../common/uuid-param.pipe';
import { ChatGateway } from './chat.gateway';
import { LeftMessageListQueryDto, MarkLeftMessageDto, SeqParam } from './left-message.dto';
import type { LeftMessageView } from './left-message';
import { LeftMessagesService } from './left-messages.service';

@ApiTags('chat')
@Controller('api/agent/left-messages')
export class LeftMessagesController {
  constructor(
    private readonly leftMessages: LeftMessagesService,
    private readonly gateway: ChatGateway,
  ) {}

  @Get()
  async list(
    @Query() query: LeftMessageListQueryDto,
    @RequestAccess() access: Access,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LeftMessageView[]> {
    return sendPage(res, await this.leftMessages.list(access.caller, query));
  }

  @Patch(':sessionId/:seq')
  mark(
    @Param('sessionId', new UuidParam('session')) sessionId: string,
    @Param('seq', new SeqParam()) seq: string,
    @Body() dto: MarkLeftMessageDto,
    @RequestAccess() access: Access,
  ): Promise<LeftMessageView> {
    return this.leftMessages.mark(access.caller, sessionId, Number(seq), dto.handled, this.gateway);
  }
}
