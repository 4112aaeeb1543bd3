/**
 * HTTP shape of /api/kbs/:id/unanswered: groups of questions the bot could not answer. A group
 * becomes an FAQ entry through POST /api/kbs/:id/faqs (its questions as alternates).
 */
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { sendPage } from '../common/list-query.dto';
import { UnansweredQueryDto } from './unanswered-query.dto';
import { UnansweredService } from './unanswered.service';

@ApiTags('unanswered')
@Controller('api/kbs/:id/unanswered')
export class UnansweredController {
  constructor(private readonly unanswered: UnansweredService) {}

  @Get()
  async groups(
    @Param('id') kbId: string,
    @Query() query: UnansweredQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendPage(res, await this.unanswered.groups(kbId, query));
  }
}
