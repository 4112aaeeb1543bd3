/**
 * Every PostgreSQL query of the analytics: inserting question events and the dashboard's aggregates.
 * Each aggregate reads the KBs' questions in [from, to] (whole days in the caller's time zone) and
 * buckets them by day in that zone. Counts, intents and latency come from the hourly rollups
 * (migrations 1765400000001, 1766200000001); in a zone whose offset is not a whole hour (Asia/Kolkata)
 * from the rollup hours that lie in one local day plus the events of the hours its midnights split.
 * Feedback reads its rollup in whole-hour zones, else the events; the unanswered groups always read
 * the events (an index-only scan of the unanswered ones).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { normalizeQuestion } from '@wendao/text';
import { latencyBucketSql } from './latency-histogram';
import type { QuestionEvent } from './question-event';

/** The KBs and days an aggregate covers: from/to are calendar days (YYYY-MM-DD) in `tz`, both included. */
export interface AnalyticsRange {
  kbIds: string[];
  from: string;
  to: string;
  tz: string;
  /** Every UTC hour of the range lies in one local day (whole-hour offsets): the rollups can answer. */
  hourly: boolean;
}

export interface DailyOutcomes {
  day: string;
  total: number;
  faq: number;
  extracted: number;
  clarify: number;
  fallback: number;
  handoff: number;
}

export interface IntentDayCount {
  intent: string;
  total: number;
  day: string;
  count: number;
}

export interface UnansweredGroup {
  normalized: string;
  /** The most frequent spelling of the question in the group. */
  example: string;
  count: number;
  lastAsked: Date;
}

/** day null: the whole range. */
export interface FeedbackRow {
  day: string | null;
  up: number;
  down: number;
}

/** Questions per latency bucket ([1.1^bucket, 1.1^(bucket+1)) ms) on a day. */
export interface LatencyBucketRow {
  day: string;
  bucket: number;
  count: number;
}

// $1 kb ids, $2 from, $3 to, $4 time zone: the range's instants are the days' midnights in the zone.
const T0 = `($2::date::timestamp AT TIME ZONE $4)`;
const T1 = `(($3::date + 1)::timestamp AT TIME ZONE $4)`;
const inRange = (at: string) => `kb_id = ANY($1::uuid[])
  AND ${at} >= ${T0}
  AND ${at} < ${T1}`;
const IN_RANGE = inRange('created_at');
const DAY = `(created_at AT TIME ZONE $4)::date`;

/**
 * Rows of (day, <columns>, n) for a zone whose midnights fall inside UTC hours: the rollup's hours
 * that lie in one local day, and the events of the hours a local midnight splits (one per day, found
 * by (kb_id, created_at) index range scans). `rollupColumns` and `eventColumns` name the same columns
 * in the rollup and in question_event `e`; `eventFilter` narrows the events (e.g. intent IS NOT NULL).
 */
function splitHours(
  rollup: string,
  rollupColumns: string,
  eventColumns: string,
  eventFilter = 'true',
): string {
  return `(
    SELECT (hour AT TIME ZONE $4)::date AS day, ${rollupColumns}, n
    FROM ${rollup}
    WHERE kb_id = ANY($1::uuid[]) AND hour >= ${T0} AND hour + interval '1 hour' <= ${T1}
      AND (hour AT TIME ZONE $4)::date = ((hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE $4)::date
    UNION ALL
    SELECT ev.*
    FROM (
      -- unnest(ARRAY(...)): planned as ~10 rows, not generate_series' 1,000, so the estimate stays
      -- small and PostgreSQL does not JIT-compile the query (~0.5 s for a few thousand rows).
      SELECT unnest(ARRAY(
        SELECT date_trunc('hour', m, 'UTC')
        FROM generate_series($2::date, $3::date + 1, interval '1 day') d,
          LATERAL (SELECT d::timestamp AT TIME ZONE $4 AS m) midnight
        WHERE date_trunc('hour', m, 'UTC') <> m
      )) AS h
    ) split,
    -- OFFSET 0 keeps the subquery a per-hour index range scan (not one scan of the range's events).
    LATERAL (
      SELECT (e.created_at AT TIME ZONE $4)::date AS day, ${eventColumns}, 1 AS n
      FROM question_event e
      WHERE e.kb_id = ANY($1::uuid[]) AND e.created_at >= split.h AND e.created_at < split.h + interval '1 hour'
        AND e.created_at >= ${T0} AND e.created_at < ${T1} AND ${eventFilter}
      OFFSET 0
    ) ev
  ) x`;
}

/** Where a count comes from: the hourly rollup (rows of n questions), split in half-hour zones. */
const source = (r: AnalyticsRange, rollup: string, rollupColumns: string, eventColumns: string) =>
  r.hourly
    ? { from: rollup, where: inRange('hour'), day: `(hour AT TIME ZONE $4)::date`, n: 'n' }
    : { from: splitHours(rollup, rollupColumns, eventColumns), where: 'true', day: 'day', n: 'n' };

