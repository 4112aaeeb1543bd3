/**
 * Every PostgreSQL query of the analytics: inserting question events and the dashboard's aggregates.
 * Each aggregate reads the KBs' events in [from, to] (whole days in the caller's time zone) through an
 * index led by (kb_id, created_at), buckets them by day in that time zone and leaves the counting,
 * the grouping and the percentiles to PostgreSQL.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { normalizeQuestion } from '@wendao/text';
import type { QuestionEvent } from './question-event';

/** The KBs and days an aggregate covers: from/to are calendar days (YYYY-MM-DD) in `tz`, both included. */
export interface AnalyticsRange {
  kbIds: string[];
  from: string;
  to: string;
  tz: string;
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

/** day null: the whole range. */
export interface LatencyRow {
  day: string | null;
  count: number;
  p50: number | null;
  p95: number | null;
}

// $1 kb ids, $2 from, $3 to, $4 time zone: the range's instants are the days' midnights in the zone.
const IN_RANGE = `kb_id = ANY($1::uuid[])
  AND created_at >= ($2::date::timestamp AT TIME ZONE $4)
  AND created_at < (($3::date + 1)::timestamp AT TIME ZONE $4)`;
const DAY = `(created_at AT TIME ZONE $4)::date`;

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
    return this.db.query(
      `SELECT d::date::text AS day, COALESCE(c.total, 0) AS total, COALESCE(c.faq, 0) AS faq,
         COALESCE(c.extracted, 0) AS extracted, COALESCE(c.clarify, 0) AS clarify,
         COALESCE(c.fallback, 0) AS fallback, COALESCE(c.handoff, 0) AS handoff
       FROM generate_series($2::date, $3::date, interval '1 day') d
       LEFT JOIN (
         SELECT ${DAY} AS day, count(*)::int AS total,
           count(*) FILTER (WHERE outcome = 'faq')::int AS faq,
           count(*) FILTER (WHERE outcome = 'extracted')::int AS extracted,
           count(*) FILTER (WHERE outcome = 'clarify')::int AS clarify,
           count(*) FILTER (WHERE outcome = 'fallback')::int AS fallback,
           count(*) FILTER (WHERE outcome = 'handoff')::int AS handoff
         FROM question_event WHERE ${IN_RANGE} GROUP BY 1
       ) c ON c.day = d::date
       ORDER BY d`,
      params(r),
    );
  }

  /** The `limit` most frequent intents with their count on each day that has one. */
  async topIntents(r: AnalyticsRange, limit: number): Promise<IntentDayCount[]> {
    return this.db.query(
      `WITH per_day AS (
         SELECT intent, ${DAY} AS day, count(*)::int AS n
         FROM question_event WHERE ${IN_RANGE} AND intent IS NOT NULL GROUP BY 1, 2
       ), top AS (
         SELECT intent, sum(n)::int AS total FROM per_day GROUP BY intent ORDER BY total DESC, intent LIMIT $5
       )
       SELECT top.intent, top.total, per_day.day::text AS day, per_day.n AS count
       FROM top JOIN per_day USING (intent)
       ORDER BY top.total DESC, top.intent, per_day.day`,
      [...params(r), limit],
    );
  }

  /** Unanswered questions (fallbacks, and handoffs after fallbacks) grouped by their normalised text. */
  async topUnanswered(r: AnalyticsRange, limit: number): Promise<UnansweredGroup[]> {
    const rows: { normalized: string; example: string; count: number; last_asked: Date }[] =
      await this.db.query(
        `SELECT question_normalized AS normalized, mode() WITHIN GROUP (ORDER BY question) AS example,
           count(*)::int AS count, max(created_at) AS last_asked
         FROM question_event
         WHERE ${IN_RANGE} AND (outcome = 'fallback' OR handoff_reason = 'consecutive_fallbacks')
         GROUP BY question_normalized
         ORDER BY count DESC, last_asked DESC, normalized
         LIMIT $5`,
        [...params(r), limit],
      );
    return rows.map((g) => ({
      normalized: g.normalized,
      example: g.example,
      count: g.count,
      lastAsked: g.last_asked,
    }));
  }

  /** Thumbs up/down on the bot's answers to the range's questions, per day and in all. */
  async feedback(r: AnalyticsRange): Promise<FeedbackRow[]> {
    return this.db.query(
      `SELECT ${DAY.replace('created_at', 'e.created_at')}::text AS day,
         count(*) FILTER (WHERE f.vote = 'up')::int AS up,
         count(*) FILTER (WHERE f.vote = 'down')::int AS down
       FROM question_event e JOIN message_feedback f ON f.message_id = e.message_id
       WHERE ${IN_RANGE.replace(/\b(kb_id|created_at)\b/g, 'e.$1')} AND e.message_id IS NOT NULL
       GROUP BY GROUPING SETS ((1), ())
       ORDER BY 1 NULLS FIRST`,
      params(r),
    );
  }

  /** Answer latency percentiles per day and over the range. */
  async latency(r: AnalyticsRange): Promise<LatencyRow[]> {
    const rows: { day: string | null; count: number; p50: number | null; p95: number | null }[] =
      await this.db.query(
        `SELECT ${DAY}::text AS day, count(*)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
         FROM question_event WHERE ${IN_RANGE}
         GROUP BY GROUPING SETS ((1), ())
         ORDER BY 1 NULLS FIRST`,
        params(r),
      );
    return rows;
  }
}
