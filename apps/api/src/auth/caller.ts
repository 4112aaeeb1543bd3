/**
 * Who is calling (a signed-in user or an API key) and what the access guard resolved for this
 * request; controllers read it with `@RequestAccess()`.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from './access-rules';

export interface Membership {
  organisationId: string;
  organisationName: string;
  role: Role;
}

export type Caller =
  | {
      kind: 'user';
      userId: string;
      email: string;
      name: string;
      sessionId: string;
      memberships: Membership[];
    }
  | {
      kind: 'api-key';
      keyId: string;
      organisationId: string;
      kbId: string | null;
      role: Role;
      /** The key's name ('' when unnamed) and display prefix: what an agent using it is shown as. */
      name: string;
      prefix: string;
    };

export interface Access {
  caller: Caller;
  /** The organisation the rule was checked in (organisation- and KB-scoped routes). */
  organisationId?: string;
  role?: Role;
}

export type RequestWithAccess = Request & { access?: Access };

/** The caller's role in an organisation, if any. */
export function roleIn(caller: Caller, organisationId: string): Role | undefined {
  if (caller.kind === 'api-key') return caller.organisationId === organisationId ? caller.role : undefined;
  return caller.memberships.find((m) => m.organisationId === organisationId)?.role;
}

/** Every organisation the caller may act in. */
export const organisationsOf = (caller: Caller): string[] =>
  caller.kind === 'api-key' ? [caller.organisationId] : caller.memberships.map((m) => m.organisationId);

export const RequestAccess = createParamDecorator((_data: unknown, ctx: ExecutionContext): Access => {
  const access = ctx.switchToHttp().getRequest<RequestWithAccess>().access;
  if (!access) throw new Error('RequestAccess on a route whose access rule is public');
  return access;
});
