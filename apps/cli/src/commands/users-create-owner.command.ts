/**
 * `wendao users create-owner`: the first owner of an organisation (or another owner), straight in the
 * server's database — DATABASE_URL, else the embedded PostgreSQL under WENDAO_DATA_DIR (stop the
 * server first: one data folder, one PostgreSQL). Migrations run first, so it works on a fresh
 * install before the server ever started. The password comes from --password or, kept out of the
 * shell history, from standard input (--password-stdin: piped, or typed at a prompt without echo
 * when it is a terminal); there is no default password.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { AuthRepository } from '../../../api/src/auth/auth.repository';
import { createOwner, newOwnerProblem } from '../../../api/src/auth/first-owner';
import type { CliConfig } from '../cli-config';
import { withDatabase, type CommandOutcome } from '../cli-database';
import { printOutcome } from './print-outcome';

export interface CreateOwnerOptions {
  email: string;
  organisation: string;
  name?: string;
  password?: string;
  passwordStdin?: boolean;
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  // One trailing newline is the terminal's or echo's, not the password's.
  return text.replace(/\r?\n$/, '');
}

/**
 * The password typed at a terminal: a `Password: ` prompt (on stderr), nothing echoed, one line.
 * Read to the end of input as from a pipe, the documented `--password-stdin` showed no prompt,
 * echoed the password on the screen and, after Enter, waited for a Ctrl-D nobody knew to type.
 */
async function readPasswordFromTerminal(
  terminal: NodeJS.ReadableStream,
  prompt: NodeJS.WritableStream,
): Promise<string> {
  prompt.write('Password: ');
  // readline edits the line in raw mode (backspace, Ctrl-C) and echoes to its output: to nowhere.
  const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: terminal, output: nowhere, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once('line', resolve);
      rl.once('SIGINT', () => reject(new Error('cancelled: no owner created')));
      rl.once('close', () => reject(new Error('no password typed: no owner created')));
    });
  } finally {
    rl.close();
    prompt.write('\n');
  }
}

export async function createOwnerCommand(
  options: CreateOwnerOptions,
  database: CliConfig['database'],
  stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  prompt: NodeJS.WritableStream = process.stderr,
): Promise<CommandOutcome> {
  if (options.password !== undefined && options.passwordStdin)
    return { output: 'wendao: give --password or --password-stdin, not both', exitCode: 2 };
  // A mistyped email is said at once: before a password is asked for and before a database (an
  // embedded PostgreSQL takes seconds) is started.
  const wrong = newOwnerProblem({ ...options, password: undefined });
  if (wrong) return { output: `wendao: ${wrong}`, exitCode: 1 };
  let password = options.password;
  if (options.passwordStdin)
    try {
      password = stdin.isTTY ? await readPasswordFromTerminal(stdin, prompt) : await readStdin(stdin);
    } catch (err) {
      return { output: `wendao: ${(err as Error).message}`, exitCode: 1 };
    }
  if (!password)
    return { output: 'wendao: a password is required: --password-stdin (or --password)', exitCode: 2 };
  const weak = newOwnerProblem({ ...options, password });
  if (weak) return { output: `wendao: ${weak}`, exitCode: 1 };
  return withDatabase(database, async (db) => {
    const made = await createOwner(new AuthRepository(db), {
      email: options.email,
      password,
      organisation: options.organisation,
      name: options.name,
    });
    return {
      output: `created owner ${options.email.trim()} of organisation "${made.organisationName}" (${made.organisationId}); start the server and log in at its admin console (/admin) or with POST /api/auth/login`,
      exitCode: 0,
    };
  });
}

export function registerUsersCommand(program: Command, config: CliConfig): void {
  const users = program.command('users').description('users of the Wendao server (its database)');
  users
    .command('create-owner')
    .description('create an owner of an organisation (made if no organisation has that name)')
    .requiredOption('--email <email>', "the owner's email, used to log in")
    .requiredOption('--organisation <name>', 'the organisation the owner owns')
    .option('--name <name>', 'display name')
    .option('--password <password>', 'the password (visible in the shell history: prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (flags: CreateOwnerOptions) =>
      printOutcome(await createOwnerCommand(flags, config.database)),
    );
}