const params = (r: AnalyticsRange) => [r.kbIds, r.from, r.to, r.tz];

@Injectable()
export class AnalyticsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(events: QuestionEvent[]): Promise<void> {
    if (!events.length) return;
    const values: unknown[] = [];
    const rows = events.map((e) => {
      const at = values.length;
      const chat = e.channel === 'chat' && e.botMessageSeq !== null;
      values.push(
        e.kbId,
        e.channel,
        e.conversationId,
        chat ? e.conversationId : null,
        chat ? e.botMessageSeq : null,
        e.question,
        normalizeQuestion(e.question) || e.question.trim(),
        e.outcome,
        e.handoffReason,
        e.faqId,
        e.intent,
        e.confidence,
        e.latencyMs,
        e.createdAt ?? null,
      );
      const p = (i: number) => `$${at + i}`;
      // The bot message's id by its seq (a REST session id is free text, so only chat looks it up).
      return `(${p(1)}::uuid, ${p(2)}, ${p(3)},
        (SELECT id FROM message WHERE conversation_id = ${p(4)}::uuid AND seq = ${p(5)}::integer),
        ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}::uuid, ${p(11)}, ${p(12)}::real, ${p(13)}::real,
        COALESCE(${p(14)}::timestamptz, now()))`;
    });
    await this.db.query(
      `INSERT INTO question_event (kb_id, channel, conversation_id, message_id, question, question_normalized,
         outcome, handoff_reason, faq_id, intent, confidence, latency_ms, created_at)
       VALUES ${rows.join(', ')}`,
      values,
    );
  }

  /** Questions per day (every day of the range, zero where none) by outcome. */
  async dailyOutcomes(r: AnalyticsRange): Promise<DailyOutcomes[]> {
    const q = source(r, 'question_outcome_hourly', 'outcome', 'e.outcome');
    const count = (outcome?: string) =>
      `COALESCE(sum(${q.n})${outcome ? ` FILTER (WHERE outcome = '${outcome}')` : ''}, 0)::int`;
    return this.db.query(
      `SELECT d::date::text AS day, COALESCE(c.total, 0) AS total, COALESCE(c.faq, 0) AS faq,
         COALESCE(c.extracted, 0) AS extracted, COALESCE(c.clarify, 0) AS clarify,
         COALESCE(c.fallback, 0) AS fallback, COALESCE(c.handoff, 0) AS handoff
       FROM generate_series($2::date, $3::date, interval '1 day') d
       LEFT JOIN (
         SELECT ${q.day} AS day, ${count()} AS total, ${count('faq')} AS faq,
           ${count('extracted')} AS extracted, ${count('clarify')} AS clarify,
           ${count('fallback')} AS fallback, ${count('handoff')} AS handoff
         FROM ${q.from} WHERE ${q.where} GROUP BY 1
       ) c ON c.day = d::date
       ORDER BY d`,
      params(r),
    );
  }

  /**
   * The `limit` most frequent intents (every one for null) with their count on each day that has one.
   * Deleted events leave rollup rows at 0: an intent whose questions were all deleted was not asked.
   */
  async topIntents(r: AnalyticsRange, limit: number | null): Promise<IntentDayCount[]> {
    if (!r.hourly)
      return this.db.query(
        `WITH per_day AS (
           SELECT intent, day, sum(n)::int AS n
           FROM ${splitHours('question_intent_hourly', 'intent', 'e.intent', 'e.intent IS NOT NULL')}
           GROUP BY 1, 2
         ), top AS (
           SELECT intent, sum(n)::int AS total FROM per_day GROUP BY intent HAVING sum(n) > 0
           ORDER BY total DESC, intent LIMIT $5
         )
         SELECT top.intent, top.total, per_day.day::text AS day, per_day.n AS count
         FROM top JOIN per_day USING (intent)
         ORDER BY top.total DESC, top.intent, per_day.day`,
        [...params(r), limit],
      );
    // Totals: the whole UTC days [d0, d1) inside the range from the daily rollup, the hours before d0
    // and after d1 from the hourly one; then the top intents' days from the hourly rollup by intent.
    return this.db.query(
      `WITH b AS (
         SELECT t0, t1, date_trunc('day', t0 + interval '1 day' - interval '1 microsecond', 'UTC') AS d0,
           date_trunc('day', t1, 'UTC') AS d1
         FROM (SELECT ($2::date::timestamp AT TIME ZONE $4) AS t0, (($3::date + 1)::timestamp AT TIME ZONE $4) AS t1) x
       ), parts AS (
         SELECT intent, n FROM question_intent_daily, b
         WHERE kb_id = ANY($1::uuid[]) AND day >= d0 AND day < d1
         UNION ALL
         SELECT intent, n FROM question_intent_hourly, b
         WHERE kb_id = ANY($1::uuid[]) AND hour >= t0 AND hour < CASE WHEN d0 < d1 THEN d0 ELSE t1 END
         UNION ALL
         SELECT intent, n FROM question_intent_hourly, b
         WHERE kb_id = ANY($1::uuid[]) AND d0 < d1 AND hour >= d1 AND hour < t1
       ), top AS (
         SELECT intent, sum(n)::int AS total FROM parts GROUP BY intent HAVING sum(n) > 0
         ORDER BY total DESC, intent LIMIT $5
       )
       SELECT top.intent, top.total, (h.hour AT TIME ZONE $4)::date::text AS day, sum(h.n)::int AS count
       FROM top CROSS JOIN b JOIN question_intent_hourly h
         ON h.kb_id = ANY($1::uuid[]) AND h.intent = top.intent AND h.hour >= b.t0 AND h.hour < b.t1
       GROUP BY top.intent, top.total, 3
       ORDER BY top.total DESC, top.intent, 3`,
      [...params(r), limit],
    );
  }

  /**
   * Unanswered questions (fallbacks, and handoffs after fallbacks) grouped by their normalised text
   * (a hash aggregate, no sort over the range's rows); the example is the spelling asked most (ties:
   * the latest), picked in a second pass over only the top groups' rows. mode() instead would sort
   * every unanswered event of the range.
   */
  async topUnanswered(r: AnalyticsRange, limit: number): Promise<UnansweredGroup[]> {
    const unanswered = `${IN_RANGE} AND (outcome = 'fallback' OR handoff_reason = 'consecutive_fallbacks')`;
    const rows: { normalized: string; example: string; count: number; last_asked: Date }[] =
      await this.db.query(
        `WITH top AS (
           SELECT question_normalized AS normalized, count(*)::int AS count, max(created_at) AS last_asked
           FROM question_event
           WHERE ${unanswered}
           GROUP BY question_normalized
           ORDER BY count DESC, last_asked DESC, normalized
           LIMIT $5
         ), spelling AS (
           SELECT DISTINCT ON (question_normalized) question_normalized AS normalized, question AS example
           FROM question_event
           WHERE ${unanswered} AND question_normalized IN (SELECT normalized FROM top)
           GROUP BY question_normalized, question
           ORDER BY question_normalized, count(*) DESC, max(created_at) DESC, question COLLATE "C"
         )
         SELECT top.normalized, spelling.example, top.count, top.last_asked
         FROM top JOIN spelling USING (normalized)
         ORDER BY top.count DESC, top.last_asked DESC, top.normalized`,
        [...params(r), limit],
      );
    return rows.map((g) => ({
      normalized: g.normalized,
      example: g.example,
      count: g.count,
      lastAsked: g.last_asked,
    }));
  }

  /**
   * Thumbs up/down on the bot's answers (questions whose outcome is faq or extracted) to the range's
   * questions, per day and in all: from the hourly feedback rollup (migrations 1766200000001 and
   * 1766900000000, which counts answers only), or joining the answers' events with message_feedback.
   * Votes stored on a clarification or fallback before the chat refused them stay, uncounted.
   */
  async feedback(r: AnalyticsRange): Promise<FeedbackRow[]> {
    if (r.hourly)
      return this.db.query(
        `SELECT (hour AT TIME ZONE $4)::date::text AS day, COALESCE(sum(up), 0)::int AS up,
           COALESCE(sum(down), 0)::int AS down
         FROM question_feedback_hourly WHERE ${inRange('hour')} AND (up <> 0 OR down <> 0)
         GROUP BY GROUPING SETS ((1), ())
         ORDER BY 1 NULLS FIRST`,
        params(r),
      );
    return this.db.query(
      `SELECT ${DAY.replace('created_at', 'e.created_at')}::text AS day,
         count(*) FILTER (WHERE f.vote = 'up')::int AS up,
         count(*) FILTER (WHERE f.vote = 'down')::int AS down
       FROM question_event e JOIN message_feedback f ON f.message_id = e.message_id
       WHERE ${IN_RANGE.replace(/\b(kb_id|created_at)\b/g, 'e.$1')} AND e.message_id IS NOT NULL
         AND e.outcome IN ('faq', 'extracted')
       GROUP BY GROUPING SETS ((1), ())
       ORDER BY 1 NULLS FIRST`,
      params(r),
    );
  }

  /** Questions per day and latency bucket (the service interpolates the percentiles). */
  async latencyHistogram(r: AnalyticsRange): Promise<LatencyBucketRow[]> {
    const q = source(r, 'question_latency_hourly', 'bucket', `${latencyBucketSql('e.latency_ms')} AS bucket`);
    return this.db.query(
      `SELECT ${q.day}::text AS day, bucket, sum(${q.n})::int AS count
       FROM ${q.from} WHERE ${q.where} GROUP BY 1, 2 ORDER BY 1, 2`,
      params(r),
    );
  }
}
