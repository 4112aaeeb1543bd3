/**
 * HTTP shape of /api/agent/left-messages: the messages customers left while no agent was online,
 * newest first, and marking one handled.
 */
import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { ListQueryDto } from '../common/list-query.dto';

/** GET: paging, `q` over the text, and `handled=true|false` for one kind only. */
export class LeftMessageListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  handled?: boolean;
}

export class MarkLeftMessageDto {
  @ApiProperty({ description: 'true: handled (by the caller, now); false: back in the inbox' })
  @IsBoolean()
  handled: boolean;
}

/**
 * A message's number in its session (`:seq`): a whole number from 1, else a 400 that says so. The
 * handler declares it a string, so the global ValidationPipe leaves the text as sent for the message.
 */
export class SeqParam implements PipeTransform<string, string> {
  transform(value: string): string {
    // At most 9 digits: within PostgreSQL's integer, so a huge number is a 400, not a database error.
    if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
      throw new BadRequestException(
        `seq must be a message number (a whole number from 1), got "${String(value).slice(0, 100)}"`,
      );
    return value;
  }
}
