/**
 * HTTP shape of POST /api/kbs/:id/ask.
 */
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AskDto } from './ask.dto';
import { AskService } from './ask.service';

@ApiTags('ask')
@Controller('api/kbs/:id/ask')
export class AskController {
  constructor(private readonly asker: AskService) {}

  @Post()
  @HttpCode(200)
  ask(@Param('id') kbId: string, @Body() dto: AskDto) {
    return this.asker.ask(kbId, dto.question, dto.sessionId, {
      trial: dto.trial === true,
      language: dto.language,
    });
  }
}
