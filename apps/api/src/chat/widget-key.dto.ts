/**
 * HTTP shape of /api/kbs/:id/widget-keys. Origins are checked and normalised in the service.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

const ORIGINS = {
  description: 'Origins (scheme://host[:port]) whose pages may use the key; empty: any origin',
  example: ['https://shop.example.com'],
};

export class CreateWidgetKeyDto {
  @ApiPropertyOptional({ ...ORIGINS, description: `${ORIGINS.description} (also when absent)` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  allowedOrigins?: string[];
}

export class UpdateWidgetKeyDto {
  @ApiProperty(ORIGINS)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  allowedOrigins: string[];
}

export interface WidgetKeyView {
  id: string;
  key: string;
  kbId: string;
  allowedOrigins: string[];
  createdAt: Date;
  /** The last time a widget connected with it (to the minute); null: never. */
  lastUsedAt: Date | null;
  /** When it was revoked; null: live. */
  revokedAt: Date | null;
}
