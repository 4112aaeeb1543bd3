/**
 * `wendao export` / `wendao import`: backup and restore of one organisation as a gzipped JSON archive,
 * straight against the server's database (DATABASE_URL, else the embedded PostgreSQL under
 * WENDAO_DATA_DIR: stop the server first), like `wendao users create-owner`. Migrations run first.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Command } from 'commander';
import {
  ArchiveError,
  exportOrganisation,
  findOrganisation,
  importOrganisation,
  parseArchive,
} from '../../../api/src/backup/organisation-archive';
import type { CliConfig } from '../cli-config';
import { withDatabase, type CommandOutcome as Outcome } from '../cli-database';
import { printLoggedOutcome } from './print-outcome';

export async function exportCommand(
  options: { organisation: string; out?: string },
  database: CliConfig['database'],
): Promise<Outcome> {
  return withDatabase(database, async (db) => {
    const org = await findOrganisation(db, options.organisation);
    const archive = await exportOrganisation(db, org.id);
    const out = options.out ?? `wendao-organisation-${org.id}.json.gz`;
    // Temp file and rename: an interrupted export never leaves a truncated archive under the name.
    writeFileSync(`${out}.tmp`, gzipSync(JSON.stringify(archive)));
    renameSync(`${out}.tmp`, out);
    const kbs = archive.tables.knowledge_base.length;
    return {
      output: [
        `exported organisation "${org.name}" (${org.id}): ${kbs} knowledge base(s), ${archive.tables.app_user.length} member(s) to ${out}`,
        "the archive holds the members' password hashes: keep it as safe as the database",
        `not carried: ${archive.notCarried.join('; ')}`,
      ].join('\n'),
      exitCode: 0,
    };
  });
}

export async function importCommand(
  file: string,
  options: { asNewOrganisation?: string },
  database: CliConfig['database'],
): Promise<Outcome> {
  let archive;
  try {
    const bytes = readFileSync(file);
    // gzip magic bytes: a plain JSON archive is read too.
    const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
    archive = parseArchive(JSON.parse(text));
  } catch (err) {
    const why =
      err instanceof ArchiveError
        ? err.message
        : // Some other file given by mistake (a CSV, the wrong .gz): say so, not only the parser's words.
          err instanceof SyntaxError
          ? `${file} is not a Wendao organisation archive (it holds no JSON, plain or gzipped: ${err.message}); give a file that wendao export wrote`
          : `cannot read ${file}: ${(err as Error).message}`;
    return { output: `wendao: ${why}`, exitCode: 1 };
  }
  return withDatabase(database, async (db) => {
    const made = await importOrganisation(db, archive, options);
    // A KB restored under its old id may still have a saved index in the server's data folder, of the
    // same version and counts as the restored one but other content: it would be loaded as it is.
    // Removed, the server builds the index from PostgreSQL on first use.
    for (const kbId of made.kbIds)
      rmSync(join(database.dataDir, 'indexes', kbId), { recursive: true, force: true });
    const lines = [
      `imported organisation "${made.organisationName}" (${made.organisationId}) with ${made.knowledgeBases} knowledge base(s); indexes are built on first use`,
      'API keys are not in the archive: issue new ones',
    ];
    if (made.existingUsers.length)
      lines.push(`already users here, their accounts kept: ${made.existingUsers.join(', ')}`);
    if (made.renamedKbs.length)
      lines.push(
        `knowledge bases the archive named alike (names are now unique per organisation), renamed: ${made.renamedKbs
          .map((r) => `"${r.from}" -> "${r.to}"`)
          .join(', ')}`,
      );
    return { output: lines.join('\n'), exitCode: 0 };
  });
}

export function registerBackupCommands(program: Command, config: CliConfig): void {
  program
    .command('export')
    .description('back up an organisation (its KBs, members, conversations ...) to a gzipped JSON archive')
    .requiredOption('--organisation <id|name>', 'the organisation, by id or name')
    .option('--out <file>', 'the archive to write (default wendao-organisation-<id>.json.gz)')
    .action(async (flags: { organisation: string; out?: string }) =>
      printLoggedOutcome(await exportCommand(flags, config.database), 'Export'),
    );
  program
    .command('import <file>')
    .description('restore an organisation from an archive, in one transaction (all or nothing)')
    .option('--as-new-organisation <name>', 'restore under fresh ids as a new organisation with this name')
    .action(async (file: string, flags: { asNewOrganisation?: string }) =>
      printLoggedOutcome(await importCommand(file, flags, config.database), 'Import'),
    );
}
