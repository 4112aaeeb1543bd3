/**
 * Request bodies for FAQ entries, validated at the edge by the global ValidationPipe.
 */
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { ListQueryDto } from '../common/list-query.dto';

export class CreateFaqEntryDto {
  @ApiProperty({ example: '如何申请退货？' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  question: string;

  @ApiPropertyOptional({ type: [String], example: ['怎么退货', '退货流程'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(1000, { each: true })
  alternates?: string[];

  @ApiProperty({ example: '在“我的订单”中选择商品并点击“申请退货”。' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  answer: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** PATCH: any of the create body's fields, each validated as there; the ones left out stay. */
export class UpdateFaqEntryDto extends PartialType(CreateFaqEntryDto) {}

/** GET /api/kbs/:id/faqs: paging and search, and `enabled=true|false` to see only one kind. */
export class FaqListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  enabled?: boolean;
}

/** GET /api/kbs/:id/faqs/export: the file format. */
export class FaqExportQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';
}
