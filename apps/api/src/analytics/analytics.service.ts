/**
 * The dashboard's figures for a KB (or several of one organisation) over a date range: the range is resolved and checked here (days in
 * the caller's IANA time zone, defaults, limits, whether the hourly rollups can answer), the
 * aggregates come from PostgreSQL through the repository, and this service only fills the days
 * without events and derives rates, ratios and the latency percentiles from the histogram.
 */
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import type { AnalyticsQueryDto } from './analytics-query.dto';
import { AnalyticsRepository, type AnalyticsRange, type DailyOutcomes } from './analytics.repository';
import { histogramPercentile, type LatencyBucket } from './latency-histogram';
import { QUESTION_OUTCOMES, type QuestionOutcome } from './question-event';

/** Longest range one request may aggregate. */
export const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;
const DEFAULT_LIMIT = { intents: 10, unanswered: 20 };
const DAY_MS = 86_400_000;

export interface ResolvedRange {
  kbIds: string[];
  from: string;
  to: string;
  tz: string;
  days: string[];
}

/** True when the zone's UTC offset is whole hours on every day of the range (no 5:30, 5:45 ...). */
function wholeHourOffsets(tz: string, from: number, to: number): boolean {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
  for (let day = from; day <= to + 1; day++)
    for (const at of [day * DAY_MS, day * DAY_MS + DAY_MS / 2]) {
      const offset = format.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? '';
      if (!/^GMT([+-]\d{1,2}(:00)?)?$/.test(offset)) return false;
    }
  return true;
}

export interface MessagesReport {
  range: ResolvedRange;
  days: DailyOutcomes[];
}

export interface OutcomesReport {
  range: ResolvedRange;
  total: number;
  counts: Record<QuestionOutcome, number>;
  /** Shares of all questions (0-1); `answered` is faq + extracted. */
  rates: Record<QuestionOutcome | 'answered', number | null>;
}

export interface IntentsReport {
  range: ResolvedRange;
  intents: { intent: string; count: number; daily: number[] }[];
}

export interface UnansweredReport {
  range: ResolvedRange;
  groups: { question: string; normalized: string; count: number; lastAsked: string }[];
}

export interface FeedbackReport {
  range: ResolvedRange;
  up: number;
  down: number;
  /** up / (up + down); null without votes. */
  ratio: number | null;
  days: { day: string; up: number; down: number }[];
}

/** Percentiles are estimated from a histogram with buckets 10 % wide (see latency-histogram.ts). */
export interface LatencyReport {
  range: ResolvedRange;
  count: number;
  p50: number | null;
  p95: number | null;
  days: { day: string; count: number; p50: number | null; p95: number | null }[];
}

const ratio = (n: number, d: number) => (d ? Math.round((n / d) * 10_000) / 10_000 : null);
const ms = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

function dayNumber(day: string, name: string): number {
  const [y, m, d] = day.split('-').map(Number);
  const t = Date.UTC(y, m - 1, d);
  if (new Date(t).getUTCDate() !== d) throw new BadRequestException(`${name} ${day} is not a calendar date`);
  return t / DAY_MS;
}

const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

