/**
 * An owner's management of their organisation: members and their roles (an organisation always
 * keeps at least one owner) and server-to-server API keys (the secret is shown once, only its sha256
 * is stored; revoked keys stop working at once).
 */
import { randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AccessEvents } from './access-events';
import { roleAtLeast, type Role } from './access-rules';
import { AuthRepository, type ApiKeyView, type MemberView } from './auth.repository';
import { API_KEY_PREFIX, sha256 } from './auth.service';
import type { Caller } from './caller';
import type { AddMemberDto, CreateApiKeyDto } from './auth.dto';
import { hashPassword } from './password';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly events: AccessEvents,
  ) {}

  members(organisationId: string): Promise<MemberView[]> {
    return this.repo.members(organisationId);
  }

  /** Adds an existing user by email, or creates the user (a password is then required). */
  async addMember(organisationId: string, dto: AddMemberDto): Promise<MemberView> {
    const existing = await this.repo.userByEmail(dto.email);
    if (!existing && !dto.password)
      throw new BadRequestException(`no user has the email ${dto.email} yet: give a password to create one`);
    const passwordHash = existing ? undefined : await hashPassword(dto.password!);
    const userId = await this.repo.transaction(async (tx) => {
      const found = await tx.userByEmail(dto.email);
      const id = found?.id ?? (await tx.createUser(dto.email.trim(), dto.name?.trim() ?? '', passwordHash!));
      if (!(await tx.addMembership(organisationId, id, dto.role)))
        throw new ConflictException(`${dto.email} is already a member of this organisation`);
      return id;
    });
    return (await this.repo.member(organisationId, userId))!;
  }

  async changeRole(organisationId: string, userId: string, role: Role): Promise<MemberView> {
    await this.repo.transaction(async (tx) => {
      await tx.lockMemberships(organisationId);
      const member = await tx.member(organisationId, userId);
      if (!member) throw new NotFoundException(`user ${userId} is not a member of this organisation`);
      if (member.role === 'owner' && role !== 'owner' && (await tx.ownerCount(organisationId)) === 1)
        throw new ConflictException('the organisation must keep an owner: make someone else owner first');
      await tx.setRole(organisationId, userId, role);
    });
    // Below agent: their open agent sockets stop serving the organisation's customers at once.
    if (!roleAtLeast(role, 'agent')) this.events.lost({ kind: 'membership', userId, organisationId });
    return (await this.repo.member(organisationId, userId))!;
  }

  async removeMember(organisationId: string, userId: string): Promise<void> {
    await this.repo.transaction(async (tx) => {
      await tx.lockMemberships(organisationId);
      const member = await tx.member(organisationId, userId);
      if (!member) throw new NotFoundException(`user ${userId} is not a member of this organisation`);
      if (member.role === 'owner' && (await tx.ownerCount(organisationId)) === 1)
        throw new ConflictException('the organisation must keep an owner: make someone else owner first');
      await tx.removeMembership(organisationId, userId);
    });
    this.events.lost({ kind: 'membership', userId, organisationId });
  }

  async createApiKey(
    organisationId: string,
    dto: CreateApiKeyDto,
    caller: Caller,
  ): Promise<ApiKeyView & { key: string }> {
    if (dto.kbId && (await this.repo.kbOrganisation(dto.kbId)) !== organisationId)
      throw new NotFoundException(`knowledge base ${dto.kbId} not found`);
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const view = await this.repo.createApiKey({
      organisationId,
      kbId: dto.kbId ?? null,
      name: dto.name?.trim() ?? '',
      role: dto.role ?? 'agent',
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      keyHash: sha256(key),
      createdBy: caller.kind === 'user' ? caller.userId : null,
    });
    return { ...view, key };
  }

  apiKeys(organisationId: string): Promise<ApiKeyView[]> {
    return this.repo.apiKeys(organisationId);
  }

  async revokeApiKey(organisationId: string, keyId: string): Promise<void> {
    if (!(await this.repo.revokeApiKey(organisationId, keyId)))
      throw new NotFoundException(`API key ${keyId} not found`);
    this.events.lost({ kind: 'api-key', keyId });
  }
}
