import { PassThrough, Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthRepository } from '../../../api/src/auth/auth.repository';
import { verifyPassword } from '../../../api/src/auth/password';
import { createTestDatabase } from '../../../api/test/support/test-app';
import { createOwnerCommand } from './users-create-owner.command';

describe('wendao users create-owner', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const config = () => ({ url: database.url, dataDir: '/nonexistent', embeddedPgDir: '/nonexistent' });
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('migrates a fresh database and creates the owner with the password from stdin, hashed with argon2id', async () => {
    const out = await createOwnerCommand(
      { email: 'boss@shop.example', organisation: 'Shop', passwordStdin: true },
      config(),
      Readable.from(['correct horse battery\n']),
    );
    expect(out).toMatchObject({ exitCode: 0 });
    // It named only the API route: a person logs in at the admin console.
    expect(out.output).toMatch(
      /^created owner boss@shop\.example of organisation "Shop" \([0-9a-f-]{36}\); start the server and log in at its admin console \(\/admin\) or with POST \/api\/auth\/login$/,
    );
    const db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    try {
      const repo = new AuthRepository(db);
      const user = await repo.userByEmail('boss@shop.example');
      expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user!.passwordHash, 'correct horse battery')).toBe(true);
      expect(await repo.memberships(user!.id)).toMatchObject([{ organisationName: 'Shop', role: 'owner' }]);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a second user with the same email, a short password and a missing one, with exit codes', async () => {
    const again = await createOwnerCommand(
      { email: 'BOSS@shop.example', organisation: 'Shop', password: 'another password' },
      config(),
    );
    expect(again).toEqual({
      exitCode: 1,
      output: 'wendao: a user with the email BOSS@shop.example already exists',
    });
    const short = await createOwnerCommand(
      { email: 'x@shop.example', organisation: 'Shop', password: 'short' },
      config(),
    );
    expect(short).toMatchObject({ exitCode: 1, output: expect.stringMatching(/at least 8 characters/) });
    const none = await createOwnerCommand({ email: 'x@shop.example', organisation: 'Shop' }, config());
    expect(none.exitCode).toBe(2);
    const both = await createOwnerCommand(
      { email: 'x@shop.example', organisation: 'Shop', password: 'long enough', passwordStdin: true },
      config(),
    );
    expect(both.exitCode).toBe(2);
  });

  it('refuses a bad email, organisation or password before it starts a database or asks for a password', async () => {
    // Nothing answers at this DATABASE_URL and the embedded folders do not exist: a check made after
    // connecting would say DATABASE_URL instead (and an embedded PostgreSQL took about 3 s to start).
    const nowhere = {
      url: 'postgres://wendao:s3cret@127.0.0.1:1/shop',
      dataDir: '/nonexistent',
      embeddedPgDir: '/nonexistent',
    };
    const embedded = { dataDir: '/nonexistent', embeddedPgDir: '/nonexistent' };
    for (const database of [nowhere, embedded]) {
      const started = Date.now();
      expect(
        await createOwnerCommand(
          { email: 'not-an-email', organisation: 'Shop', password: 'long enough' },
          database,
        ),
      ).toEqual({ exitCode: 1, output: 'wendao: "not-an-email" is not an email address' });
      expect(
        await createOwnerCommand(
          { email: 'x@shop.example', organisation: ' ', password: 'long enough' },
          database,
        ),
      ).toEqual({ exitCode: 1, output: 'wendao: the organisation needs a name' });
      expect(
        await createOwnerCommand(
          { email: 'x@shop.example', organisation: 'Shop', password: 'short' },
          database,
        ),
      ).toEqual({ exitCode: 1, output: 'wendao: the password must be at least 8 characters long' });
      expect(Date.now() - started).toBeLessThan(1000);
    }
    // At a terminal, a bad email is said before the password prompt.
    const keys = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(on: boolean): void };
    keys.isTTY = true;
    keys.setRawMode = () => undefined;
    const shown: string[] = [];
    const prompt = new PassThrough().on('data', (c: Buffer) => shown.push(c.toString()));
    expect(
      await createOwnerCommand(
        { email: 'boss', organisation: 'Shop', passwordStdin: true },
        nowhere,
        keys,
        prompt,
      ),
    ).toEqual({ exitCode: 1, output: 'wendao: "boss" is not an email address' });
    expect(shown).toEqual([]);
  });

  it('names DATABASE_URL (not its password) when no PostgreSQL answers there', async () => {
    const out = await createOwnerCommand(
      { email: 'x@shop.example', organisation: 'Shop', password: 'long enough' },
      {
        url: 'postgres://wendao:s3cret@127.0.0.1:1/shop',
        dataDir: '/nonexistent',
        embeddedPgDir: '/nonexistent',
      },
    );
    expect(out.exitCode).toBe(1);
    expect(out.output).toMatch(
      /^wendao: DATABASE_URL: PostgreSQL at 127\.0\.0\.1:1\/shop does not answer \(.*ECONNREFUSED.*\); start it, or fix or unset DATABASE_URL$/,
    );
    expect(out.output).not.toContain('s3cret');
  });

  it('asks for the password at a terminal: a prompt, no echo, one line (no Ctrl-D), Ctrl-C cancels', async () => {
    // A terminal as readline sees one: isTTY and raw mode. The keys arrive as typed, and the input
    // never ends (reading to the end of input, as from a pipe, waited for a Ctrl-D after Enter).
    const terminal = () => {
      const keys = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(on: boolean): void };
      const modes: boolean[] = [];
      keys.isTTY = true;
      keys.setRawMode = (on: boolean) => void modes.push(on);
      return { keys, modes };
    };
    const screen = () => {
      const shown: string[] = [];
      const stream = new PassThrough();
      stream.on('data', (c: Buffer) => shown.push(c.toString()));
      return { stream, shown };
    };
    const typed = terminal();
    const shownTo = screen();
    const made = createOwnerCommand(
      { email: 'typed@shop.example', organisation: 'Shop', passwordStdin: true },
      config(),
      typed.keys,
      shownTo.stream,
    );
    // Typed with a slip corrected by backspace, then Enter.
    typed.keys.write('hunter22X\x7f pw\r');
    const out = await made;
    expect(out).toMatchObject({ exitCode: 0 });
    expect(shownTo.shown.join('')).toBe('Password: \n');
    expect(typed.modes).toEqual([true, false]);
    const db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    try {
      const repo = new AuthRepository(db);
      const user = await repo.userByEmail('typed@shop.example');
      expect(await verifyPassword(user!.passwordHash, 'hunter22 pw')).toBe(true);
      const cancelled = terminal();
      const gone = createOwnerCommand(
        { email: 'cancelled@shop.example', organisation: 'Shop', passwordStdin: true },
        config(),
        cancelled.keys,
        screen().stream,
      );
      cancelled.keys.write('hunt\x03');
      expect(await gone).toEqual({ exitCode: 1, output: 'wendao: cancelled: no owner created' });
      expect(await repo.userByEmail('cancelled@shop.example')).toBeUndefined();
    } finally {
      await db.destroy();
    }
  });
});
