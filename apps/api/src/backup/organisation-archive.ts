/**
 * Backup and restore of one organisation (`wendao export` / `wendao import`): every row the
 * organisation owns, table by table with its ids, as one versioned JSON document. Rows are read and
 * written by PostgreSQL itself (to_jsonb / jsonb_populate_recordset), so every type round-trips
 * exactly; restore is one transaction, all or nothing. Embeddings, index sequence numbers and
 * queued uploads' bytes are left out: the server recomputes them from PostgreSQL as usual.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { DataSource, EntityManager } from 'typeorm';
import { KnowledgeBaseSettingsDto } from '../knowledge-bases/knowledge-base.dto';

export const ARCHIVE_FORMAT = 'wendao-organisation';
export const ARCHIVE_FORMAT_VERSION = 1;

/** What an archive deliberately does not hold; printed by the CLI and written into the archive. */
export const NOT_CARRIED = [
  'API keys (only hashes of their secrets are stored: re-issue them after a restore)',
  'login sessions (members log in again)',
  'ingestion jobs (upload history; the documents they produced are carried)',
  'passage embeddings and saved indexes (recomputed from PostgreSQL on first use)',
  'trained intent classifiers (trained again from the intents and their examples on first use)',
  'analytics rollups (rebuilt by the triggers of question_event and message_feedback on import)',
];

const KBS = 'SELECT id FROM knowledge_base WHERE organisation_id = $1';
const CONVERSATIONS = `SELECT id FROM conversation WHERE kb_id IN (${KBS})`;

interface TableSpec {
  table: string;
  /** Selects the organisation's rows ($1 = organisation id). */
  where: string;
  /** Deterministic order (ids are kept, so two databases list rows alike). */
  orderBy: string;
  /** Columns left out (recomputed, or not portable). */
  omit?: string[];
}

/** In foreign-key order: restore inserts top to bottom. */
const TABLES: TableSpec[] = [
  { table: 'organisation', where: 'id = $1', orderBy: 'id' },
  {
    table: 'app_user',
    where: 'id IN (SELECT user_id FROM membership WHERE organisation_id = $1)',
    orderBy: 'id',
  },
  { table: 'membership', where: 'organisation_id = $1', orderBy: 'user_id' },
  { table: 'knowledge_base', where: 'organisation_id = $1', orderBy: 'id' },
  { table: 'document', where: `kb_id IN (${KBS})`, orderBy: 'id' },
  {
    table: 'passage',
    where: `kb_id IN (${KBS})`,
    orderBy: 'id',
    omit: ['seq', 'embedding', 'embedding_model'],
  },
  { table: 'faq_entry', where: `kb_id IN (${KBS})`, orderBy: 'id', omit: ['seq'] },
  { table: 'widget_key', where: `kb_id IN (${KBS})`, orderBy: 'id' },
  { table: 'intent', where: `kb_id IN (${KBS})`, orderBy: 'id' },
  // In the order they were given (seq is numbered afresh, in that order, by the target database).
  { table: 'intent_example', where: `kb_id IN (${KBS})`, orderBy: 'seq', omit: ['seq'] },
  { table: 'kb_intent_revision', where: `kb_id IN (${KBS})`, orderBy: 'kb_id' },
  { table: 'conversation', where: `kb_id IN (${KBS})`, orderBy: 'id' },
  { table: 'message', where: `conversation_id IN (${CONVERSATIONS})`, orderBy: 'id' },
  {
    table: 'message_feedback',
    where: `message_id IN (SELECT id FROM message WHERE conversation_id IN (${CONVERSATIONS}))`,
    orderBy: 'message_id',
  },
  // Identity ids (bigint) are numbered afresh by the target database.
  { table: 'question_event', where: `kb_id IN (${KBS})`, orderBy: 'created_at, id', omit: ['id'] },
  {
    table: 'audit_log',
    where: 'organisation_id = $1',
    orderBy: 'id',
    omit: ['id', 'actor_api_key_id'],
  },
];

type Row = Record<string, unknown>;

