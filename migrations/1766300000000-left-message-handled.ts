/**
 * Messages customers left while no agent was online (customer messages with payload.leftForAgent)
 * become an inbox: who marked one handled and when, on the message row itself (so an organisation
 * archive carries it and older archives restore with every left message unhandled), and a partial
 * index that lists the left messages newest first without reading the other messages.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class LeftMessageHandled1766300000000 implements MigrationInterface {
  name = 'LeftMessageHandled1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message ADD COLUMN handled_at timestamptz, ADD COLUMN handled_by text`);
    await q.query(`
      CREATE INDEX message_left_for_agent_idx ON message (created_at DESC, id DESC)
       WHERE role = 'customer' AND (payload->>'leftForAgent') = 'true'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX message_left_for_agent_idx`);
    await q.query(`ALTER TABLE message DROP COLUMN handled_at, DROP COLUMN handled_by`);
  }
}
