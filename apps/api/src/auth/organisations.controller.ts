/**
 * HTTP shape of /api/organisations/:orgId: members (users and roles) and API keys, for owners.
 */
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AddMemberDto, ChangeRoleDto, CreateApiKeyDto } from './auth.dto';
import { RequestAccess, type Access } from './caller';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@Controller('api/organisations/:orgId')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get('users')
  members(@Param('orgId', ParseUUIDPipe) orgId: string) {
    return this.organisations.members(orgId);
  }

  @Post('users')
  addMember(@Param('orgId', ParseUUIDPipe) orgId: string, @Body() dto: AddMemberDto) {
    return this.organisations.addMember(orgId, dto);
  }

  @Patch('users/:userId')
  changeRole(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: ChangeRoleDto,
  ) {
    return this.organisations.changeRole(orgId, userId, dto.role);
  }

  @Delete('users/:userId')
  @HttpCode(204)
  async removeMember(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<void> {
    await this.organisations.removeMember(orgId, userId);
  }

  @Post('api-keys')
  createApiKey(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() dto: CreateApiKeyDto,
    @RequestAccess() access: Access,
  ) {
    return this.organisations.createApiKey(orgId, dto, access.caller);
  }

  @Get('api-keys')
  apiKeys(@Param('orgId', ParseUUIDPipe) orgId: string) {
    return this.organisations.apiKeys(orgId);
  }

  @Delete('api-keys/:keyId')
  @HttpCode(204)
  async revokeApiKey(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
  ): Promise<void> {
    await this.organisations.revokeApiKey(orgId, keyId);
  }
}
