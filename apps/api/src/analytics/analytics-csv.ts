/**
 * Each chart's data as CSV (RFC 4180, UTF-8 with a BOM so spreadsheet programs read Chinese right).
 * Customer text is quoted, and a cell that a spreadsheet would run as a formula (=, +, -, @ first)
 * is prefixed with an apostrophe. Headers and label cells are the API's codes (for scripts) unless a
 * language is asked for (the console asks for its own); the numbers and days are the same either way.
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

export const CSV_LANGUAGES = ['zh', 'en'] as const;
export type CsvLanguage = (typeof CSV_LANGUAGES)[number];

/** The codes a CSV uses as headers and row labels, in the console's words (apps/admin AnalyticsPage). */
const CSV_WORDS: Record<CsvLanguage, Record<string, string>> = {
  zh: {
    day: '日期',
    total: '合计',
    faq: 'FAQ 答案',
    extracted: '文档摘录',
    clarify: '反问澄清',
    fallback: '未答出',
    handoff: '转人工',
    answered: '已回答（FAQ 答案 + 文档摘录）',
    outcome: '结果',
    count: '次数',
    rate: '占比',
    intent: '意图',
    question: '问题',
    normalized: '归一化问题',
    last_asked: '最近一次',
    up: '好评',
    down: '差评',
    ratio: '好评率',
    p50_ms: 'p50（毫秒）',
    p95_ms: 'p95（毫秒）',
  },
  en: {
    day: 'Day',
    total: 'Total',
    faq: 'FAQ answer',
    extracted: 'Document extract',
    clarify: 'Clarifying question',
    fallback: 'Not answered',
    handoff: 'Handed to a human',
    answered: 'Answered (FAQ + document extracts)',
    outcome: 'Outcome',
    count: 'Count',
    rate: 'Share',
    intent: 'Intent',
    question: 'Question',
    normalized: 'Normalized question',
    last_asked: 'Last asked',
    up: 'Thumbs up',
    down: 'Thumbs down',
    ratio: 'Thumbs-up ratio',
    p50_ms: 'p50 (ms)',
    p95_ms: 'p95 (ms)',
  },
};

/** A header or row-label code in `lang`, or the code itself without one (a day or an intent stays as it is). */
function wordsOf(lang: CsvLanguage | undefined): (code: string) => string {
  return (code) => (lang ? (CSV_WORDS[lang][code] ?? code) : code);
}

export const analyticsCsv = {
  messages: (r: MessagesReport, lang?: CsvLanguage) => {
    const say = wordsOf(lang);
    return toCsv(
      ['day', 'total', ...QUESTION_OUTCOMES].map(say),
      r.days.map((d) => [d.day, d.total, ...QUESTION_OUTCOMES.map((o) => d[o])]),
    );
  },
  outcomes: (r: OutcomesReport, lang?: CsvLanguage) => {
    const say = wordsOf(lang);
    return toCsv(['outcome', 'count', 'rate'].map(say), [
      [say('answered'), r.counts.faq + r.counts.extracted, r.rates.answered],
      ...QUESTION_OUTCOMES.map((o): Cell[] => [say(o), r.counts[o], r.rates[o]]),
      [say('total'), r.total, r.total ? 1 : null],
    ]);
  },
  intents: (r: IntentsReport, lang?: CsvLanguage) => {
    const say = wordsOf(lang);
    return toCsv(
      [say('intent'), say('total'), ...r.range.days],
      r.intents.map((i) => [i.intent, i.count, ...i.daily]),
    );
  },
  unanswered: (r: UnansweredReport, lang?: CsvLanguage) =>
    toCsv(
      ['question', 'normalized', 'count', 'last_asked'].map(wordsOf(lang)),
      r.groups.map((g) => [g.question, g.normalized, g.count, zonedTime(g.lastAsked, r.range.tz)]),
    ),
  feedback: (r: FeedbackReport, lang?: CsvLanguage) => {
    const say = wordsOf(lang);
    return toCsv(['day', 'up', 'down', 'ratio'].map(say), [
      ...r.days.map((d): Cell[] => [
        d.day,
        d.up,
        d.down,
        d.up + d.down ? Math.round((d.up / (d.up + d.down)) * 10_000) / 10_000 : null,
      ]),
      [say('total'), r.up, r.down, r.ratio],
    ]);
  },
  latency: (r: LatencyReport, lang?: CsvLanguage) => {
    const say = wordsOf(lang);
    return toCsv(['day', 'count', 'p50_ms', 'p95_ms'].map(say), [
      ...r.days.map((d): Cell[] => [d.day, d.count, d.p50, d.p95]),
      [say('total'), r.count, r.p50, r.p95],
    ]);
  },
};

export type AnalyticsChart = keyof typeof analyticsCsv;
