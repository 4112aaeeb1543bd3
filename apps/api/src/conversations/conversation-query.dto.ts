/**
 * Filters of the conversation list: created between `from` and `to`, with an answered / fallback /
 * handoff turn, with feedback (up, down or any), plus paging.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional } from 'class-validator';
import { ListQueryDto } from '../common/list-query.dto';

export const CONVERSATION_OUTCOMES = ['answered', 'fallback', 'handoff'] as const;
export const FEEDBACK_FILTERS = ['up', 'down', 'any'] as const;

export class ConversationListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Started at or after (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ description: 'Started before (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  to?: string;

  @ApiPropertyOptional({ enum: CONVERSATION_OUTCOMES })
  @IsOptional()
  @IsIn(CONVERSATION_OUTCOMES)
  outcome?: (typeof CONVERSATION_OUTCOMES)[number];

  @ApiPropertyOptional({ enum: FEEDBACK_FILTERS })
  @IsOptional()
  @IsIn(FEEDBACK_FILTERS)
  feedback?: (typeof FEEDBACK_FILTERS)[number];
}
