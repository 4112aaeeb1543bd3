/**
 * The analytics dashboard on a million questions. A scratch database on the local PostgreSQL gets the
 * real migrations, four KBs (50/25/15/10 % of the traffic) and 1M question_event rows over the last 90
 * days in a realistic mix (outcomes, Zipf-like intents and unanswered phrasings, log-normal latency,
 * 70 % chat with feedback on some answers), inserted with the indexes in place. Each dashboard query
 * (the repository's own SQL) is then timed per KB and range, and the table and index sizes reported.
 * Run: npm run build && node dist/bench/analytics.bench.js [--quick] [--out FILE]
 * (WENDAO_BENCH_DATABASE_URL: the server to create the scratch database on; default the test server.)
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AnalyticsRepository, type AnalyticsRange } from '../apps/api/src/analytics/analytics.repository';
import { dataSourceOptions } from '../apps/api/src/database/data-source-options';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';

const SERVER = process.env.WENDAO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const KB_SHARES = [0.5, 0.25, 0.15, 0.1];
const DAYS = 90;
const TZ = 'Asia/Shanghai';

interface Row {
  query: string;
  scope: string;
  rows: number;
  n: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * One INSERT ... SELECT for all rows (setseed makes the data the same each run). Per row: a KB by
 * its share, a day in the last 90 (traffic growing linearly), an hour around the Shanghai working day, an
 * outcome (faq 55 %, extracted 12 %, clarify 8 %, fallback 18 %, handoff 7 %, of which 40 % after
 * fallbacks), an intent among 200 per KB with a heavy head, unanswered phrasings among 3,000 per KB,
 * latency log-normal around 40 ms.
 */
const GENERATE = `
  INSERT INTO question_event (kb_id, channel, conversation_id, message_id, question, question_normalized,
    outcome, handoff_reason, faq_id, intent, confidence, latency_ms, created_at)
  SELECT kb, channel, conv, msg, q, q, outcome,
    CASE WHEN outcome = 'handoff' THEN CASE WHEN r4 < 0.4 THEN 'consecutive_fallbacks' ELSE 'customer_request' END END,
    NULL, CASE WHEN outcome IN ('faq', 'extracted') THEN topic END, round((0.3 + 0.7 * r2)::numeric, 3),
    round(exp(ln(40) + 0.6 * sqrt(-2 * ln(1 - r5)) * cos(2 * pi() * r6))::numeric, 1), at
  FROM (
    SELECT *,
      CASE WHEN outcome IN ('fallback', 'handoff') THEN
        format('请问%s的%s怎么处理（%s）', (ARRAY['会员卡','优惠券','积分','发票','保修','预售','定制','礼品卡','直播间','团购'])[1 + floor(r3 * 10)::int],
          (ARRAY['退款','过期','转让','补开','延期','拆分','合并','失效','冻结','改名'])[1 + floor(r4 * 10)::int], floor(3000 * r7 ^ 2)::int)
      ELSE topic END AS q
    FROM (
      SELECT *,
        CASE WHEN r1 < 0.55 THEN 'faq' WHEN r1 < 0.67 THEN 'extracted' WHEN r1 < 0.75 THEN 'clarify'
             WHEN r1 < 0.93 THEN 'fallback' ELSE 'handoff' END AS outcome,
        format('常见问题 %s：如何办理第%s类业务？', kb_n, floor(200 * r3 ^ 3)::int) AS topic,
        CASE WHEN r2 < 0.7 THEN 'chat' ELSE 'api' END AS channel,
        CASE WHEN r2 < 0.7 THEN gen_random_uuid() END AS msg,
        CASE WHEN r2 < 0.7 THEN gen_random_uuid()::text END AS conv
      FROM (
        SELECT g, kbs[kb_n] AS kb, kb_n,
          date_trunc('day', now()) - (floor(${DAYS} * (1 - sqrt(random())))::int || ' days')::interval
            + ((random() + random() + random()) / 3 * 24 - 8) * interval '1 hour' AS at,
          random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
          random() AS r7
        FROM (SELECT g, $2::uuid[] AS kbs,
                CASE WHEN u < $3 THEN 1 WHEN u < $4 THEN 2 WHEN u < $5 THEN 3 ELSE 4 END AS kb_n
              FROM (SELECT g, random() AS u FROM generate_series(1, $1) g) s) k
      ) a
    ) b
  ) c`;

