import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCliConfig } from './cli-config';
import { buildProgram, wendaoVersion } from './main';

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
