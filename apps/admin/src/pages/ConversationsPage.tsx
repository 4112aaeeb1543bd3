/**
 * Conversations: the chat's transcripts, filtered by date, outcome (answered, fallback, handoff)
 * and feedback, paged on the server; a transcript shows each bot reply's path, confidence, the
 * intent its question was labelled with and why the pipeline decided so, the customer's votes, and
 * the messages left for an agent (handled or not). `?session=<id>` opens that transcript (the agent
 * console links to it).
 */
import { Badge, Card, Drawer, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { DateField } from '../components/DateField';
import { DataTable } from '../components/DataTable';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { apiJson, apiPage } from '../lib/api';
import { dayBoundary, formatTime } from '../lib/dates';
import { decisionText } from '../lib/decision-text';
import { useT } from '../lib/i18n-context';
import { pageQuery } from '../lib/paging';
import type { ConversationSummary, KnowledgeBase, Transcript, TranscriptMessage } from '../lib/types';

const PAGE_SIZE = 20;
const column = createColumnHelper<ConversationSummary>();

export function ConversationsPage({ kb }: { kb: KnowledgeBase }) {
  const { t, lang } = useT();
  const [page, setPage] = useState(1);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [params] = useSearchParams();
  const [open, setOpen] = useState<string | null>(params.get('session'));
  const filters = {
    q,
    from: dayBoundary(from),
    to: dayBoundary(to, true),
    outcome: outcome ?? undefined,
    feedback: feedback ?? undefined,
  };
  const list = useQuery({
    queryKey: ['conversations', kb.id, filters, page],
    queryFn: () =>
      apiPage<ConversationSummary>(`/api/kbs/${kb.id}/conversations`, {
        ...filters,
        ...pageQuery(page, PAGE_SIZE),
      }),
    placeholderData: keepPreviousData,
  });
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  const columns = [
    column.accessor('createdAt', {
      header: t('conv.started'),
      size: 150,
      cell: (c) => formatTime(c.getValue(), lang),
    }),
    column.accessor('firstQuestion', {
      header: t('conv.firstQuestion'),
      cell: (c) => (
        <Text size="sm" lineClamp={1}>
          {c.getValue() ?? '—'}
        </Text>
      ),
    }),
    column.accessor('messages', { header: t('conv.messages'), size: 70 }),
    column.display({
      id: 'outcomes',
      header: t('conv.outcomes'),
      size: 220,
      cell: (c) => {
        const r = c.row.original;
        return (
          <Group gap={4}>
            {r.answered > 0 && (
              <Badge color="teal" variant="light">
                {t('conv.answeredN', { n: r.answered })}
              </Badge>
            )}
            {r.fallbacks > 0 && (
              <Badge color="red" variant="light">
                {t('conv.fallbacksN', { n: r.fallbacks })}
              </Badge>
            )}
            {(r.handoffs > 0 || r.agentId) && (
              <Badge color="grape" variant="light">
                {t('conv.handoff')}
              </Badge>
            )}
          </Group>
        );
      },
    }),
    column.accessor('feedback', {
      header: t('conv.feedback'),
      size: 90,
      cell: (c) => t('conv.votes', { up: c.getValue().up, down: c.getValue().down }),
    }),
  ];
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <DateField
          label={t('conv.from')}
          value={from}
          maxDate={to || undefined}
          clearable
          placeholder={t('conv.all')}
          onChange={reset(setFrom)}
        />
        <DateField
          label={t('conv.to')}
          value={to}
          clearable
          placeholder={t('conv.all')}
          onChange={reset(setTo)}
        />
        <Select
          label={t('conv.outcome')}
          placeholder={t('conv.all')}
          clearable
          value={outcome}
          onChange={reset(setOutcome)}
          data={(['answered', 'fallback', 'handoff'] as const).map((v) => ({
            value: v,
            label: t(`conv.outcome.${v}`),
          }))}
          w={150}
        />
        <Select
          label={t('conv.feedback')}
          placeholder={t('conv.all')}
          clearable
          value={feedback}
          onChange={reset(setFeedback)}
          data={(['up', 'down', 'any'] as const).map((v) => ({ value: v, label: t(`conv.feedback.${v}`) }))}
          w={150}
        />
        <TextInput
          label={t('conv.search')}
          value={search}
          onChange={(e) => reset(setSearch)(e.currentTarget.value)}
          w={200}
        />
      </Group>
      <QueryState query={list} isEmpty={(d) => d.total === 0} empty={t('conv.empty')}>
        {(data) => (
          <>
            <DataTable
              rows={data.items}
              columns={columns}
              rowKey={(c) => c.id}
              onRowClick={(c) => setOpen(c.id)}
              selectedKey={open ?? undefined}
              testId="conversation-table"
            />
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} />
          </>
        )}
      </QueryState>
      <Drawer
        opened={open !== null}
        onClose={() => setOpen(null)}
        position="right"
        size="lg"
        title={t('conv.transcript')}
      >
        {open && <TranscriptView kbId={kb.id} conversationId={open} />}
      </Drawer>
    </Stack>
  );
}

