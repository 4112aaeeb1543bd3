/**
 * The repository rule, enforced: queries live in `*.repository.ts` (where every one is scoped by KB
 * or organisation), so no service, controller, gateway or helper under apps/api/src may hold SQL,
 * reach for the data source, or build queries itself. The few files below are allowed by name,
 * each for its reason; anything new that needs the database gets a repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..');

const ALLOWED: Record<string, string> = {
  'database/embedded-database.ts': 'database bootstrap: creates the database on first start',
  'database/connect-and-migrate.ts':
    'database bootstrap: opens the data source and applies the migrations (server and CLI)',
  'config/postgres-reachable.ts': 'start-up check of DATABASE_URL: SELECT 1 is the check itself',
  'health/health.controller.ts': 'readiness probe: SELECT 1 is the check itself',
  'indexes/kb-version-listener.ts': 'LISTEN on its own connection: database notifications, not a query',
  'backup/organisation-archive.ts': "the backup's table-by-table dump and restore of one organisation",
  'database/advisory-lock.ts':
    'pg_advisory_lock on a connection of its own: processes taking turns (migrations, demo seeding), no data',
};

const RULES: { name: string; pattern: RegExp }[] = [
  {
    name: 'SQL text',
    pattern: /\bSELECT\s+[\w*("]|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|pg_advisory/,
  },
  { name: 'a raw query call', pattern: /\.query\s*[(<]/ },
  { name: 'getRepository', pattern: /\bgetRepository\s*\(/ },
  { name: 'createQueryBuilder', pattern: /\bcreateQueryBuilder\s*\(/ },
  { name: 'the data source injected', pattern: /@InjectDataSource\b|@InjectRepository\b|\bnew DataSource\b/ },
];

/** Code without its comments (a comment may well say "SELECT"). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The rules a file's text breaks, by name. */
export function rawSqlFindings(text: string): string[] {
  const body = code(text);
  return RULES.filter((r) => r.pattern.test(body)).map((r) => r.name);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('queries live in repositories', () => {
  it('finds SQL, raw queries and query builders where they are not allowed', () => {
    // The check itself must be able to fail: each of these is what a service must not do.
    expect(
      rawSqlFindings("await this.db.query('SELECT id FROM faq_entry WHERE kb_id = $1', [kbId]);"),
    ).toEqual(['SQL text', 'a raw query call']);
    expect(rawSqlFindings('const qb = m.getRepository(FaqEntry).createQueryBuilder("f");')).toEqual([
      'getRepository',
      'createQueryBuilder',
    ]);
    expect(rawSqlFindings('constructor(@InjectDataSource() private readonly db: DataSource) {}')).toEqual([
      'the data source injected',
    ]);
    expect(rawSqlFindings('`UPDATE ingestion_job SET status = $2`')).toEqual(['SQL text']);
    // Words in comments and ordinary calls are not queries.
    expect(
      rawSqlFindings('// SELECT the row under a lock\nconst q = req.query;\nthis.repo.page(kbId, q);'),
    ).toEqual([]);
  });

  it('no file under apps/api/src but a repository (or an allowed one) holds a query', () => {
    const offenders = sources(SRC)
      .map((path) => relative(SRC, path).split(sep).join('/'))
      .filter((path) => !path.endsWith('.repository.ts') && !(path in ALLOWED))
      .map((path) => ({ path, found: rawSqlFindings(readFileSync(join(SRC, path), 'utf8')) }))
      .filter((f) => f.found.length > 0)
      .map((f) => `${f.path}: ${f.found.join(', ')}`);
    expect(offenders).toEqual([]);
  });

  it('allows only files that exist and still need it', () => {
    for (const path of Object.keys(ALLOWED))
      expect(rawSqlFindings(readFileSync(join(SRC, path), 'utf8')), path).not.toEqual([]);
  });
});
