/**
 * The queries of access control: organisations, users and memberships, login sessions and API keys
 * (by the sha256 of their secret), and which organisation a KB or job belongs to. Used by the API
 * and by `wendao users create-owner`, so it needs only a DataSource.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';
import type { Role } from './access-rules';
import type { Membership } from './caller';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  since: Date;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  kbId: string | null;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
}

/** How fresh an API key's last_used_at is kept: written at most once per this many seconds. */
export const API_KEY_USE_RESOLUTION_S = 60;

export interface StoredApiKey {
  id: string;
  organisationId: string;
  kbId: string | null;
  role: Role;
  /** What its owner called it ('' when unnamed), and its display prefix (`wdk_` and 6 characters). */
  name: string;
  prefix: string;
}

/** KB -> organisation pairs kept in memory (a few MB at most). */
const KB_ORGANISATIONS_KEPT = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Lookups by an id from a URL: a malformed id is simply not found. */
export const isUuid = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);

const API_KEY_COLUMNS = `id, name, prefix, kb_id AS "kbId", role, created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

@Injectable()
export class AuthRepository {
  private readonly organisationOfKb = new Map<string, string>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (repo: AuthRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((m: EntityManager) => work(new AuthRepository(m as unknown as DataSource)));
  }

  async userCount(): Promise<number> {
    const [{ count }]: { count: number }[] = await this.db.query(
      'SELECT count(*)::int AS count FROM app_user',
    );
    return count;
  }

  async userByEmail(email: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.db.query(
      `SELECT id, email, name, password_hash AS "passwordHash" FROM app_user WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0];
  }

  async createUser(email: string, name: string, passwordHash: string): Promise<string> {
    const [{ id }]: { id: string }[] = await this.db.query(
      'INSERT INTO app_user (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id',
      [email, name, passwordHash],
    );
    return id;
  }

  async organisations(): Promise<{ id: string; name: string; members: number }[]> {
    return this.db.query(
      `SELECT o.id, o.name, (SELECT count(*) FROM membership m WHERE m.organisation_id = o.id)::int AS members
       FROM organisation o ORDER BY o.created_at`,
    );
  }

  async createOrganisation(name: string): Promise<string> {
    const [{ id }]: { id: string }[] = await this.db.query(
      'INSERT INTO organisation (name) VALUES ($1) RETURNING id',
      [name],
    );
    return id;
  }

  async renameOrganisation(id: string, name: string): Promise<void> {
    await this.db.query('UPDATE organisation SET name = $2 WHERE id = $1', [id, name]);
  }

  /** The user's organisations and roles, oldest membership first. */
  async memberships(userId: string): Promise<Membership[]> {
    const rows: { memberships: Membership[] }[] = await this.db.query(
      `SELECT ${AuthRepository.MEMBERSHIPS_JSON} AS memberships FROM app_user u WHERE u.id = $1`,
      [userId],
    );
    return rows[0]?.memberships ?? [];
  }

  /**
   * The memberships of the user `u` of the query, as one JSON array column: memberships() and
   * sessionUser() (every signed-in request, one round trip) read it the same way.
   */
  private static readonly MEMBERSHIPS_JSON = `COALESCE((
       SELECT json_agg(json_build_object('organisationId', m.organisation_id, 'organisationName', o.name, 'role', m.role)
                       ORDER BY m.created_at)
       FROM membership m JOIN organisation o ON o.id = m.organisation_id WHERE m.user_id = u.id), '[]'::json)`;

  /** Adds the user to the organisation; false when already a member. */
  async addMembership(organisationId: string, userId: string, role: Role): Promise<boolean> {
    const rows = returningRows(
      await this.db.query(
        `INSERT INTO membership (organisation_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING user_id`,
        [organisationId, userId, role],
      ),
    );
    return rows.length === 1;
  }

  async members(organisationId: string): Promise<MemberView[]> {
    return this.db.query(
      `SELECT u.id AS "userId", u.email, u.name, m.role, m.created_at AS since
       FROM membership m JOIN app_user u ON u.id = m.user_id
       WHERE m.organisation_id = $1 ORDER BY m.created_at`,
      [organisationId],
    );
  }

  async member(organisationId: string, userId: string): Promise<MemberView | undefined> {
    return (await this.members(organisationId)).find((m) => m.userId === userId);
  }

  /** Locks the organisation's memberships (role changes that must keep an owner run one at a time). */
  async lockMemberships(organisationId: string): Promise<void> {
    await this.db.query('SELECT 1 FROM organisation WHERE id = $1 FOR UPDATE', [organisationId]);
  }

  async ownerCount(organisationId: string): Promise<number> {
    const [{ count }]: { count: number }[] = await this.db.query(
      `SELECT count(*)::int AS count FROM membership WHERE organisation_id = $1 AND role = 'owner'`,
      [organisationId],
    );
    return count;
  }

  async setRole(organisationId: string, userId: string, role: Role): Promise<void> {
    await this.db.query('UPDATE membership SET role = $3 WHERE organisation_id = $1 AND user_id = $2', [
      organisationId,
      userId,
      role,
    ]);
  }

  async removeMembership(organisationId: string, userId: string): Promise<void> {
    await this.db.query('DELETE FROM membership WHERE organisation_id = $1 AND user_id = $2', [
      organisationId,
      userId,
    ]);
  }

  async createSession(userId: string, tokenHash: Buffer, expiresAt: Date): Promise<void> {
    await this.db.query('INSERT INTO login_session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
      tokenHash,
      userId,
      expiresAt,
    ]);
  }

  /** The live session with this token hash and its user (an expired one is deleted on sight). */
  /** The live session's user with their memberships, in one query (every signed-in request runs it). */
  async sessionUser(tokenHash: Buffer): Promise<(SessionUser & { memberships: Membership[] }) | undefined> {
    const rows: (SessionUser & { expired: boolean; memberships: Membership[] })[] = await this.db.query(
      `SELECT s.id AS "sessionId", u.id AS "userId", u.email, u.name, s.expires_at <= now() AS expired,
              ${AuthRepository.MEMBERSHIPS_JSON} AS memberships
       FROM login_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.expired) {
      await this.db.query('DELETE FROM login_session WHERE id = $1', [row.sessionId]);
      return undefined;
    }
    const { sessionId, userId, email, name, memberships } = row;
    return { sessionId, userId, email, name, memberships };
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.query('DELETE FROM login_session WHERE id = $1', [sessionId]);
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db.query('DELETE FROM login_session WHERE expires_at <= now()');
  }

  async createApiKey(k: {
    organisationId: string;
    kbId: string | null;
    name: string;
    role: Role;
    prefix: string;
    keyHash: Buffer;
    createdBy: string | null;
  }): Promise<ApiKeyView> {
    const [row]: ApiKeyView[] = await this.db.query(
      `INSERT INTO api_key (organisation_id, kb_id, name, role, prefix, key_hash, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${API_KEY_COLUMNS}`,
      [k.organisationId, k.kbId, k.name, k.role, k.prefix, k.keyHash, k.createdBy],
    );
    return row;
  }

  /** A key that is not revoked; marks it used. */
  /**
   * The unrevoked key with this hash. Its last_used_at is written at most once a minute (a key that
   * asks hundreds of times a second would otherwise write its row on every request).
   */
  async liveApiKey(keyHash: Buffer): Promise<StoredApiKey | undefined> {
    const rows: StoredApiKey[] = await this.db.query(
      `WITH k AS (
         SELECT id, organisation_id, kb_id, role, name, prefix, last_used_at FROM api_key
         WHERE key_hash = $1 AND revoked_at IS NULL
       ), touched AS (
         UPDATE api_key SET last_used_at = now() FROM k
         WHERE api_key.id = k.id AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '${API_KEY_USE_RESOLUTION_S} seconds')
       )
       SELECT id, organisation_id AS "organisationId", kb_id AS "kbId", role, name, prefix FROM k`,
      [keyHash],
    );
    return rows[0];
  }

  async apiKeys(organisationId: string): Promise<ApiKeyView[]> {
    return this.db.query(
      `SELECT ${API_KEY_COLUMNS} FROM api_key WHERE organisation_id = $1 ORDER BY created_at`,
      [organisationId],
    );
  }

  /** Revokes a key of the organisation; false when it has no such key. */
  async revokeApiKey(organisationId: string, keyId: string): Promise<boolean> {
    const rows = returningRows(
      await this.db.query(
        `UPDATE api_key SET revoked_at = coalesce(revoked_at, now())
         WHERE organisation_id = $1 AND id = $2 RETURNING id`,
        [organisationId, keyId],
      ),
    );
    return rows.length === 1;
  }

  /**
   * The KB's organisation, which every KB-scoped request checks. A KB never changes organisation (an
   * archive restored as a new organisation gets new KB ids), so what was found is kept: up to
   * KB_ORGANISATIONS_KEPT KBs, forgotten when the KB is deleted (`forgetKb`, here and on the other
   * replicas' delete notifications). A KB not found is asked again each time.
   */
  async kbOrganisation(kbId: string): Promise<string | undefined> {
    if (!isUuid(kbId)) return undefined;
    const kept = this.organisationOfKb.get(kbId);
    if (kept) return kept;
    const rows: { organisation_id: string }[] = await this.db.query(
      'SELECT organisation_id FROM knowledge_base WHERE id = $1',
      [kbId],
    );
    const organisationId = rows[0]?.organisation_id;
    if (organisationId) {
      if (this.organisationOfKb.size >= KB_ORGANISATIONS_KEPT)
        this.organisationOfKb.delete(this.organisationOfKb.keys().next().value!);
      this.organisationOfKb.set(kbId, organisationId);
    }
    return organisationId;
  }

  /** A deleted KB: its requests reach the database again (and find nothing). */
  forgetKb(kbId: string): void {
    this.organisationOfKb.delete(kbId);
  }

  /** The KB's organisation, for many KBs at once. */
  async kbOrganisations(kbIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; organisation_id: string }[] = kbIds.length
      ? await this.db.query('SELECT id, organisation_id FROM knowledge_base WHERE id = ANY($1::uuid[])', [
          kbIds.filter(isUuid),
        ])
      : [];
    return new Map(rows.map((r) => [r.id, r.organisation_id]));
  }

  /** The KB and organisation of an ingestion job. */
  async jobOwner(jobId: string): Promise<{ kbId: string; organisationId: string } | undefined> {
    if (!isUuid(jobId)) return undefined;
    const rows: { kbId: string; organisationId: string }[] = await this.db.query(
      `SELECT j.kb_id AS "kbId", k.organisation_id AS "organisationId"
       FROM ingestion_job j JOIN knowledge_base k ON k.id = j.kb_id WHERE j.id = $1`,
      [jobId],
    );
    return rows[0];
  }
}
