/**
 * HTTP shape of /api/kbs/:id/widget-keys. Origins are checked and normalised in the service.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateWidgetKeyDto {
  @ApiPropertyOptional({
    description: 'Origins (scheme://host[:port]) whose pages may use the key; empty or absent: any origin',
    example: ['https://shop.example.com'],
  })
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
  allowedOrigins: string[];
  createdAt: Date;
}
