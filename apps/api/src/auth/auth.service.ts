/**
 * Authentication and the access decision for one request: login sessions (a random token in an
 * httpOnly cookie, only its sha256 stored, with a CSRF token derived from it that cookie-carried
 * writes must echo in X-CSRF-Token), API keys (Authorization: Bearer), and the check of a route's
 * access rule against the caller's role in the organisation that owns what the route touches.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AccessEvents } from './access-events';
import { roleAtLeast, type AccessRule, type Role } from './access-rules';
import { AuthRepository, isUuid } from './auth.repository';
import { organisationsOf, roleIn, type Access, type Caller, type Membership } from './caller';
import { verifyPassword } from './password';

export const SESSION_COOKIE = 'wendao_session';
export const CSRF_HEADER = 'x-csrf-token';
export const API_KEY_PREFIX = 'wdk_';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const sha256 = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** The CSRF token of a session: derived from its secret, so it needs no storage and no second cookie. */
export const csrfTokenFor = (sessionToken: string): string =>
  createHash('sha256').update(`csrf\0${sessionToken}`).digest('base64url');

function sameSecret(a: string, b: string): boolean {
  const x = sha256(a);
  const y = sha256(b);
  return timingSafeEqual(x, y);
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface MeView {
  user: { id: string; email: string; name: string };
  memberships: Membership[];
  csrfToken: string;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: AuthRepository,
    private readonly events: AccessEvents,
  ) {}

  /** Checks the password and opens a session; returns the cookie's token and the /me body. */
  async login(email: string, password: string): Promise<{ token: string; me: MeView; expires: Date }> {
    const user = await this.repo.userByEmail(email.trim());
    // verifyPassword runs even for an unknown email, so timing does not tell which emails exist.
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok) throw new UnauthorizedException('wrong email or password');
    const token = randomBytes(32).toString('base64url');
    const expires = new Date(Date.now() + this.config.auth.sessionTtlHours * 3600_000);
    await this.repo.createSession(user.id, sha256(token), expires);
    return {
      token,
      expires,
      me: {
        user: { id: user.id, email: user.email, name: user.name },
        memberships: await this.repo.memberships(user.id),
        csrfToken: csrfTokenFor(token),
      },
    };
  }

  me(caller: Caller, req: Request): MeView {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (caller.kind !== 'user' || !token)
      throw new UnauthorizedException('GET /api/auth/me answers for a login session, not an API key');
    return {
      user: { id: caller.userId, email: caller.email, name: caller.name },
      memberships: caller.memberships,
      csrfToken: csrfTokenFor(token),
    };
  }

  async logout(caller: Caller): Promise<void> {
    if (caller.kind !== 'user') return;
    await this.repo.deleteSession(caller.sessionId);
    this.events.lost({ kind: 'login-session', sessionId: caller.sessionId });
  }

  cookieOptions(expires?: Date) {
    return {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: this.config.auth.cookieSecure,
      path: '/',
      ...(expires ? { expires } : {}),
    };
  }

  /** Who sends this request: an API key, else a live login session (writes must carry the CSRF header). */
  authenticate(req: Request): Promise<Caller> {
    const csrf = req.headers[CSRF_HEADER];
    return this.identify({
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      csrfToken: typeof csrf === 'string' ? csrf : undefined,
      needsCsrf: !SAFE_METHODS.has(req.method),
    });
  }

  /**
   * The caller behind a credential: `authorization` (Bearer API key) first, else the session cookie,
   * which must come with its CSRF token when `needsCsrf` (a write, or a socket connection).
   */
  async identify(c: {
    authorization?: string;
    cookie?: string;
    csrfToken?: string;
    needsCsrf: boolean;
  }): Promise<Caller> {
    if (c.authorization) {
      const key = /^Bearer\s+(\S+)\s*$/i.exec(c.authorization)?.[1];
      const stored = key?.startsWith(API_KEY_PREFIX) ? await this.repo.liveApiKey(sha256(key)) : undefined;
      if (!stored) throw new UnauthorizedException('unknown or revoked API key');
      return {
        kind: 'api-key',
        keyId: stored.id,
        organisationId: stored.organisationId,
        kbId: stored.kbId,
        role: stored.role,
        name: stored.name,
        prefix: stored.prefix,
      };
    }
    const token = cookieValue(c.cookie, SESSION_COOKIE);
    if (!token)
      throw new UnauthorizedException(
        'log in first (POST /api/auth/login) or send an API key as Authorization: Bearer <key>',
      );
    const session = await this.repo.sessionUser(sha256(token));
    if (!session) throw new UnauthorizedException('your session has expired or was logged out; log in again');
    if (c.needsCsrf) {
      if (!c.csrfToken)
        throw new ForbiddenException(
          'a request with the session cookie that changes something must send the X-CSRF-Token header (from login or GET /api/auth/me)',
        );
      if (!sameSecret(c.csrfToken, csrfTokenFor(token)))
        throw new ForbiddenException(
          "the X-CSRF-Token header is not this session's token: send the one from login or GET /api/auth/me",
        );
    }
    return {
      kind: 'user',
      userId: session.userId,
      email: session.email,
      name: session.name,
      sessionId: session.sessionId,
      memberships: session.memberships,
    };
  }

  /** Checks a route's rule for the caller; what it resolved (organisation, role) goes to the handler. */
  async authorize(caller: Caller, rule: AccessRule, req: Request): Promise<Access> {
    switch (rule.access) {
      case 'public':
      case 'signed-in':
        return { caller };
      case 'organisation': {
        const organisationId = this.organisationOf(caller, req);
        return {
          caller,
          organisationId,
          role: this.requireRole(caller, organisationId, rule.role, 'this organisation'),
        };
      }
      case 'any-organisation':
        if (!organisationsOf(caller).some((o) => roleAtLeast(roleIn(caller, o)!, rule.role)))
          throw new ForbiddenException(`this needs the ${rule.role} role (or above) in an organisation`);
        return { caller };
      case 'kb': {
        const kbId = String(req.params.id);
        const organisationId = await this.repo.kbOrganisation(kbId);
        const notFound = () => new NotFoundException(`knowledge base ${kbId} not found`);
        if (!organisationId || !this.reaches(caller, organisationId, kbId)) throw notFound();
        return {
          caller,
          organisationId,
          role: this.requireRole(caller, organisationId, rule.role, "the knowledge base's organisation"),
        };
      }
      case 'job': {
        const jobId = String(req.params.id);
        const owner = await this.repo.jobOwner(jobId);
        if (!owner || !this.reaches(caller, owner.organisationId, owner.kbId))
          throw new NotFoundException(`job ${jobId} not found`);
        const role = this.requireRole(
          caller,
          owner.organisationId,
          rule.role,
          "the knowledge base's organisation",
        );
        return { caller, organisationId: owner.organisationId, role };
      }
    }
  }

  /** Whether the caller belongs to the organisation (and, for a KB-scoped API key, to that KB). */
  private reaches(caller: Caller, organisationId: string, kbId: string): boolean {
    if (!roleIn(caller, organisationId)) return false;
    return caller.kind !== 'api-key' || caller.kbId === null || caller.kbId === kbId;
  }

  /** `where`: the organisation the role counts in, as the refusal names it. */
  private requireRole(caller: Caller, organisationId: string, needed: Role, where: string): Role {
    const role = roleIn(caller, organisationId);
    if (!role) throw new NotFoundException(`organisation ${organisationId} not found`);
    if (!roleAtLeast(role, needed))
      throw new ForbiddenException(`this needs the ${needed} role (or above) in ${where}; you have ${role}`);
    return role;
  }

  /** `:orgId`, else `organisationId` in the query or body, else the caller's only organisation. */
  private organisationOf(caller: Caller, req: Request): string {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const given = req.params.orgId ?? req.query.organisationId ?? body.organisationId;
    if (given !== undefined) {
      if (!isUuid(given))
        throw new NotFoundException(`organisation ${String(given).slice(0, 100)} not found`);
      return given;
    }
    const mine = organisationsOf(caller);
    if (mine.length === 1) return mine[0];
    if (mine.length === 0) throw new ForbiddenException('you belong to no organisation');
    throw new BadRequestException(`organisationId is required: you belong to ${mine.length} organisations`);
  }
}
