/**
 * Access control (issue 16): organisations own knowledge bases; users hold a role in each
 * organisation they belong to; login sessions and server-to-server API keys are stored as hashes of
 * their secrets only. KBs made before organisations existed go to a "Default organisation" (made
 * only when there are such KBs); the first owner created joins it.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Access1765300000000 implements MigrationInterface {
  name = 'Access1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`
      INSERT INTO organisation (name)
      SELECT 'Default organisation' WHERE EXISTS (SELECT 1 FROM knowledge_base)`);
    await q.query(
      `ALTER TABLE knowledge_base ADD COLUMN organisation_id uuid REFERENCES organisation(id) ON DELETE CASCADE`,
    );
    await q.query(`UPDATE knowledge_base SET organisation_id = (SELECT id FROM organisation LIMIT 1)`);
    await q.query(`ALTER TABLE knowledge_base ALTER COLUMN organisation_id SET NOT NULL`);
    await q.query(
      `CREATE INDEX knowledge_base_organisation_idx ON knowledge_base (organisation_id, created_at)`,
    );
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL DEFAULT '',
        -- argon2id, PHC string format (salt and parameters inside).
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_unique ON app_user (lower(email))`);
    await q.query(`
      CREATE TABLE membership (
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'editor', 'agent', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (organisation_id, user_id)
      )`);
    await q.query(`CREATE INDEX membership_user_idx ON membership (user_id)`);
    await q.query(`
      CREATE TABLE login_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- sha256 of the cookie's random token: a database leak gives no usable session.
        token_hash bytea NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_session_user_idx ON login_session (user_id)`);
    await q.query(`CREATE INDEX login_session_expires_idx ON login_session (expires_at)`);
    await q.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        -- Set: the key reaches this KB only.
        kb_id uuid REFERENCES knowledge_base(id) ON DELETE CASCADE,
        name text NOT NULL DEFAULT '',
        role text NOT NULL CHECK (role IN ('editor', 'agent', 'viewer')),
        -- The first characters of the key, to tell keys apart in a list.
        prefix text NOT NULL,
        key_hash bytea NOT NULL UNIQUE,
        created_by uuid REFERENCES app_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_key_organisation_idx ON api_key (organisation_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE login_session`);
    await q.query(`DROP TABLE membership`);
    await q.query(`DROP TABLE app_user`);
    await q.query(`ALTER TABLE knowledge_base DROP COLUMN organisation_id`);
    await q.query(`DROP TABLE organisation`);
  }
}
