/**
 * Request bodies for knowledge bases, validated at the edge by the global ValidationPipe.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ListQueryDto } from '../common/list-query.dto';
import type { KbLanguage } from './knowledge-base.entity';

export const KB_LANGUAGES: KbLanguage[] = ['zh', 'en', 'mixed'];

/** Every setting is optional; null puts it back to its default (GET /api/kbs/:id says which, in `settingDefaults`). */
export class KnowledgeBaseSettingsDto {
  @ApiPropertyOptional({
    description: 'Passage length the chunker aims for (characters), at most the max length',
    nullable: true,
  })
  @IsOptional()
  @IsInt()
  @Min(20)
  @Max(4000)
  chunkTargetLength?: number | null;

  @ApiPropertyOptional({ description: 'Hard passage length limit (characters)', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(20)
  @Max(8000)
  chunkMaxLength?: number | null;

  @ApiPropertyOptional({
    description: 'Trailing sentences repeated at the start of the next passage',
    nullable: true,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  chunkOverlap?: number | null;

  @ApiPropertyOptional({ description: 'Text of the fallback answer', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  fallbackMessage?: string | null;

  @ApiPropertyOptional({
    description: 'Precision an FAQ answer must keep; thresholds are calibrated for it (default 0.9)',
    nullable: true,
  })
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(0.99)
  targetPrecision?: number | null;
}

export class CreateKnowledgeBaseDto {
  @ApiProperty({ example: '售后客服' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: KB_LANGUAGES, example: 'zh' })
  @IsIn(KB_LANGUAGES)
  language: KbLanguage;

  @ApiPropertyOptional({ description: 'The owning organisation; optional when the caller has only one' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

/** GET /api/kbs: a page of the caller's KBs, optionally of one of their organisations only. */
export class KbListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: "Only this organisation's KBs (one the caller belongs to)" })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class UpdateKnowledgeBaseDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: KB_LANGUAGES })
  @IsOptional()
  @IsIn(KB_LANGUAGES)
  language?: KbLanguage;

  @ApiPropertyOptional({
    description: 'FAQ match confidence threshold in [0,1]; null restores the mode default',
    nullable: true,
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  faqThreshold?: number | null;

  @ApiPropertyOptional({
    description: 'Reader answer probability threshold in [0,1]; null restores the mode default',
    nullable: true,
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  answerThreshold?: number | null;

  @ApiPropertyOptional({ type: KnowledgeBaseSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => KnowledgeBaseSettingsDto)
  settings?: KnowledgeBaseSettingsDto;
}