async function timed(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  for (let i = 0; i < 2; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const args = parseBenchArgs(process.argv.slice(2));
  const out = args.out ?? 'bench/results/analytics.json';
  const total = args.quick ? 50_000 : 1_000_000;
  const runs = args.quick ? 5 : 20;
  const name = `wendao_bench_analytics_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const db = new DataSource(dataSourceOptions(withDatabase(SERVER, name)));
  try {
    await db.initialize();
    const hasOrganisation =
      (
        await db.query(
          `SELECT 1 FROM information_schema.columns WHERE table_name = 'knowledge_base' AND column_name = 'organisation_id'`,
        )
      ).length > 0;
    const org = hasOrganisation
      ? (
          (await db.query(`INSERT INTO organisation (name) VALUES ('bench') RETURNING id`)) as {
            id: string;
          }[]
        )[0].id
      : null;
    const kbIds: string[] = [];
    for (let i = 0; i < KB_SHARES.length; i++) {
      const rows: { id: string }[] = hasOrganisation
        ? await db.query(
            `INSERT INTO knowledge_base (name, language, organisation_id) VALUES ($1, 'zh', $2) RETURNING id`,
            [`KB ${i + 1}`, org],
          )
        : await db.query(`INSERT INTO knowledge_base (name, language) VALUES ($1, 'zh') RETURNING id`, [
            `KB ${i + 1}`,
          ]);
      kbIds.push(rows[0].id);
    }

    // The data: events, then feedback on 8 % of the chat answers (75 % thumbs up), on message rows of
    // one conversation per KB (message_feedback references message).
    const cumulative = KB_SHARES.map((_, i) => KB_SHARES.slice(0, i + 1).reduce((a, b) => a + b, 0));
    let t0 = performance.now();
    await db.query(`SELECT setseed(0.42)`);
    await db.query(GENERATE, [total, kbIds, ...cumulative.slice(0, 3)]);
    const generateMs = performance.now() - t0;
    t0 = performance.now();
    await db.query(`
      INSERT INTO conversation (id, kb_id, state) SELECT gen_random_uuid(), id, '{}'::jsonb FROM knowledge_base`);
    await db.query(`
      WITH rated AS (
        SELECT e.message_id, c.id AS conversation_id,
          row_number() OVER (PARTITION BY e.kb_id ORDER BY e.id) AS seq, random() < 0.75 AS up
        FROM question_event e JOIN conversation c ON c.kb_id = e.kb_id
        WHERE e.message_id IS NOT NULL AND e.outcome IN ('faq', 'extracted') AND random() < 0.08
      ), messages AS (
        INSERT INTO message (id, conversation_id, seq, role, text)
        SELECT message_id, conversation_id, seq, 'bot', '答案' FROM rated RETURNING id
      )
      INSERT INTO message_feedback (message_id, vote)
      SELECT rated.message_id, CASE WHEN up THEN 'up' ELSE 'down' END FROM rated JOIN messages ON messages.id = rated.message_id`);
    const feedbackMs = performance.now() - t0;
    t0 = performance.now();
    await db.query(`VACUUM ANALYZE question_event`);
    await db.query(`VACUUM ANALYZE message_feedback`);
    const vacuumMs = performance.now() - t0;
    const [size] = (await db.query(`
      SELECT pg_relation_size('question_event') AS heap, pg_indexes_size('question_event') AS indexes,
        pg_total_relation_size('question_event') AS total,
        (SELECT count(*) FROM message_feedback)::int AS feedback,
        (SELECT string_agg(format('%s %s rows %s MiB', t, c, round(pg_total_relation_size(t::regclass) / 1048576.0, 1)), ', ')
         FROM (VALUES ('question_outcome_hourly', (SELECT count(*) FROM question_outcome_hourly)),
           ('question_intent_hourly', (SELECT count(*) FROM question_intent_hourly)),
           ('question_intent_daily', (SELECT count(*) FROM question_intent_daily)),
           ('question_latency_hourly', (SELECT count(*) FROM question_latency_hourly))) r(t, c)) AS rollups`)) as {
      heap: string;
      indexes: string;
      total: string;
      feedback: number;
      rollups: string;
    }[];

    const repository = new AnalyticsRepository(db);
    const today = new Intl.DateTimeFormat('en-CA', {
      timeZone: TZ,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
    const daysBefore = (n: number) => new Date(Date.parse(today) - n * 86_400_000).toISOString().slice(0, 10);
    const scopes: { scope: string; range: AnalyticsRange }[] = [
      {
        scope: 'largest KB (50 %), last 30 days',
        range: { kbIds: [kbIds[0]], from: daysBefore(29), to: today, tz: TZ, hourly: true },
      },
      {
        scope: 'largest KB (50 %), last 90 days',
        range: { kbIds: [kbIds[0]], from: daysBefore(89), to: today, tz: TZ, hourly: true },
      },
      {
        scope: 'all 4 KBs, last 90 days',
        range: { kbIds, from: daysBefore(89), to: today, tz: TZ, hourly: true },
      },
      {
        // A zone with a half-hour offset: the rollup hours inside one local day, the events of the
        // hours its midnights split.
        scope: 'largest KB, last 30 days, Asia/Kolkata (rollups + events of split hours)',
        range: { kbIds: [kbIds[0]], from: daysBefore(29), to: today, tz: 'Asia/Kolkata', hourly: false },
      },
    ];
    const queries: [string, (r: AnalyticsRange) => Promise<unknown>][] = [
      ['messages per day + outcome rates', (r) => repository.dailyOutcomes(r)],
      ['top 10 intents with daily trend', (r) => repository.topIntents(r, 10)],
      ['top 20 unanswered groups', (r) => repository.topUnanswered(r, 20)],
      ['feedback up/down per day', (r) => repository.feedback(r)],
      ['latency histogram per day (p50/p95)', (r) => repository.latencyHistogram(r)],
    ];
    const rows: Row[] = [];
    for (const { scope, range } of scopes) {
      const [{ n }] = (await db.query(
        `SELECT count(*)::int AS n FROM question_event WHERE kb_id = ANY($1::uuid[])
           AND created_at >= ($2::date::timestamp AT TIME ZONE $4) AND created_at < (($3::date + 1)::timestamp AT TIME ZONE $4)`,
        [range.kbIds, range.from, range.to, range.tz],
      )) as { n: number }[];
      for (const [query, run] of queries) {
        const samples = await timed(() => run(range), runs);
        rows.push({
          query,
          scope,
          rows: n,
          n: samples.length,
          p50Ms: percentile(samples, 50),
          p95Ms: percentile(samples, 95),
          maxMs: Math.max(...samples),
        });
      }
      // The dashboard page asks for all of them at once.
      const samples = await timed(() => Promise.all(queries.map(([, run]) => run(range))), runs);
      rows.push({
        query: 'whole dashboard (5 queries in parallel)',
        scope,
        rows: n,
        n: samples.length,
        p50Ms: percentile(samples, 50),
        p95Ms: percentile(samples, 95),
        maxMs: Math.max(...samples),
      });
    }
    const mib = (bytes: string) => Number(bytes) / 2 ** 20;
    const table = markdownTable(
      ['query', 'scope', 'events in range', 'n', 'p50 ms', 'p95 ms', 'max ms'],
      rows.map((r) => [
        r.query,
        r.scope,
        r.rows,
        r.n,
        fixed(r.p50Ms, 1),
        fixed(r.p95Ms, 1),
        fixed(r.maxMs, 1),
      ]),
    );
    const result = await writeBenchResult(out, {
      bench: 'analytics',
      command: benchCommand(),
      startedAt,
      machine: machineInfo(),
      settings: { events: total, kbShares: KB_SHARES, days: DAYS, tz: TZ, runs },
      rows,
      table,
      notes: [
        `Generating ${total.toLocaleString('en')} events (one INSERT ... SELECT, indexes in place): ${fixed(generateMs / 1000, 1)} s; feedback rows (${size.feedback.toLocaleString('en')}, with their messages): ${fixed(feedbackMs / 1000, 1)} s; VACUUM ANALYZE: ${fixed(vacuumMs / 1000, 1)} s.`,
        `question_event on disk: table ${fixed(mib(size.heap), 1)} MiB, indexes ${fixed(mib(size.indexes), 1)} MiB, total ${fixed(mib(size.total), 1)} MiB.`,
        `Rollups (kept by the insert trigger): ${size.rollups}.`,
        'Times are the repository call from Node (node-postgres over loopback, pool of 10), after 2 untimed runs; days are counted in Asia/Shanghai.',
        'The API serves one KB per request; the all-KBs scope is the repository with several kbIds (an organisation-wide view).',
      ],
    });
    printBenchResult('Analytics on a million questions', result, out);
  } finally {
    await db.destroy().catch(() => undefined);
    await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
