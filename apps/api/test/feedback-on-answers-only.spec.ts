/**
 * Migration 1766900000000 on a database that has lived under 1766200000001: votes stored on
 * clarifications and fallbacks (before d2bfd45 refused them) stop counting in the feedback figures,
 * in the hourly rollup, the half-hour zones' event path and the CSV alike, while message_feedback keeps
 * every vote as it was. A vote in flight when the migration starts is neither lost nor miscounted, and
 * `down` brings back the old count.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { AnalyticsRepository, type AnalyticsRange } from '../src/analytics/analytics.repository';
import { AuthRepository } from '../src/auth/auth.repository';
import { connectAndMigrate } from '../src/database/connect-and-migrate';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createTestDatabase, startTestApp } from './support/test-app';

const MIGRATION = 'FeedbackOnAnswersOnly1766900000000';

type Outcome = 'faq' | 'extracted' | 'clarify' | 'fallback' | 'handoff';

/**
 * Bot messages of one conversation, their question's outcome, hour (1 November 2026, UTC) and the vote
 * stored before the migration (null: none yet). Answers: 2 up, 2 down. Non-answers: 4 up, 1 down.
 * seq 3's vote came before its question was recorded (the recorder runs after the reply).
 */
const SEED: { seq: number; outcome: Outcome; hour: number; vote: 'up' | 'down' | null }[] = [
  { seq: 1, outcome: 'faq', hour: 1, vote: 'up' },
  { seq: 2, outcome: 'faq', hour: 1, vote: 'down' },
  { seq: 3, outcome: 'extracted', hour: 2, vote: 'up' },
  { seq: 4, outcome: 'extracted', hour: 2, vote: 'down' },
  { seq: 5, outcome: 'clarify', hour: 1, vote: 'up' },
  { seq: 6, outcome: 'clarify', hour: 3, vote: 'up' },
  { seq: 7, outcome: 'fallback', hour: 2, vote: 'up' },
  { seq: 8, outcome: 'fallback', hour: 3, vote: 'down' },
  { seq: 9, outcome: 'handoff', hour: 3, vote: 'up' },
  // Voted on while the migration runs.
  { seq: 10, outcome: 'clarify', hour: 4, vote: null },
  { seq: 11, outcome: 'faq', hour: 5, vote: null },
  // Voted on after it.
  { seq: 12, outcome: 'faq', hour: 5, vote: null },
  { seq: 13, outcome: 'fallback', hour: 5, vote: null },
];

const DAY = { from: '2026-11-01', to: '2026-11-01' };