export interface OrganisationArchive {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  exportedAt: string;
  organisation: { id: string; name: string };
  notCarried: string[];
  tables: Record<string, Row[]>;
}

/** A refusal the CLI prints as is (exit code 1); the database is left unchanged. */
export class ArchiveError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findOrganisation(
  db: DataSource,
  idOrName: string,
): Promise<{ id: string; name: string }> {
  const rows: { id: string; name: string }[] = UUID.test(idOrName)
    ? await db.query('SELECT id, name FROM organisation WHERE id = $1', [idOrName])
    : await db.query('SELECT id, name FROM organisation WHERE name = $1', [idOrName]);
  if (rows.length === 0) throw new ArchiveError(`no organisation "${idOrName}"`);
  if (rows.length > 1)
    throw new ArchiveError(`${rows.length} organisations are named "${idOrName}": give the id instead`);
  return rows[0];
}

export async function exportOrganisation(
  db: DataSource,
  organisationId: string,
  now: Date = new Date(),
): Promise<OrganisationArchive> {
  // One snapshot: a server writing meanwhile cannot give a half-old, half-new archive.
  return db.transaction('REPEATABLE READ', async (m) => {
    // Timestamps in UTC whatever the server's TimeZone: two databases give the same archive text.
    await m.query(`SET LOCAL TimeZone = 'UTC'`);
    const [org]: { id: string; name: string }[] = await m.query(
      'SELECT id, name FROM organisation WHERE id = $1',
      [organisationId],
    );
    if (!org) throw new ArchiveError(`no organisation ${organisationId}`);
    const tables: Record<string, Row[]> = {};
    for (const spec of TABLES) {
      const omit = (spec.omit ?? []).map((c) => ` - '${c}'`).join('');
      const rows: { row: Row }[] = await m.query(
        `SELECT to_jsonb(t)${omit} AS row FROM ${spec.table} t WHERE ${spec.where} ORDER BY ${spec.orderBy}`,
        [organisationId],
      );
      tables[spec.table] = rows.map((r) => r.row);
    }
    return {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      exportedAt: now.toISOString(),
      organisation: org,
      notCarried: NOT_CARRIED,
      tables,
    };
  });
}

/** Checks the archive's shape before anything is written. */
export function parseArchive(data: unknown): OrganisationArchive {
  const a = data as Partial<OrganisationArchive> | null;
  if (!a || typeof a !== 'object' || a.format !== ARCHIVE_FORMAT)
    throw new ArchiveError(`not a Wendao organisation archive (format should be "${ARCHIVE_FORMAT}")`);
  if (a.formatVersion !== ARCHIVE_FORMAT_VERSION)
    throw new ArchiveError(
      `archive format version ${String(a.formatVersion)} is not supported (this Wendao reads version ${ARCHIVE_FORMAT_VERSION})`,
    );
  if (!a.organisation || typeof a.organisation.id !== 'string' || !UUID.test(a.organisation.id))
    throw new ArchiveError('the archive names no organisation id');
  if (!a.tables || typeof a.tables !== 'object') throw new ArchiveError('the archive holds no tables');
  for (const name of Object.keys(a.tables))
    if (!TABLES.some((s) => s.table === name))
      throw new ArchiveError(`unknown table "${name}" in the archive`);
  for (const spec of TABLES) {
    const rows = a.tables[spec.table];
    if (!Array.isArray(rows) || rows.some((r) => !r || typeof r !== 'object' || Array.isArray(r)))
      throw new ArchiveError(`table ${spec.table}: expected a list of rows`);
  }
  const orgRows = a.tables.organisation!;
  if (orgRows.length !== 1 || orgRows[0].id !== a.organisation.id)
    throw new ArchiveError('the organisation table does not match the archive organisation');
  checkOwnership(a as OrganisationArchive);
  // KB settings are read by the server as the API validated them: the same DTO checks them here.
  for (const kb of a.tables.knowledge_base) {
    const errors = validateSync(plainToInstance(KnowledgeBaseSettingsDto, kb.settings ?? {}), {
      forbidNonWhitelisted: true,
      whitelist: true,
    });
    if (
      typeof kb.settings !== 'object' ||
      kb.settings === null ||
      Array.isArray(kb.settings) ||
      errors.length
    )
      throw new ArchiveError(
        `knowledge base ${String(kb.id)}: invalid settings (${errors.map((e) => e.property).join(', ') || 'not an object'})`,
      );
  }
  return a as OrganisationArchive;
}

