/**
 * The analytics dashboard at /admin/analytics: for one KB and a date range (days in the browser's
 * time zone), questions per day by outcome, outcome rates, top intents and their trend, top
 * unanswered questions, feedback and answer latency, each from /api/kbs/:id/analytics/<chart> and
 * each with its CSV export (the same endpoint with format=csv, so the file's numbers are the API's).
 * The KB and range live in the URL, so a view can be shared.
 */
import {
  Alert,
  Button,
  Card,
  Group,
  MultiSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { DateField } from '../components/DateField';
import { EChart } from '../components/EChart';
import { FitFigure } from '../components/FitFigure';
import { QueryState } from '../components/QueryState';
import { ApiError, apiJson, apiPage, withQuery } from '../lib/api';
import { useAuth } from '../lib/auth';
import {
  BROWSER_TIME_ZONE as TZ,
  earliestFrom,
  lastDays,
  rangeProblem,
  toBounds,
} from '../lib/analytics-range';
import { axisDay, formatDay } from '../lib/dates';
import { downloadFile } from '../lib/download';
import { fill, type UiLanguage } from '../lib/i18n';
import { useT } from '../lib/i18n-context';
import { latencyAxisLabel, latencyAxisUnit } from '../lib/latency-axis';
import { pageQuery } from '../lib/paging';
import { notify } from '../lib/notify';
import { csvExportErrorText } from '../lib/request-error-text';
import { kbLabels } from '../lib/kb-labels';
import type { KnowledgeBase } from '../lib/types';

type Outcome = 'faq' | 'extracted' | 'clarify' | 'fallback' | 'handoff';
const OUTCOMES: Outcome[] = ['faq', 'extracted', 'clarify', 'fallback', 'handoff'];
const COLORS: Record<Outcome, string> = {
  faq: '#2f9e44',
  extracted: '#66a80f',
  clarify: '#f59f00',
  fallback: '#e8590c',
  handoff: '#c92a2a',
};

interface Range {
  from: string;
  to: string;
  tz: string;
  days: string[];
}
interface Messages {
  range: Range;
  days: ({ day: string; total: number } & Record<Outcome, number>)[];
}
interface Outcomes {
  range: Range;
  total: number;
  counts: Record<Outcome, number>;
  rates: Record<Outcome | 'answered', number | null>;
}
interface Intents {
  range: Range;
  intents: { intent: string; count: number; daily: number[] }[];
}
interface Unanswered {
  range: Range;
  groups: { question: string; normalized: string; count: number; lastAsked: string }[];
}
interface Feedback {
  range: Range;
  up: number;
  down: number;
  ratio: number | null;
  days: { day: string; up: number; down: number }[];
}
interface Latency {
  range: Range;
  count: number;
  p50: number | null;
  p95: number | null;
  days: { day: string; count: number; p50: number | null; p95: number | null }[];
}

const TEXT = {
  zh: {
    kb: '知识库',
    from: '开始日期',
    to: '结束日期',
    days: '最近 {n} 天',
    tz: '按 {tz} 时区计日',
    noKb: '还没有知识库。',
    pickKb: '选择知识库',
    kbMissing: '网址中的知识库不存在或已被删除，请在上方另选一个知识库。',
    csv: '导出 CSV',
    empty: '这段时间没有数据。',
    noIntents: '这段时间没有提问匹配到意图。',
    allAnswered: '这段时间的提问都已答出。',
    noVotes: '这段时间的回答没有收到评价。',
    questions: '提问数',
    answerRate: '回答率',
    answerRateHint: 'FAQ 答案 + 文档摘录',
    clarifyRate: '反问澄清率',
    clarifyRateHint: '先反问客户，确认所问',
    fallbackRate: '未答出率',
    fallbackRateHint: '兜底回复，不含转人工',
    handoffRate: '转人工率',
    handoffRateHint: '客户要求或连续未答出后',
    feedbackRatio: '好评率',
    votes: '{n} 次评价',
    latency: '响应时间',
    latencySummaryHint: 'p50 / p95，估算值，误差在 10% 以内',
    latencyHint: '估算值，误差在 10% 以内',
    messagesTitle: '每日提问数（按结果）',
    outcomesTitle: '结果占比',
    intentsTitle: '热门意图',
    trendTitle: '热门意图趋势（前 5）',
    unansweredTitle: '未答出的热门问题（前 10）',
    unansweredNote: '未答出的提问，加上连续未答出后转人工的提问',
    feedbackTitle: '每日评价',
    latencyTitle: '每日响应时间（毫秒）',
    question: '问题',
    count: '次数',
    lastAsked: '最近一次',
    up: '好评',
    down: '差评',
    badRange: '开始日期不能晚于结束日期。',
    longRange: '所选时间段共 {days} 天，最多可查看 {max} 天，请缩短。',
    invalidRange: '网址中的日期无效，请重新选择日期。',
    faq: 'FAQ 答案',
    extracted: '文档摘录',
    clarify: '反问澄清',
    fallback: '未答出',
    handoff: '转人工',
  },
  en: {
    kb: 'Knowledge base',
    from: 'From',
    to: 'To',
    days: 'Last {n} days',
    tz: 'Days counted in {tz}',
    noKb: 'There are no knowledge bases yet.',
    pickKb: 'Pick a knowledge base',
    kbMissing:
      'The knowledge base in the address does not exist or was deleted. Please pick another one above.',
    csv: 'Export CSV',
    empty: 'No data in this period.',
    noIntents: 'No question in this period was matched to an intent.',
    allAnswered: 'Every question in this period was answered.',
    noVotes: 'No votes on answers in this period.',
    questions: 'Questions',
    answerRate: 'Answer rate',
    answerRateHint: 'FAQ + document extracts',
    clarifyRate: 'Clarification',
    clarifyRateHint: 'asked what was meant',
    fallbackRate: 'Not answered',
    fallbackRateHint: 'fallbacks only, no handoffs',
    handoffRate: 'Handed off',
    handoffRateHint: 'on request or after fallbacks',
    feedbackRatio: 'Thumbs up',
    votes: '{n} {n|vote|votes}',
    latency: 'Answer time',
    latencySummaryHint: 'p50 / p95, estimated within 10 %',
    latencyHint: 'estimated, within 10 %',
    messagesTitle: 'Questions per day by outcome',
    outcomesTitle: 'Outcomes',
    intentsTitle: 'Top intents',
    trendTitle: 'Top intents over time (top 5)',
    unansweredTitle: 'Top 10 unanswered questions',
    unansweredNote: 'Not answered, plus handoffs after repeated fallbacks',
    feedbackTitle: 'Feedback per day',
    latencyTitle: 'Answer time per day (ms)',
    question: 'Question',
    count: 'Count',
    lastAsked: 'Last asked',
    up: 'Thumbs up',
    down: 'Thumbs down',
    badRange: 'The start date is after the end date.',
    longRange: 'The range is {days} days long; at most {max} days can be shown. Please shorten it.',
    invalidRange: 'The dates in the address are not valid days; please pick the dates again.',
    faq: 'FAQ answer',
    extracted: 'Document extract',
    clarify: 'Clarifying question',
    fallback: 'Not answered',
    handoff: 'Handed to a human',
  },
};
type Key = keyof typeof TEXT.zh;

const daysBefore = (day: string, n: number) =>
  new Date(Date.parse(day) - n * 86_400_000).toISOString().slice(0, 10);
/**
 * A day axis (12-07 in Chinese, Dec 7 in English) that labels every `step`-th day counted back from
 * the last, so the latest day is always labelled, and charts of one range label the same days whatever
 * their width (echarts' own spacing skipped the last day in the half-width charts).
 */
function dayAxis(days: string[], lang: UiLanguage) {
  const step = Math.max(1, Math.ceil(days.length / 8));
  return {
    type: 'category' as const,
    data: days.map((day) => axisDay(day, lang)),
    axisLabel: { interval: (index: number) => (days.length - 1 - index) % step === 0 },
  };
}
/**
 * Rows of the top-unanswered table, asked of the API for the table and its CSV alike: the export holds
 * what the table shows (the API's default is 20, and the file had ten rows the table did not).
 */
const TOP_UNANSWERED = 10;
/**
 * Intents the trend chart draws, asked of the API for the chart and its CSV alike (the title says
 * "top 5"): the export was the intents chart's, the API's default ten.
 */
const TOP_TREND_INTENTS = 5;
const percent = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

/** One chart's data for the KB and range (kept on screen while the next range loads). */
function useChart<T>(
  name: string,
  kbId: string | null,
  range: { from: string; to: string; tz: string; kbIds?: string; limit?: number },
  valid: boolean,
) {
  return useQuery({
    queryKey: ['analytics', name, kbId, range.from, range.to, range.tz, range.kbIds, range.limit],
    queryFn: () => apiJson<T>('GET', withQuery(`/api/kbs/${kbId}/analytics/${name}`, range)),
    enabled: !!kbId && valid,
    placeholderData: keepPreviousData,
  });
}

export function AnalyticsPage() {
  const { lang } = useT();
  const memberships = useAuth().data?.session?.memberships;
  const say = (key: Key, vars: Record<string, string | number> = {}) => fill(TEXT[lang][key], vars);
  const [params, setParams] = useSearchParams();
  const today = lastDays(1).to;
  const to = params.get('to') ?? today;
  const from = params.get('from') ?? daysBefore(to, 29);
  const kbs = useQuery({
    queryKey: ['kbs', 'all'],
    queryFn: () => apiPage<KnowledgeBase>('/api/kbs', pageQuery(1, 100)),
  });
  // The first KB chosen is the path's; more of its organisation are counted with it (kbIds).
  const chosen = (params.get('kb') ?? '').split(',').filter(Boolean);
  // A KB of the address that is not in the (complete) list is unknown or deleted: it is left out of
  // the picker and asked for by no chart, and the page says so once (it was the raw id in the picker
  // and the API's English 404 in every chart). Charts wait for the list to know.
  const listed = kbs.data?.items ?? [];
  const listComplete = !!kbs.data && listed.length >= kbs.data.total;
  // KBs of two organisations named alike also say whose each is.
  const labels = kbLabels(listed, memberships);
  const unknownKbs = listComplete
    ? chosen.filter((id) => !listed.some((kb) => kb.id === id.toLowerCase()))
    : [];
  const kbIdList = chosen.length
    ? chosen.filter((id) => !unknownKbs.includes(id))
    : listed.slice(0, 1).map((kb) => kb.id);
  const kbId = kbs.data ? (kbIdList[0] ?? null) : null;
  const organisation = kbs.data?.items.find((kb) => kb.id === kbId)?.organisationId;
  const set = (changes: Record<string, string>) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      for (const [k, v] of Object.entries(changes)) next.set(k, v);
      return next;
    });
  const problem = rangeProblem(from, to);
  const badRange = problem !== null;
  const query = { from, to, tz: TZ, ...(kbIdList.length > 1 ? { kbIds: kbIdList.slice(1).join(',') } : {}) };
  const messages = useChart<Messages>('messages', kbId, query, !badRange);
  const outcomes = useChart<Outcomes>('outcomes', kbId, query, !badRange);
  const intents = useChart<Intents>('intents', kbId, query, !badRange);
  const trend = useChart<Intents>('intents', kbId, { ...query, limit: TOP_TREND_INTENTS }, !badRange);
  const unanswered = useChart<Unanswered>('unanswered', kbId, { ...query, limit: TOP_UNANSWERED }, !badRange);
  const feedback = useChart<Feedback>('feedback', kbId, query, !badRange);
  const latency = useChart<Latency>('latency', kbId, query, !badRange);
  // One beyond the first 100 listed, or deleted since the list came, is found out by the API's 404.
  const kbMissing =
    unknownKbs.length > 0 || (outcomes.error instanceof ApiError && outcomes.error.status === 404);
  // A chart with nothing to draw in a range with questions says why (every question answered, no vote
  // given), not "no data in this period" beside a count of questions.
  const asked = (outcomes.data?.total ?? 0) > 0;
  const csv = (name: string, extra: Record<string, number> = {}) =>
    withQuery(`/api/kbs/${kbId}/analytics/${name}`, { ...query, ...extra, format: 'csv', lang });

  return (
    <Stack>
      <Title order={2}>{lang === 'zh' ? '数据分析' : 'Analytics'}</Title>
      <QueryState query={kbs} isEmpty={(d) => d.items.length === 0} empty={say('noKb')}>
        {(list) => (
          <Group align="flex-end" gap="sm" wrap="wrap">
            <MultiSelect
              label={say('kb')}
              data={list.items.map((kb) => ({
                value: kb.id,
                label: labels.get(kb.id) ?? kb.name,
                // KBs are counted together within one organisation.
                disabled: !!organisation && !!kb.organisationId && kb.organisationId !== organisation,
              }))}
              value={kbIdList}
              placeholder={kbIdList.length ? undefined : say('pickKb')}
              onChange={(v) => v.length && set({ kb: v.join(',') })}
              w={320}
            />
            <DateField
              label={say('from')}
              value={from}
              minDate={earliestFrom(to)}
              maxDate={to}
              onChange={(day) => set({ from: day })}
            />
            <DateField
              label={say('to')}
              value={to}
              {...toBounds(from, today)}
              onChange={(day) => set({ to: day })}
            />
            <Button.Group>
              {[7, 30, 90].map((n) => (
                <Button
                  key={n}
                  variant={to === today && from === daysBefore(today, n - 1) ? 'filled' : 'default'}
                  onClick={() => set({ from: daysBefore(today, n - 1), to: today })}
                >
                  {say('days', { n })}
                </Button>
              ))}
            </Button.Group>
            <Text size="xs" c="dimmed" pb={8}>
              {say('tz', { tz: TZ })}
            </Text>
          </Group>
        )}
      </QueryState>
      {kbMissing && (
        <Alert color="yellow" data-testid="kb-missing">
          {say('kbMissing')}
        </Alert>
      )}
      {problem && (
        <Alert color="red" data-testid="range-problem">
          {problem.kind === 'order'
            ? say('badRange')
            : problem.kind === 'tooLong'
              ? say('longRange', { days: problem.days, max: problem.max })
              : say('invalidRange')}
        </Alert>
      )}
      {kbId && !badRange && !(kbMissing && !unknownKbs.length) && (
        <>
          <Summary outcomes={outcomes} feedback={feedback} latency={latency} say={say} />
          <ChartCard
            title={say('messagesTitle')}
            csv={csv('messages')}
            stale={messages.isPlaceholderData}
            say={say}
          >
            <QueryState
              query={messages}
              isEmpty={(d) => d.days.every((x) => x.total === 0)}
              empty={say('empty')}
            >
              {(d) => (
                <EChart
                  label={say('messagesTitle')}
                  option={{
                    tooltip: { trigger: 'axis' },
                    legend: { top: 0 },
                    grid: { left: 40, right: 16, top: 36, bottom: 28 },
                    xAxis: dayAxis(
                      d.days.map((x) => x.day),
                      lang,
                    ),
                    yAxis: { type: 'value', minInterval: 1 },
                    series: OUTCOMES.map((o) => ({
                      name: say(o),
                      type: 'bar',
                      stack: 'all',
                      color: COLORS[o],
                      data: d.days.map((x) => x[o]),
                    })),
                  }}
                />
              )}
            </QueryState>
          </ChartCard>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ChartCard
              title={say('outcomesTitle')}
              csv={csv('outcomes')}
              stale={outcomes.isPlaceholderData}
              say={say}
            >
              <QueryState query={outcomes} isEmpty={(d) => d.total === 0} empty={say('empty')}>
                {(d) => (
                  <EChart
                    label={say('outcomesTitle')}
                    height={220}
                    option={{
                      tooltip: { trigger: 'item', valueFormatter: (v: number) => `${v}%` },
                      grid: { left: 110, right: 48, top: 8, bottom: 24 },
                      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
                      yAxis: { type: 'category', inverse: true, data: OUTCOMES.map((o) => say(o)) },
                      series: [
                        {
                          type: 'bar',
                          label: {
                            show: true,
                            position: 'right',
                            formatter: (p: { value: number }) => `${p.value.toFixed(1)}%`,
                          },
                          data: OUTCOMES.map((o) => ({
                            value: Math.round((d.rates[o] ?? 0) * 1000) / 10,
                            itemStyle: { color: COLORS[o] },
                          })),
                        },
                      ],
                    }}
                  />
                )}
              </QueryState>
            </ChartCard>
            <ChartCard
              title={say('intentsTitle')}
              csv={csv('intents')}
              stale={intents.isPlaceholderData}
              say={say}
            >
              <QueryState
                query={intents}
                isEmpty={(d) => d.intents.length === 0}
                empty={say(asked ? 'noIntents' : 'empty')}
              >
                {(d) => (
                  <EChart
                    label={say('intentsTitle')}
                    height={220}
                    option={{
                      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
                      xAxis: { type: 'value', minInterval: 1 },
                      yAxis: {
                        type: 'category',
                        inverse: true,
                        data: d.intents.map((i) => i.intent),
                        axisLabel: { width: 180, overflow: 'truncate' },
                      },
                      series: [
                        {
                          type: 'bar',
                          color: '#1c7ed6',
                          label: { show: true, position: 'right' },
                          data: d.intents.map((i) => i.count),
                        },
                      ],
                    }}
                  />
                )}
              </QueryState>
            </ChartCard>
          </SimpleGrid>
          <ChartCard
            title={say('trendTitle')}
            csv={csv('intents', { limit: TOP_TREND_INTENTS })}
            stale={trend.isPlaceholderData}
            say={say}
          >
            <QueryState
              query={trend}
              isEmpty={(d) => d.intents.length === 0}
              empty={say(asked ? 'noIntents' : 'empty')}
            >
              {(d) => (
                <EChart
                  label={say('trendTitle')}
                  option={{
                    tooltip: { trigger: 'axis' },
                    legend: { top: 0, type: 'scroll' },
                    grid: { left: 40, right: 16, top: 36, bottom: 28 },
                    xAxis: dayAxis(d.range.days, lang),
                    yAxis: { type: 'value', minInterval: 1 },
                    series: d.intents.map((i) => ({
                      name: i.intent,
                      type: 'line',
                      // Straight segments: a smoothed count line dips below zero between days.
                      symbolSize: 5,
                      data: i.daily,
                    })),
                  }}
                />
              )}
            </QueryState>
          </ChartCard>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ChartCard
              title={say('unansweredTitle')}
              note={say('unansweredNote')}
              csv={csv('unanswered', { limit: TOP_UNANSWERED })}
              stale={unanswered.isPlaceholderData}
              say={say}
            >
              <QueryState
                query={unanswered}
                isEmpty={(d) => d.groups.length === 0}
                empty={say(asked ? 'allAnswered' : 'empty')}
              >
                {(d) => (
                  <Table striped data-testid="unanswered-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{say('question')}</Table.Th>
                        <Table.Th ta="right">{say('count')}</Table.Th>
                        <Table.Th>{say('lastAsked')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {d.groups.map((g) => (
                        <Table.Tr key={g.normalized}>
                          <Table.Td>{g.question}</Table.Td>
                          <Table.Td ta="right">{g.count}</Table.Td>
                          <Table.Td>{formatDay(g.lastAsked, lang)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </QueryState>
            </ChartCard>
            <ChartCard
              title={say('feedbackTitle')}
              csv={csv('feedback')}
              stale={feedback.isPlaceholderData}
              say={say}
            >
              <QueryState
                query={feedback}
                isEmpty={(d) => d.up + d.down === 0}
                empty={say(asked ? 'noVotes' : 'empty')}
              >
                {(d) => (
                  <EChart
                    label={say('feedbackTitle')}
                    height={240}
                    option={{
                      tooltip: { trigger: 'axis' },
                      legend: { top: 0 },
                      grid: { left: 40, right: 16, top: 36, bottom: 28 },
                      xAxis: dayAxis(
                        d.days.map((x) => x.day),
                        lang,
                      ),
                      yAxis: { type: 'value', minInterval: 1 },
                      series: [
                        {
                          name: say('up'),
                          type: 'bar',
                          stack: 'v',
                          color: '#2f9e44',
                          data: d.days.map((x) => x.up),
                        },
                        {
                          name: say('down'),
                          type: 'bar',
                          stack: 'v',
                          color: '#c92a2a',
                          data: d.days.map((x) => x.down),
                        },
                      ],
                    }}
                  />
                )}
              </QueryState>
            </ChartCard>
          </SimpleGrid>
          <ChartCard
            title={say('latencyTitle')}
            csv={csv('latency')}
            stale={latency.isPlaceholderData}
            say={say}
            hint={say('latencyHint')}
          >
            <QueryState query={latency} isEmpty={(d) => d.count === 0} empty={say('empty')}>
              {(d) => (
                <EChart
                  label={say('latencyTitle')}
                  option={{
                    tooltip: {
                      trigger: 'axis',
                      valueFormatter: (v: number | null) => (v === null ? '–' : `${v} ms`),
                    },
                    legend: { top: 0 },
                    grid: { left: 48, right: 16, top: 36, bottom: 28 },
                    xAxis: dayAxis(
                      d.days.map((x) => x.day),
                      lang,
                    ),
                    yAxis: {
                      type: 'value',
                      axisLabel: {
                        formatter: (v: number) =>
                          latencyAxisLabel(v, lang, latencyAxisUnit(d.days.flatMap((x) => [x.p50, x.p95]))),
                      },
                    },
                    series: [
                      {
                        name: 'p50',
                        type: 'line',
                        // A day without questions has no answer time (null): the line breaks there
                        // instead of drawing answers across it, and a lone day keeps its dot.
                        connectNulls: false,
                        showAllSymbol: true,
                        color: '#1c7ed6',
                        data: d.days.map((x) => x.p50),
                      },
                      {
                        name: 'p95',
                        type: 'line',
                        connectNulls: false,
                        showAllSymbol: true,
                        color: '#e8590c',
                        data: d.days.map((x) => x.p95),
                      },
                    ],
                  }}
                />
              )}
            </QueryState>
          </ChartCard>
        </>
      )}
    </Stack>
  );
}

/** Figures kept on screen while the next range loads are faded and marked busy: they are the old range's. */
const staleStyle = (stale: boolean) => ({ opacity: stale ? 0.4 : 1, transition: 'opacity 150ms' });

function ChartCard({
  title,
  csv,
  stale,
  say,
  hint,
  note,
  children,
}: {
  title: string;
  csv: string;
  stale: boolean;
  say: (key: Key, vars?: Record<string, string | number>) => string;
  hint?: string;
  /** What the chart counts, on a line of its own under the title. */
  note?: string;
  children: ReactNode;
}) {
  // Fetched through the API client, not a plain link: a refusal (the KB deleted since the page
  // loaded, the session expired, the database down) is said here instead of a failed download.
  const [exporting, setExporting] = useState(false);
  const { t } = useT();
  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadFile(csv, 'wendao-analytics.csv');
    } catch (err) {
      notify('error', csvExportErrorText(err as Error, t));
    } finally {
      setExporting(false);
    }
  };
  return (
    <Card withBorder data-testid="analytics-card" aria-label={title} aria-busy={stale}>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Text fw={600}>{title}</Text>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </Group>
        <Button size="xs" variant="light" loading={exporting} onClick={() => void exportCsv()}>
          {say('csv')}
        </Button>
      </Group>
      {note && (
        <Text size="xs" c="dimmed" mt={-6} mb="xs" data-testid="chart-note">
          {note}
        </Text>
      )}
      <div style={staleStyle(stale)}>{children}</div>
    </Card>
  );
}

function Summary({
  outcomes,
  feedback,
  latency,
  say,
}: {
  outcomes: UseQueryResult<Outcomes>;
  feedback: UseQueryResult<Feedback>;
  latency: UseQueryResult<Latency>;
  say: (key: Key, vars?: Record<string, string | number>) => string;
}) {
  const stats = useMemo(() => {
    const o = outcomes.data;
    const f = feedback.data;
    const l = latency.data;
    // '…' while a figure loads; a failed one is '–' (its chart below says why), not loading forever.
    const oNone = outcomes.isError ? '–' : '…';
    // One unit for both, "88 / 295 ms": "88 ms / 295 ms" wrapped its unit onto a line of its own in
    // the six-across summary at 1280 px.
    const ms = (p50: number | null, p95: number | null) =>
      p50 === null || p95 === null ? '–' : `${Math.round(p50)} / ${Math.round(p95)} ms`;
    return [
      { label: say('questions'), value: o ? String(o.total) : oNone, testId: 'stat-questions' },
      {
        label: say('answerRate'),
        value: o ? percent(o.rates.answered) : oNone,
        hint: say('answerRateHint'),
        testId: 'stat-answered',
      },
      // Answered, clarified, not answered and handed off are the outcome chart's shares: they add up
      // to 100 % (the clarifying questions, 9-15 % of a KB's questions, had no card and the row fell short).
      {
        label: say('clarifyRate'),
        value: o ? percent(o.rates.clarify) : oNone,
        hint: say('clarifyRateHint'),
        testId: 'stat-clarify',
      },
      {
        label: say('fallbackRate'),
        value: o ? percent(o.rates.fallback) : oNone,
        hint: say('fallbackRateHint'),
        testId: 'stat-fallback',
      },
      {
        label: say('handoffRate'),
        value: o ? percent(o.rates.handoff) : oNone,
        hint: say('handoffRateHint'),
        testId: 'stat-handoff',
      },
      {
        label: say('feedbackRatio'),
        value: f ? percent(f.ratio) : feedback.isError ? '–' : '…',
        hint: f ? say('votes', { n: f.up + f.down }) : undefined,
        testId: 'stat-feedback',
      },
      {
        label: say('latency'),
        value: l ? ms(l.p50, l.p95) : latency.isError ? '–' : '…',
        hint: say('latencySummaryHint'),
        testId: 'stat-latency',
      },
    ];
  }, [outcomes.data, outcomes.isError, feedback.data, feedback.isError, latency.data, latency.isError, say]);
  const stale = {
    'stat-feedback': feedback.isPlaceholderData,
    'stat-latency': latency.isPlaceholderData,
  } as Record<string, boolean>;
  return (
    <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} data-testid="summary">
      {stats.map((s) => (
        <Card
          key={s.testId}
          withBorder
          padding="sm"
          aria-busy={stale[s.testId] ?? outcomes.isPlaceholderData}
          style={staleStyle(stale[s.testId] ?? outcomes.isPlaceholderData)}
        >
          <Text size="xs" c="dimmed">
            {s.label}
          </Text>
          <FitFigure value={s.value} testId={s.testId} />
          {s.hint && (
            <Text size="xs" c="dimmed" lh={1.3}>
              {s.hint}
            </Text>
          )}
        </Card>
      ))}
    </SimpleGrid>
  );
}
