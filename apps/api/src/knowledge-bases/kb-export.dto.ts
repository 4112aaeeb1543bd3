/**
 * The portable JSON form of a whole knowledge base (GET /api/kbs/:id/export, POST /api/kbs/import).
 * It holds content only (no ids, timestamps, versions or embeddings, which are recomputed), so an
 * export of an imported KB equals the original export, but for the name when the import had to
 * number it ("Shop (2)", KbTransferRepository.import).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { KbLanguage } from './knowledge-base.entity';
import { KB_LANGUAGES, KnowledgeBaseSettingsDto } from './knowledge-base.dto';

export const EXPORT_FORMAT = 'wendao-kb';
export const EXPORT_FORMAT_VERSION = 1;

export class ExportedKnowledgeBaseDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: KB_LANGUAGES })
  @IsIn(KB_LANGUAGES)
  language: KbLanguage;

  @ApiProperty({ nullable: true, type: Number })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  faqThreshold: number | null;

  @ApiProperty({ nullable: true, type: Number })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  answerThreshold: number | null;

  @ApiProperty({ type: KnowledgeBaseSettingsDto })
  @ValidateNested()
  @Type(() => KnowledgeBaseSettingsDto)
  settings: KnowledgeBaseSettingsDto;
}

export class ExportedFaqDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  question: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @IsString({ each: true })
  alternates: string[];

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  answer: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @IsString({ each: true })
  tags: string[];

  @ApiProperty()
  @IsBoolean()
  enabled: boolean;

  @ApiProperty({ nullable: true, description: 'sha256 of the document the entry came from, or null' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  document: string | null;
}

export class ExportedPassageDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  text: string;

  @ApiProperty()
  @IsInt()
  @Min(0)
  start: number;

  @ApiProperty()
  @IsInt()
  @Min(0)
  end: number;
}

export class ExportedDocumentDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  fileName: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  type: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  mime: string | null;

  @ApiProperty()
  @Matches(/^[0-9a-f]{64}$/)
  sha256: string;

  @ApiProperty()
  @IsInt()
  @Min(0)
  sizeBytes: number;

  @ApiProperty({ type: [ExportedPassageDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExportedPassageDto)
  passages: ExportedPassageDto[];
}

export class KbExportDto {
  @ApiProperty({ example: EXPORT_FORMAT })
  @Equals(EXPORT_FORMAT)
  format: string;

  @ApiProperty({ example: EXPORT_FORMAT_VERSION })
  @Equals(EXPORT_FORMAT_VERSION)
  formatVersion: number;

  @ApiProperty({ type: ExportedKnowledgeBaseDto })
  @ValidateNested()
  @Type(() => ExportedKnowledgeBaseDto)
  knowledgeBase: ExportedKnowledgeBaseDto;

  @ApiProperty({ type: [ExportedDocumentDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExportedDocumentDto)
  documents: ExportedDocumentDto[];

  @ApiProperty({ type: [ExportedFaqDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExportedFaqDto)
  faqs: ExportedFaqDto[];
}