/**
 * Every row must hang off the archive's own organisation, KBs, conversations and messages: a
 * hand-edited archive cannot attach rows to another organisation's KB through a foreign key.
 */
function checkOwnership(a: OrganisationArchive): void {
  const t = a.tables;
  const idsOf = (table: string, column = 'id') => new Set(t[table].map((r) => r[column]));
  const belongs = (table: string, column: string, allowed: Set<unknown>) => {
    for (const row of t[table])
      if (!allowed.has(row[column]))
        throw new ArchiveError(`table ${table}: ${column} ${String(row[column])} is not part of the archive`);
  };
  const org = new Set([a.organisation.id]);
  const kbs = idsOf('knowledge_base');
  belongs('membership', 'organisation_id', org);
  belongs('membership', 'user_id', idsOf('app_user'));
  belongs('knowledge_base', 'organisation_id', org);
  belongs('audit_log', 'organisation_id', org);
  for (const table of [
    'document',
    'passage',
    'faq_entry',
    'widget_key',
    'intent',
    'intent_example',
    'kb_intent_revision',
    'conversation',
    'question_event',
  ])
    belongs(table, 'kb_id', kbs);
  belongs('intent_example', 'intent_id', idsOf('intent'));
  belongs('message', 'conversation_id', idsOf('conversation'));
  belongs('message_feedback', 'message_id', idsOf('message'));
  const docs = idsOf('document');
  belongs('passage', 'document_id', docs);
  belongs('faq_entry', 'document_id', new Set([...docs, null]));
  belongs('conversation', 'widget_key_id', new Set([...idsOf('widget_key'), null]));
}

/** Replaces every string equal to a remapped id, at any depth (foreign keys, jsonb state). */
function remap(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => remap(v, ids));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, ids)]));
  return value;
}

export interface ImportOptions {
  /** Restore under fresh ids as a new organisation with this name. */
  asNewOrganisation?: string;
}

export interface ImportResult {
  organisationId: string;
  organisationName: string;
  knowledgeBases: number;
  /** The restored KBs' ids (as in the archive unless restored as a new organisation). */
  kbIds: string[];
  /** Members whose email already had a user here: their existing account (and password) is kept. */
  existingUsers: string[];
  /** KBs the archive named alike (written before names were unique), restored under a free name. */
  renamedKbs: { from: string; to: string }[];
}

/**
 * The archive's KB rows with names unique in any case, as the database requires since migration
 * 1767100000000: an archive written before may hold KBs named alike. As that migration does, the
 * oldest keeps the name and each later one gets the first free "name (2)", "name (3)"…
 */
export function distinctKbNames(rows: Row[]): { rows: Row[]; renamed: { from: string; to: string }[] } {
  const key = (name: string) => name.toLowerCase();
  const taken = new Set(rows.map((r) => key(String(r.name))));
  const kept = new Set<string>();
  const renamed: { from: string; to: string }[] = [];
  const byAge = [...rows].sort(
    (a, b) =>
      Date.parse(String(a.created_at)) - Date.parse(String(b.created_at)) ||
      String(a.id).localeCompare(String(b.id)),
  );
  const names = new Map<Row, string>();
  for (const row of byAge) {
    const name = String(row.name);
    if (!kept.has(key(name))) {
      kept.add(key(name));
      continue;
    }
    let n = 2;
    while (taken.has(key(`${name} (${n})`))) n++;
    taken.add(key(`${name} (${n})`));
    names.set(row, `${name} (${n})`);
    renamed.push({ from: name, to: `${name} (${n})` });
  }
  return { rows: rows.map((r) => (names.has(r) ? { ...r, name: names.get(r) } : r)), renamed };
}