const PATH_COLOR: Record<string, string> = {
  faq: 'teal',
  extracted: 'blue',
  clarify: 'yellow',
  fallback: 'red',
};

function TranscriptView({ kbId, conversationId }: { kbId: string; conversationId: string }) {
  const { t, lang } = useT();
  const transcript = useQuery({
    queryKey: ['transcript', kbId, conversationId],
    queryFn: () => apiJson<Transcript>('GET', `/api/kbs/${kbId}/conversations/${conversationId}`),
  });
  return (
    <QueryState query={transcript} isEmpty={(d) => d.messages.length === 0} empty={t('conv.noMessages')}>
      {(data) => (
        <Stack gap="xs" data-testid="transcript">
          <Text size="xs" c="dimmed">
            {formatTime(data.createdAt, lang)} · {t(`conv.status.${data.status}`)}
            {data.agentId ? ` · ${t('conv.agent')}: ${data.agentId}` : ''}
          </Text>
          {data.messages.map((m) => (
            <Bubble key={m.seq} m={m} />
          ))}
        </Stack>
      )}
    </QueryState>
  );
}

function Bubble({ m }: { m: TranscriptMessage }) {
  const { t } = useT();
  const mine = m.role === 'customer';
  if (m.role === 'system')
    return (
      <Text size="xs" c="dimmed" ta="center">
        {m.text}
      </Text>
    );
  return (
    <Group justify={mine ? 'flex-end' : 'flex-start'}>
      <Paper
        p="xs"
        radius="md"
        maw="85%"
        bg={mine ? 'teal.0' : m.role === 'agent' ? 'grape.0' : 'gray.0'}
        withBorder
      >
        <Group gap={4} mb={2}>
          <Text size="xs" fw={600}>
            {t(`role.${m.role}`)}
          </Text>
          {m.payload?.type && (
            <Badge size="xs" color={PATH_COLOR[m.payload.type] ?? 'gray'} variant="light">
              {t(`path.${m.payload.type}`)}
            </Badge>
          )}
          {typeof m.payload?.confidence === 'number' && (
            <Text size="xs" c="dimmed">
              {m.payload.confidence.toFixed(2)}
            </Text>
          )}
          {m.intent && (
            <Badge size="xs" color="indigo" variant="outline" data-testid="message-intent">
              {t('conv.intent', { intent: m.intent })}
            </Badge>
          )}
          {m.payload?.leftForAgent && (
            <Badge size="xs" color="orange" variant="light" data-testid="left-message-label">
              {t('conv.leftMessage')} ·{' '}
              {m.handledBy ? t('conv.leftHandled', { by: m.handledBy }) : t('conv.leftWaiting')}
            </Badge>
          )}
          {m.feedback && (
            <Badge size="xs" variant="outline" color={m.feedback.vote === 'up' ? 'teal' : 'red'}>
              {t(m.feedback.vote === 'up' ? 'conv.feedback.up' : 'conv.feedback.down')}
            </Badge>
          )}
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {m.text}
        </Text>
        {m.payload?.rewrittenQuestion && (
          <Text size="xs" c="dimmed" mt={2}>
            {t('test.rewritten')}: {m.payload.rewrittenQuestion}
          </Text>
        )}
        {m.role === 'bot' && (m.payload?.decision || m.payload?.reason) && (
          <Text size="xs" c="dimmed" mt={2} data-testid="message-decision">
            {t('test.reason', { reason: decisionText(t, m.payload) })}
          </Text>
        )}
        {m.feedback?.comment && (
          <Card p={4} mt={4} withBorder>
            <Text size="xs">{m.feedback.comment}</Text>
          </Card>
        )}
      </Paper>
    </Group>
  );
}
