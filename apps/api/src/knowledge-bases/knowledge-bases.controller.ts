/**
 * HTTP shape of /api/kbs: create, list, read, update thresholds/settings, delete, export, import.
 */
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { sendPage } from '../common/list-query.dto';
import { organisationsOf, RequestAccess, type Access } from '../auth/caller';
import { KbExportDto } from './kb-export.dto';
import { KbTransferService } from './kb-transfer.service';
import { CreateKnowledgeBaseDto, KbListQueryDto, UpdateKnowledgeBaseDto } from './knowledge-base.dto';
import { KnowledgeBasesService } from './knowledge-bases.service';

@ApiTags('knowledge bases')
@Controller('api/kbs')
export class KnowledgeBasesController {
  constructor(
    private readonly kbs: KnowledgeBasesService,
    private readonly transfer: KbTransferService,
  ) {}

  @Post('import')
  import(@Body() dto: KbExportDto, @RequestAccess() access: Access) {
    return this.transfer.import(dto, access.organisationId!);
  }

  @Get(':id/export')
  export(@Param('id') id: string) {
    return this.transfer.export(id);
  }

  @Post()
  create(@Body() dto: CreateKnowledgeBaseDto, @RequestAccess() access: Access) {
    return this.kbs.create(dto, access.organisationId!);
  }

  @Get()
  async list(
    @RequestAccess() access: Access,
    @Query() query: KbListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    // One organisation's KBs if asked: of the caller's only (another's gives an empty page).
    const organisations = organisationsOf(access.caller).filter(
      (id) => !query.organisationId || id === query.organisationId,
    );
    return sendPage(res, await this.kbs.list(organisations, query));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.kbs.get(id);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() dto: UpdateKnowledgeBaseDto) {
    return this.kbs.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.kbs.delete(id);
  }
}
