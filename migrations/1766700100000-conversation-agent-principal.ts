/**
 * Who has a conversation is the agent's authenticated principal (`user:<id>`, `key:<id>`, or
 * `token:<label>` for the deployment-wide agent token), not the label the agent's client sent:
 * `agent_id` stays the label shown in transcripts. Rows stored before it have no principal: nobody
 * owns them, and a server start hands such a conversation still with an agent back to the bot. The
 * partial index finds an agent's open conversations (on join, and when it does not come back).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConversationAgentPrincipal1766700100000 implements MigrationInterface {
  name = 'ConversationAgentPrincipal1766700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversation ADD COLUMN agent_principal text`);
    await q.query(
      `CREATE INDEX conversation_agent_principal_idx ON conversation (agent_principal)
         WHERE status = 'open' AND agent_principal IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX conversation_agent_principal_idx`);
    await q.query(`ALTER TABLE conversation DROP COLUMN agent_principal`);
  }
}
