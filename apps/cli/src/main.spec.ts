import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCliConfig } from './cli-config';
import { useLogging } from './commands/print-outcome';
import { buildProgram, run, wendaoVersion } from './main';

const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  version: string;
};

describe('wendao --version', () => {
  it("prints package.json's version for --version and -V", async () => {
    expect(wendaoVersion()).toBe(version);
    for (const flag of ['--version', '-V']) {
      let printed = '';
      const program = buildProgram(loadCliConfig({}))
        .exitOverride()
        .configureOutput({ writeOut: (text) => (printed += text) });
      await expect(program.parseAsync(['node', 'wendao', flag])).rejects.toMatchObject({
        code: 'commander.version',
      });
      expect(printed.trim()).toBe(version);
    }
  });
});

describe('wendao --help', () => {
  it('names every command it has in its summary line, and none it does not have', () => {
    const program = buildProgram(loadCliConfig({}));
    const names = program.commands.map((c) => c.name());
    expect(names).toEqual(
      expect.arrayContaining(['ask', 'search', 'models', 'eval', 'users', 'export', 'import']),
    );
    expect(program.description()).toBe(`Wendao (问道) FAQ question answering: ${names.join(', ')}`);
  });
});

describe("README's Command line section", () => {
  it('lists every command wendao has', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const section = /\n## Command line\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const listed = [...section.matchAll(/`wendao ([a-z-]+)/g)].map((m) => m[1]);
    const names = buildProgram(loadCliConfig({})).commands.map((c) => c.name());
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !listed.includes(name))).toEqual([]);
  });
});

describe('error lines under WENDAO_LOG_FORMAT', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    useLogging(undefined);
    process.exitCode = undefined;
  });

  /** What `run` (or `work`) wrote to stderr, line by line. */
  const stderrOf = async (work: () => Promise<unknown>): Promise<string[]> => {
    let written = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    });
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => (written += `${args.join(' ')}\n`));
    await work();
    return written.trim().split('\n');
  };
  const badEmail = [
    'node',
    'wendao',
    'users',
    'create-owner',
    '--email',
    'bad',
    '--organisation',
    'S',
    '--password',
    'long enough',
  ];

  it("are JSON entries like the server's with JSON logs: a bad variable, a refused command, a usage error", async () => {
    const json = { WENDAO_LOG_FORMAT: 'json' };
    const variable = await stderrOf(() =>
      run(['node', 'wendao', 'models', 'list'], { ...json, DATABASE_URL: 'nope' }),
    );
    expect(variable).toHaveLength(1);
    expect(JSON.parse(variable[0])).toMatchObject({
      level: 'error',
      context: 'Wendao',
      message: expect.stringMatching(/^DATABASE_URL/),
    });
    expect(process.exitCode).toBe(1);
    const refused = await stderrOf(() =>
      run(badEmail, { ...json, DATABASE_URL: 'postgres://u@127.0.0.1:1/x' }),
    );
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0])).toMatchObject({
      level: 'error',
      context: 'Wendao',
      message: '"bad" is not an email address',
    });
    expect(process.exitCode).toBe(1);
    const program = buildProgram(loadCliConfig(json)).exitOverride();
    const usage = await stderrOf(() =>
      program.parseAsync(['node', 'wendao', 'users', 'create-owner', '--email']).catch(() => undefined),
    );
    expect(usage).toHaveLength(1);
    expect(JSON.parse(usage[0])).toMatchObject({
      level: 'error',
      message: "option '--email <email>' argument missing",
    });
  });

  it("stay 'wendao: <why>' lines with text logs", async () => {
    const refused = await stderrOf(() => run(badEmail, { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' }));
    expect(refused).toEqual(['wendao: "bad" is not an email address']);
    const variable = await stderrOf(() =>
      run(['node', 'wendao', 'models', 'list'], { DATABASE_URL: 'nope' }),
    );
    expect(variable).toHaveLength(1);
    expect(variable[0]).toMatch(/^wendao: DATABASE_URL/);
  });
});
