/**
 * A widget key may have a name (a label such as "Shop A (www)"), so that an admin with several shops
 * or sites tells its keys apart. Optional: keys made before it have none. The API trims it and keeps
 * it to one line of at most 80 characters; the check is the database's last word on it.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class WidgetKeyName1766600000000 implements MigrationInterface {
  name = 'WidgetKeyName1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE widget_key ADD COLUMN name text
         CONSTRAINT widget_key_name_check CHECK (name IS NULL OR char_length(name) BETWEEN 1 AND 80)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget_key DROP COLUMN name`);
  }
}
