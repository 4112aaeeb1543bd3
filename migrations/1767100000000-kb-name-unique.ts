/**
 * A knowledge base's name is its organisation's only, in any case (the 409 kb_name_taken), and the
 * database now says so: a unique index on (organisation_id, lower(name)), the comparison
 * KnowledgeBaseRepository.nameTaken makes. The service's check alone let two creates (or a create and
 * a rename, or an import) of one name at the same instant both succeed.
 *
 * Versions before that check allowed KBs named alike. The oldest of each such group keeps its name;
 * each later one (by creation) gets the first free "name (2)", "name (3)"… as an import does, nothing
 * else of it changed. Each rename is logged and written to the organisation's audit log (action
 * `upgrade KbNameUnique1767100000000`, before/after the name), so its owners can see why. down() drops
 * the index only: the renamed KBs keep their new names.
 */
import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class KbNameUnique1767100000000 implements MigrationInterface {
  name = 'KbNameUnique1767100000000';

  async up(q: QueryRunner): Promise<void> {
    // Blocks KB writes (not reads) of older replicas still running from here to the commit: a KB
    // named alike inserted after the renames would make the index fail.
    await q.query('LOCK TABLE knowledge_base IN SHARE ROW EXCLUSIVE MODE');
    const rows: { id: string; organisation_id: string; name: string; key: string }[] = await q.query(
      `SELECT id, organisation_id, name, lower(name) AS key FROM knowledge_base
        ORDER BY organisation_id, created_at, id`,
    );
    const taken = new Map<string, Set<string>>();
    for (const r of rows) {
      const keys = taken.get(r.organisation_id) ?? new Set<string>();
      keys.add(r.key);
      taken.set(r.organisation_id, keys);
    }
    const kept = new Set<string>();
    const logger = new Logger('Database');
    for (const r of rows) {
      const group = `${r.organisation_id}\n${r.key}`;
      if (!kept.has(group)) {
        kept.add(group);
        continue;
      }
      // lower() leaves " (n)" as it is, so the candidate's key is the name's key with the suffix.
      const keys = taken.get(r.organisation_id)!;
      let n = 2;
      while (keys.has(`${r.key} (${n})`)) n++;
      keys.add(`${r.key} (${n})`);
      const name = `${r.name} (${n})`;
      await q.query('UPDATE knowledge_base SET name = $2, updated_at = now() WHERE id = $1', [r.id, name]);
      await q.query(
        `INSERT INTO audit_log (organisation_id, actor, action, kb_id, target_id, before, after)
         VALUES ($1, 'Wendao upgrade', $2, $3, $4, $5, $6)`,
        [r.organisation_id, `upgrade ${this.name}`, r.id, r.id, { name: r.name }, { name }],
      );
      logger.warn(
        `knowledge base ${r.id} renamed "${r.name}" -> "${name}": an older KB of its organisation ` +
          `(${r.organisation_id}) has that name, and KB names are now unique per organisation`,
      );
    }
    await q.query(
      'CREATE UNIQUE INDEX knowledge_base_organisation_name_key ON knowledge_base (organisation_id, lower(name))',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX knowledge_base_organisation_name_key');
  }
}