export async function importOrganisation(
  db: DataSource,
  archive: OrganisationArchive,
  options: ImportOptions = {},
): Promise<ImportResult> {
  return db.transaction(async (m) => {
    const ids = new Map<string, string>();
    const tables = archive.tables;
    const kbIds = tables.knowledge_base.map((k) => String(k.id));
    if (options.asNewOrganisation !== undefined) {
      if (!options.asNewOrganisation.trim()) throw new ArchiveError('--as-new-organisation needs a name');
      for (const spec of TABLES)
        for (const row of tables[spec.table])
          if (typeof row.id === 'string' && UUID.test(row.id)) ids.set(row.id, randomUUID());
    } else {
      const [org]: unknown[] = await m.query('SELECT 1 FROM organisation WHERE id = $1', [
        archive.organisation.id,
      ]);
      if (org)
        throw new ArchiveError(
          `organisation ${archive.organisation.id} already exists here: restore it with --as-new-organisation <name>`,
        );
      const taken: { id: string }[] = await m.query(
        'SELECT id FROM knowledge_base WHERE id = ANY($1::uuid[])',
        [kbIds],
      );
      if (taken.length)
        throw new ArchiveError(
          `knowledge base ${taken.map((t) => t.id).join(', ')} already exists here: restore with --as-new-organisation <name>`,
        );
    }
    // Users are global: a member whose email is already a user here keeps that account.
    const existingUsers: string[] = [];
    const users: Row[] = [];
    for (const user of tables.app_user) {
      const [found]: { id: string }[] = await m.query(
        'SELECT id FROM app_user WHERE lower(email) = lower($1)',
        [String(user.email)],
      );
      if (found) {
        ids.set(String(user.id), found.id);
        existingUsers.push(String(user.email));
      } else users.push(user);
    }
    const kbs = distinctKbNames(tables.knowledge_base);
    const rowsOf = (spec: TableSpec): Row[] => {
      let rows =
        spec.table === 'app_user' ? users : spec.table === 'knowledge_base' ? kbs.rows : tables[spec.table];
      if (spec.table === 'organisation' && options.asNewOrganisation !== undefined)
        rows = rows.map((r) => ({ ...r, name: options.asNewOrganisation!.trim() }));
      // A widget key is public and unique: the copy gets its own (same form as WidgetKeysService's),
      // never used yet.
      if (spec.table === 'widget_key' && options.asNewOrganisation !== undefined)
        rows = rows.map((r) => ({
          ...r,
          key: `wk_${randomBytes(24).toString('base64url')}`,
          last_used_at: null,
        }));
      return rows.map((r) => remap(r, ids) as Row);
    };
    for (const spec of TABLES) await insertRows(m, spec, rowsOf(spec));
    const organisationId = ids.get(archive.organisation.id) ?? archive.organisation.id;
    const [org]: { name: string }[] = await m.query('SELECT name FROM organisation WHERE id = $1', [
      organisationId,
    ]);
    return {
      organisationId,
      organisationName: org.name,
      knowledgeBases: kbIds.length,
      kbIds: kbIds.map((id) => ids.get(id) ?? id),
      existingUsers,
      renamedKbs: kbs.renamed,
    };
  });
}

async function insertRows(m: EntityManager, spec: TableSpec, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const known: { column_name: string }[] = await m.query(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [spec.table],
  );
  const allowed = new Set(known.map((c) => c.column_name));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  for (const c of columns)
    if (!allowed.has(c) || spec.omit?.includes(c))
      throw new ArchiveError(`table ${spec.table}: unknown column "${c}" in the archive`);
  const list = columns.map((c) => `"${c}"`).join(', ');
  // Columns absent from a row (left out on export) take their defaults only when absent from every
  // row; a column a row lacks is NULL, which the table's constraints check.
  // In batches: one parameter per batch stays far below PostgreSQL's and V8's string limits.
  for (let i = 0; i < rows.length; i += INSERT_BATCH)
    await m.query(
      `INSERT INTO ${spec.table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${spec.table}, $1::jsonb)`,
      [JSON.stringify(rows.slice(i, i + INSERT_BATCH))],
    );
}

const INSERT_BATCH = 2000;
