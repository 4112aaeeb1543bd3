/**
 * HTTP shape of GET /api/organisations/:orgId/audit-log: owners page their organisation's changes,
 * newest first (`limit` 1-200, default 50; `offset`; optional `kbId`), with X-Total-Count; each row
 * names its KB (`kbName`, `kbDeleted`). GET .../audit-log/kbs: the KBs the log names, deleted ones too.
 */
import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { AuditRepository, type AuditEntryView, type AuditKbView } from './audit.repository';

export class AuditLogQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @IsOptional()
  @IsUUID()
  kbId?: string;
}

@ApiTags('organisations')
@Controller('api/organisations/:orgId/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  async list(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Query() query: AuditLogQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditEntryView[]> {
    const { entries, total } = await this.audit.page(orgId, query.limit ?? 50, query.offset ?? 0, query.kbId);
    res.setHeader('X-Total-Count', String(total));
    return entries;
  }

  /** The KBs the log names, deleted ones too (by the name their rows recorded), for the filter. */
  @Get('kbs')
  async kbs(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<AuditKbView[]> {
    return this.audit.kbs(orgId);
  }
}