function today(tz: string): string {
  // en-CA writes YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly kbs: KnowledgeBasesService,
  ) {}

  async messages(kbId: string, q: AnalyticsQueryDto): Promise<MessagesReport> {
    const range = await this.range(kbId, q);
    return { range, days: await this.repository.dailyOutcomes(range) };
  }

  async outcomes(kbId: string, q: AnalyticsQueryDto): Promise<OutcomesReport> {
    const range = await this.range(kbId, q);
    const days = await this.repository.dailyOutcomes(range);
    const counts = Object.fromEntries(
      QUESTION_OUTCOMES.map((o) => [o, days.reduce((sum, d) => sum + d[o], 0)]),
    ) as Record<QuestionOutcome, number>;
    const total = days.reduce((sum, d) => sum + d.total, 0);
    const rates = Object.fromEntries([
      ['answered', ratio(counts.faq + counts.extracted, total)],
      ...QUESTION_OUTCOMES.map((o) => [o, ratio(counts[o], total)]),
    ]) as OutcomesReport['rates'];
    return { range, total, counts, rates };
  }

  async intents(kbId: string, q: AnalyticsQueryDto): Promise<IntentsReport> {
    const range = await this.range(kbId, q);
    const limit = q.limit === 'all' ? null : (q.limit ?? DEFAULT_LIMIT.intents);
    const rows = await this.repository.topIntents(range, limit);
    const index = new Map(range.days.map((d, i) => [d, i]));
    const intents = new Map<string, IntentsReport['intents'][number]>();
    for (const r of rows) {
      let entry = intents.get(r.intent);
      if (!entry)
        intents.set(r.intent, (entry = { intent: r.intent, count: r.total, daily: range.days.map(() => 0) }));
      entry.daily[index.get(r.day)!] = r.count;
    }
    return { range, intents: [...intents.values()] };
  }

  async unanswered(kbId: string, q: AnalyticsQueryDto): Promise<UnansweredReport> {
    // Every unanswered group of a busy KB is tens of thousands of rows: a top-N only.
    if (q.limit === 'all')
      throw new BadRequestException('limit must be an integer (all is for intents only)');
    const range = await this.range(kbId, q);
    const groups = await this.repository.topUnanswered(range, q.limit ?? DEFAULT_LIMIT.unanswered);
    return {
      range,
      groups: groups.map((g) => ({
        question: g.example,
        normalized: g.normalized,
        count: g.count,
        lastAsked: g.lastAsked.toISOString(),
      })),
    };
  }

  async feedback(kbId: string, q: AnalyticsQueryDto): Promise<FeedbackReport> {
    const range = await this.range(kbId, q);
    const rows = await this.repository.feedback(range);
    const all = rows.find((r) => r.day === null) ?? { up: 0, down: 0 };
    const byDay = new Map(rows.filter((r) => r.day !== null).map((r) => [r.day, r]));
    return {
      range,
      up: all.up,
      down: all.down,
      ratio: ratio(all.up, all.up + all.down),
      days: range.days.map((day) => ({ day, up: byDay.get(day)?.up ?? 0, down: byDay.get(day)?.down ?? 0 })),
    };
  }

  async latency(kbId: string, q: AnalyticsQueryDto): Promise<LatencyReport> {
    const range = await this.range(kbId, q);
    const rows = await this.repository.latencyHistogram(range);
    const byDay = new Map<string, LatencyBucket[]>();
    for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
    const summary = (buckets: LatencyBucket[]) => ({
      count: buckets.reduce((sum, b) => sum + b.count, 0),
      p50: ms(histogramPercentile(buckets, 0.5)),
      p95: ms(histogramPercentile(buckets, 0.95)),
    });
    return {
      range,
      ...summary(rows),
      days: range.days.map((day) => ({ day, ...summary(byDay.get(day) ?? []) })),
    };
  }

  /** The KB (404 when unknown) and the checked range, with defaults: the last 30 days up to today in tz. */
  private async range(kbId: string, q: AnalyticsQueryDto): Promise<ResolvedRange & AnalyticsRange> {
    const kb = await this.kbs.require(kbId);
    // The access guard checked the caller's role in :id's organisation; more KBs must be of it too
    // (another organisation's KB is "not found", as everywhere).
    const kbIds = [kb.id];
    for (const id of new Set(q.kbIds ?? [])) {
      if (kbIds.includes(id.toLowerCase())) continue;
      const other = await this.kbs
        .require(id)
        .catch((err: unknown) => (err instanceof NotFoundException ? null : Promise.reject(err)));
      if (!other || other.organisationId !== kb.organisationId)
        throw new NotFoundException(`knowledge base ${id} not found`);
      kbIds.push(other.id);
    }
    const tz = q.tz ?? 'UTC';
    const to = dayNumber(q.to ?? today(tz), 'to');
    const from = q.from ? dayNumber(q.from, 'from') : to - (DEFAULT_RANGE_DAYS - 1);
    if (from > to) throw new BadRequestException(`from (${dayString(from)}) is after to (${dayString(to)})`);
    if (to - from + 1 > MAX_RANGE_DAYS)
      throw new BadRequestException(
        `the range is ${to - from + 1} days long; at most ${MAX_RANGE_DAYS} are allowed`,
      );
    const days = Array.from({ length: to - from + 1 }, (_, i) => dayString(from + i));
    return {
      kbIds,
      from: dayString(from),
      to: dayString(to),
      tz,
      days,
      hourly: wholeHourOffsets(tz, from, to),
    };
  }
}
