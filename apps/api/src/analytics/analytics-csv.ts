/**
 * Each chart's data as CSV (RFC 4180, UTF-8 with a BOM so spreadsheet programs read Chinese right).
 * Customer text is quoted, and a cell that a spreadsheet would run as a formula (=, +, -, @ first)
 * is prefixed with an apostrophe.
 */
import type {
  FeedbackReport,
  IntentsReport,
  LatencyReport,
  MessagesReport,
  OutcomesReport,
  UnansweredReport,
} from './analytics.service';
import { QUESTION_OUTCOMES } from './question-event';

type Cell = string | number | null;

function cell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * An instant as the range's zone reads it, with its offset (2026-11-03T10:00:00+08:00): the day
 * columns of every CSV are days in that zone, so a time in UTC would put a question asked early on 3
 * November in Shanghai on 2 November.
 */
export function zonedTime(iso: string, tz: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const analyticsCsv = {
  messages: (r: MessagesReport) =>
    toCsv(
      ['day', 'total', ...QUESTION_OUTCOMES],
      r.days.map((d) => [d.day, d.total, ...QUESTION_OUTCOMES.map((o) => d[o])]),
    ),
  outcomes: (r: OutcomesReport) =>
    toCsv(
      ['outcome', 'count', 'rate'],
      [
        ['answered', r.counts.faq + r.counts.extracted, r.rates.answered],
        ...QUESTION_OUTCOMES.map((o): Cell[] => [o, r.counts[o], r.rates[o]]),
        ['total', r.total, r.total ? 1 : null],
      ],
    ),
  intents: (r: IntentsReport) =>
    toCsv(
      ['intent', 'total', ...r.range.days],
      r.intents.map((i) => [i.intent, i.count, ...i.daily]),
    ),
  unanswered: (r: UnansweredReport) =>
    toCsv(
      ['question', 'normalized', 'count', 'last_asked'],
      r.groups.map((g) => [g.question, g.normalized, g.count, zonedTime(g.lastAsked, r.range.tz)]),
    ),
  feedback: (r: FeedbackReport) =>
    toCsv(
      ['day', 'up', 'down', 'ratio'],
      [
        ...r.days.map((d): Cell[] => [
          d.day,
          d.up,
          d.down,
          d.up + d.down ? Math.round((d.up / (d.up + d.down)) * 10_000) / 10_000 : null,
        ]),
        ['total', r.up, r.down, r.ratio],
      ],
    ),
  latency: (r: LatencyReport) =>
    toCsv(
      ['day', 'count', 'p50_ms', 'p95_ms'],
      [...r.days.map((d): Cell[] => [d.day, d.count, d.p50, d.p95]), ['total', r.count, r.p50, r.p95]],
    ),
};

export type AnalyticsChart = keyof typeof analyticsCsv;