describe('migration 1766900000000: feedback counts votes on answers only', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Client;
  let kbId: string;
  const messageIds = new Map<number, string>();

  const rollup = async () =>
    (
      await db.query(
        `SELECT extract(hour FROM hour AT TIME ZONE 'UTC')::int AS hour, up, down
           FROM question_feedback_hourly WHERE kb_id = $1 AND (up <> 0 OR down <> 0) ORDER BY hour`,
        [kbId],
      )
    ).rows;
  const storedVotes = async () =>
    (
      await db.query(
        `SELECT m.seq, f.vote, f.comment, f.created_at, f.updated_at
           FROM message_feedback f JOIN message m ON m.id = f.message_id ORDER BY m.seq`,
      )
    ).rows;
  const vote = (seq: number, v: 'up' | 'down', client: Client = db) =>
    client.query(
      `INSERT INTO message_feedback (message_id, vote, comment) VALUES ($1, $2, $3)
       ON CONFLICT (message_id) DO UPDATE SET vote = EXCLUDED.vote`,
      [messageIds.get(seq), v, `vote on ${seq}`],
    );
  const question = (seq: number) => {
    const s = SEED.find((m) => m.seq === seq)!;
    return db.query(
      `INSERT INTO question_event (kb_id, channel, message_id, question, question_normalized, outcome,
         handoff_reason, latency_ms, created_at)
       VALUES ($1, 'chat', $2, $3, $3, $4, $5, 10, $6)`,
      [
        kbId,
        messageIds.get(seq),
        `问题 ${seq}`,
        s.outcome,
        s.outcome === 'handoff' ? 'customer_request' : null,
        `2026-11-01T0${s.hour}:30:00Z`,
      ],
    );
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // The schema as it was before the migration: every migration but this one.
    const options = dataSourceOptions(database.url);
    const before = await connectAndMigrate({
      ...options,
      migrations: (options.migrations as { name: string }[]).filter((m) => m.name !== MIGRATION),
    } as typeof options);
    await before.destroy();

    db = new Client({ connectionString: database.url });
    await db.connect();
    const [{ id: org }] = (await db.query(`INSERT INTO organisation (name) VALUES ('shop') RETURNING id`))
      .rows;
    [{ id: kbId }] = (
      await db.query(
        `INSERT INTO knowledge_base (name, language, organisation_id) VALUES ('shop', 'zh', $1) RETURNING id`,
        [org],
      )
    ).rows;
    const [{ id: conversationId }] = (
      await db.query(`INSERT INTO conversation (kb_id, state) VALUES ($1, '{}') RETURNING id`, [kbId])
    ).rows;
    for (const m of SEED) {
      const [{ id }] = (
        await db.query(
          `INSERT INTO message (conversation_id, seq, role, text, payload)
           VALUES ($1, $2, 'bot', '回复', jsonb_build_object('type', $3::text)) RETURNING id`,
          [conversationId, m.seq, m.outcome],
        )
      ).rows;
      messageIds.set(m.seq, id);
    }
    // Under 1766200000001's triggers: questions then votes, and one vote before its question.
    await vote(3, 'up');
    for (const m of SEED) await question(m.seq);
    for (const m of SEED) if (m.vote && m.seq !== 3) await vote(m.seq, m.vote);
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('counts only the votes on faq and extracted answers after the migration, keeping every stored vote', async () => {
    // Before: the dashboard's own query reads a rollup that counts the clarifications' and fallbacks' votes.
    const range: AnalyticsRange = { kbIds: [kbId], ...DAY, tz: 'UTC', hourly: true };
    const old = new DataSource({ ...dataSourceOptions(database.url), migrationsRun: false });
    await old.initialize();
    try {
      expect(await new AnalyticsRepository(old).feedback(range)).toEqual([
        { day: null, up: 6, down: 3 },
        { day: '2026-11-01', up: 6, down: 3 },
      ]);
    } finally {
      await old.destroy();
    }
    const votesBefore = await storedVotes();
    expect(votesBefore).toHaveLength(9);

    // A vote on a clarification in flight when the migration starts, under the old trigger: the
    // migration waits for it, then recounts without it.
    const inFlight = new Client({ connectionString: database.url });
    const waiting = new Client({ connectionString: database.url });
    await inFlight.connect();
    await waiting.connect();
    try {
      await inFlight.query('BEGIN');
      await vote(10, 'up', inFlight);
      expect(
        (
          await inFlight.query(
            `SELECT up FROM question_feedback_hourly WHERE kb_id = $1 AND extract(hour FROM hour AT TIME ZONE 'UTC') = 4`,
            [kbId],
          )
        ).rows,
      ).toEqual([{ up: 1 }]);
      const migrating = settled(connectAndMigrate(dataSourceOptions(database.url)));
      // It waits for the vote's transaction (were it not to, the checks on the rollup below would fail).
      await until(async () => migrating.done || (await blockedOn(db, 'LOCK TABLE')) > 0);
      expect(migrating.done).toBe(false);
      // A vote on an answer given while the migration holds its locks waits for it, then counts once.
      const answerVote = settled(vote(11, 'down', waiting));
      await until(async () => answerVote.done || (await blockedOn(db, 'INSERT INTO message_feedback')) > 0);
      expect(answerVote.done).toBe(false);
      await inFlight.query('COMMIT');
      await (await migrating.promise).destroy();
      await answerVote.promise;
    } finally {
      await inFlight.end();
      await waiting.end();
    }
    expect((await db.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`)).rows[0].name).toBe(
      MIGRATION,
    );

    // The rollup: hour 1 faq up + faq down, hour 2 extracted up + down, hour 5 the vote given meanwhile;
    // hours 3 and 4 held only non-answers.
    expect(await rollup()).toEqual([
      { hour: 1, up: 1, down: 1 },
      { hour: 2, up: 1, down: 1 },
      { hour: 5, up: 0, down: 1 },
    ]);
    // Every vote is still stored as it was, the two given around the migration besides.
    const votesAfter = await storedVotes();
    expect(votesAfter.filter((v) => v.seq <= 9)).toEqual(votesBefore);
    expect(votesAfter.filter((v) => v.seq > 9).map((v) => [v.seq, v.vote])).toEqual([
      [10, 'up'],
      [11, 'down'],
    ]);

    // The API on the migrated database: the same figures from the rollup (UTC), the events
    // (Asia/Kolkata, a half-hour zone) and the CSV; new votes count only on answers.
    const t = await startTestApp({ databaseUrl: database.url });
    try {
      await t.wendao.app
        .get(AuthRepository)
        .addMembership(
          (await db.query(`SELECT organisation_id FROM knowledge_base WHERE id = $1`, [kbId])).rows[0]
            .organisation_id,
          t.owner.userId,
          'owner',
        );
      const feedback = async (tz: string) =>
        (
          await t.api
            .get(`/api/kbs/${kbId}/analytics/feedback`)
            .query({ ...DAY, tz })
            .expect(200)
        ).body;
      expect(await feedback('UTC')).toMatchObject({ up: 2, down: 3, ratio: 0.4 });
      // Kolkata's 1 November starts at 18:30 UTC on 31 October: the same questions.
      expect(await feedback('Asia/Kolkata')).toMatchObject({ up: 2, down: 3, ratio: 0.4 });

      await vote(12, 'up');
      await vote(13, 'up');
      await vote(5, 'down');
      expect(await feedback('UTC')).toMatchObject({ up: 3, down: 3, ratio: 0.5 });
      expect(await feedback('Asia/Kolkata')).toMatchObject({ up: 3, down: 3, ratio: 0.5 });
      const csv = (
        await t.api
          .get(`/api/kbs/${kbId}/analytics/feedback`)
          .query({ ...DAY, tz: 'UTC', format: 'csv' })
          .expect(200)
      ).text;
      expect(csv.replace('\uFEFF', '').trim().split('\r\n')).toEqual([
        'day,up,down,ratio',
        '2026-11-01,3,3,0.5',
        'total,3,3,0.5',
      ]);
    } finally {
      await t.close();
    }
  });

  it('down counts every vote again, as 1766200000001 did, and leaves the votes as they are', async () => {
    const votesBefore = await storedVotes();
    const source = new DataSource({ ...dataSourceOptions(database.url), migrationsRun: false });
    await source.initialize();
    try {
      await source.undoLastMigration({ transaction: 'all' });
    } finally {
      await source.destroy();
    }
    // Votes now stored: seq 1-11 as above, 5 changed to down, 12 and 13 up.
    expect(await rollup()).toEqual([
      { hour: 1, up: 1, down: 2 },
      { hour: 2, up: 2, down: 1 },
      { hour: 3, up: 2, down: 1 },
      { hour: 4, up: 1, down: 0 },
      { hour: 5, up: 2, down: 1 },
    ]);
    expect(await storedVotes()).toEqual(votesBefore);
    // The old trigger function is back: a vote on a fallback counts again.
    await vote(13, 'down');
    expect((await rollup()).find((r) => r.hour === 5)).toEqual({ hour: 5, up: 1, down: 2 });
  });
});

/** Sessions of the test database waiting for a lock while running a statement that starts with `sql`. */
async function blockedOn(db: Client, sql: string): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND ltrim(query) LIKE $1`,
    [`${sql}%`],
  );
  return rows[0].n;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting for a blocked session');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A promise and whether it has settled yet. */
function settled<T>(promise: Promise<T>): { promise: Promise<T>; done: boolean } {
  const state = { promise, done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}
