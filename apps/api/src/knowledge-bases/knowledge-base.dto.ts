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
import type { KbLanguage } from './knowledge-base.entity';

export const KB_LANGUAGES: KbLanguage[] = ['zh', 'en', 'mixed'];

export class KnowledgeBaseSettingsDto {
  @ApiPropertyOptional({ description: 'Passage length the chunker aims for (characters)' })
  @IsOptional()
  @IsInt()
  @Min(20)
  @Max(4000)
  chunkTargetLength?: number;

  @ApiPropertyOptional({ description: 'Hard passage length limit (characters)' })
  @IsOptional()
  @IsInt()
  @Min(20)
  @Max(8000)
  chunkMaxLength?: number;

  @ApiPropertyOptional({ description: 'Trailing sentences repeated at the start of the next passage' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  chunkOverlap?: number;

  @ApiPropertyOptional({ description: 'Text of the fallback answer' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  fallbackMessage?: string;

  @ApiPropertyOptional({
    description: 'Precision an FAQ answer must keep; thresholds are calibrated for it (default 0.9)',
  })
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(0.99)
  targetPrecision?: number;
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
