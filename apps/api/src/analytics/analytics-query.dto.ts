/**
 * The query string every analytics route takes: the date range (calendar days in `tz`, both
 * included), the IANA time zone the days are counted in, more KBs of the same organisation to count
 * with the one in the path, a row limit for the top-N charts (or every intent), the response format
 * and the CSV's header language. Defaults and the range's own checks (from <= to, at most
 * MAX_RANGE_DAYS) are the service's.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsOptional,
  IsTimeZone,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

import { CSV_LANGUAGES, type CsvLanguage } from './analytics-csv';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class AnalyticsQueryDto {
  @ApiPropertyOptional({
    description: 'First day (YYYY-MM-DD in tz); default: 29 days before `to`',
    example: '2026-11-01',
  })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a date as YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({
    description: 'Last day, included (YYYY-MM-DD in tz); default: today',
    example: '2026-11-30',
  })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a date as YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({
    description: 'IANA time zone the days are counted in (default UTC)',
    example: 'Asia/Shanghai',
  })
  @IsOptional()
  @IsTimeZone({ message: 'tz must be an IANA time zone such as Asia/Shanghai or UTC' })
  tz?: string;

  @ApiPropertyOptional({
    description: 'More KBs (of the same organisation) to count together with :id, comma-separated',
    example: '3f0c…,9a1e…',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean),
  )
  @ArrayMaxSize(50, { message: 'kbIds may name at most 50 knowledge bases' })
  @IsUUID('all', { each: true, message: 'kbIds must be knowledge base ids (UUIDs) separated by commas' })
  kbIds?: string[];

  @ApiPropertyOptional({
    description:
      'Rows of a top-N chart (intents, unanswered), 1-100; `all` (intents only): every intent asked in the range',
    example: 10,
  })
  @IsOptional()
  // `all` lets the intents page show every intent's count: a KB may have more than 100 intents
  // (CLINC150 has 150), and an intent past the top 100 would read as never asked.
  @Transform(({ value }: { value: unknown }) => (value === 'all' ? 'all' : Number(value)))
  @ValidateIf((_, value) => value !== 'all')
  @IsInt({ message: 'limit must be an integer or all' })
  @Min(1)
  @Max(100)
  limit?: number | 'all';

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: "csv: the chart's data as a CSV file" })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';

  @ApiPropertyOptional({
    enum: CSV_LANGUAGES,
    description:
      "CSV only: headers and row labels (outcomes, total) in this language, as the admin console shows them; without it, the API's codes (day,total,faq,…) for scripts. The numbers are the same",
  })
  @IsOptional()
  @IsIn(CSV_LANGUAGES, { message: 'lang must be zh or en' })
  lang?: CsvLanguage;
}
