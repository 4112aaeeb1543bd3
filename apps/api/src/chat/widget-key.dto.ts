/**
 * HTTP shape of /api/kbs/:id/widget-keys. Origins are checked and normalised in the service.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { WIDGET_KEY_NAME_MAX } from './widget-key';

const ORIGINS = {
  description: 'Origins (scheme://host[:port]) whose pages may use the key; empty: any origin',
  example: ['https://shop.example.com'],
};

const NAME = {
  description: `A label to tell keys apart ("Shop A (www)"): trimmed, one line, at most ${WIDGET_KEY_NAME_MAX} characters; empty or null: none`,
  example: 'Shop A (www)',
  type: String,
  nullable: true,
};

export class CreateWidgetKeyDto {
  @ApiPropertyOptional(NAME)
  @IsOptional()
  // Trimmed and measured in the service, whose 400 says the length found and the limit.
  @IsString()
  @MaxLength(10_000)
  name?: string | null;

  @ApiPropertyOptional({ ...ORIGINS, description: `${ORIGINS.description} (also when absent)` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  allowedOrigins?: string[];
}

/** Either or both: the name, the whole list of origins. */
export class UpdateWidgetKeyDto {
  @ApiPropertyOptional(NAME)
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  name?: string | null;

  @ApiPropertyOptional(ORIGINS)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  allowedOrigins?: string[];
}

export interface WidgetKeyView {
  id: string;
  key: string;
  kbId: string;
  name: string | null;
  allowedOrigins: string[];
  createdAt: Date;
  /** The last time a widget connected with it (to the minute); null: never. */
  lastUsedAt: Date | null;
  /** When it was revoked; null: live. */
  revokedAt: Date | null;
}
