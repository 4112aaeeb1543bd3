/**
 * The audit log of an organisation, for its owners: every change, newest first and paged, as who did
 * what to which KB in words (lib/audit-log), each row opening on what it changed (the fields before
 * and after, else the JSON the log holds). A KB filter reads one KB's rows, a deleted KB's too (each
 * row and the filter name a KB as the API gives it: a deleted one by the name its rows recorded).
 * Non-owners see only why the page is not for them.
 */
import { Badge, Button, Code, Group, NativeSelect, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { DataTable } from '../components/DataTable';
import { OwnedOrganisation } from '../components/OwnedOrganisation';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { apiJson, apiPage } from '../lib/api';
import {
  auditActionText,
  auditActor,
  auditChanges,
  auditFieldLabel,
  auditKbOptions,
  auditKbText,
  auditValueText,
  isKnownAction,
} from '../lib/audit-log';
import { formatTime } from '../lib/dates';
import { useT } from '../lib/i18n-context';
import { pageQuery } from '../lib/paging';
import type { ApiKey, AuditEntry, AuditKb, Member } from '../lib/types';

const PAGE_SIZE = 20;
const column = createColumnHelper<AuditEntry>();

export function AuditLogPage() {
  const { t } = useT();
  return (
    <OwnedOrganisation
      title={t('audit.title')}
      ownersOnly={t('audit.ownersOnly')}
      ownersOnlyTestId="audit-owners-only"
    >
      {(organisationId) => <AuditLog organisationId={organisationId} />}
    </OwnedOrganisation>
  );
}

function AuditLog({ organisationId }: { organisationId: string }) {
  const { t, lang } = useT();
  const [page, setPage] = useState(1);
  const [kbId, setKbId] = useState('');
  const [opened, setOpened] = useState<string | null>(null);
  const base = `/api/organisations/${organisationId}`;
  const log = useQuery({
    queryKey: ['audit-log', organisationId, kbId, page],
    queryFn: () => apiPage<AuditEntry>(`${base}/audit-log`, { ...pageQuery(page, PAGE_SIZE), kbId }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  // Names for the ids the log keeps: its KBs (deleted ones too, for the filter), members and API keys.
  const kbs = useQuery({
    queryKey: ['audit-log-kbs', organisationId],
    queryFn: () => apiJson<AuditKb[]>('GET', `${base}/audit-log/kbs`),
    staleTime: 0,
  });
  const members = useQuery({
    queryKey: ['members', organisationId],
    queryFn: () => apiJson<Member[]>('GET', `${base}/users`),
  });
  const apiKeys = useQuery({
    queryKey: ['api-keys', organisationId],
    queryFn: () => apiJson<ApiKey[]>('GET', `${base}/api-keys`),
  });

  const columns = [
    column.accessor('createdAt', {
      header: t('audit.when'),
      size: 150,
      cell: (c) => (
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatTime(c.getValue(), lang)}
        </Text>
      ),
    }),
    column.display({
      id: 'who',
      header: t('audit.who'),
      size: 210,
      cell: (c) => {
        const actor = auditActor(c.row.original, members.data ?? [], apiKeys.data ?? [], t);
        return (
          <Stack gap={0} data-testid="audit-actor">
            <Group gap={6} wrap="nowrap">
              {actor.kind !== 'user' && (
                <Badge size="xs" variant="light" color={actor.kind === 'system' ? 'gray' : 'blue'} tt="none">
                  {t(`audit.actor.kind.${actor.kind}`)}
                </Badge>
              )}
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {actor.label}
              </Text>
            </Group>
            {actor.detail && (
              <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {actor.detail}
              </Text>
            )}
          </Stack>
        );
      },
    }),
    column.accessor('action', {
      header: t('audit.what'),
      cell: (c) =>
        isKnownAction(c.getValue()) ? (
          <Text size="sm" data-testid="audit-action" title={c.getValue()}>
            {auditActionText(c.row.original, t)}
          </Text>
        ) : (
          <Text size="sm" ff="monospace" data-testid="audit-action" style={{ overflowWrap: 'anywhere' }}>
            {c.getValue()}
          </Text>
        ),
    }),
    column.accessor('kbId', {
      header: t('audit.kb'),
      size: 170,
      cell: (c) => {
        const kb = auditKbText(c.row.original, t);
        return (
          <Text
            size="sm"
            c={kb && !kb.deleted ? undefined : 'dimmed'}
            fs={kb?.deleted ? 'italic' : undefined}
            style={{ overflowWrap: 'anywhere' }}
            data-testid="audit-kb"
          >
            {kb?.text ?? t('audit.orgWide')}
          </Text>
        );
      },
    }),
    column.display({
      id: 'detail',
      header: '',
      size: 120,
      cell: (c) => {
        const id = c.row.original.id;
        return (
          <Button
            size="compact-xs"
            variant="subtle"
            aria-expanded={opened === id}
            onClick={() => setOpened(opened === id ? null : id)}
          >
            {opened === id ? t('audit.hide') : t('audit.show')}
          </Button>
        );
      },
    }),
  ];

  return (
    <>
      <Text size="sm" c="dimmed" maw={820}>
        {t('audit.intro')}
      </Text>
      <NativeSelect
        label={t('audit.kbFilter')}
        value={kbId}
        onChange={(e) => {
          setKbId(e.currentTarget.value);
          setPage(1);
          setOpened(null);
        }}
        data={[{ value: '', label: t('audit.allKbs') }, ...auditKbOptions(kbs.data ?? [], t)]}
        maw={320}
      />
      <QueryState
        query={log}
        isEmpty={(data) => data.total === 0}
        empty={kbId ? t('audit.emptyKb') : t('audit.empty')}
      >
        {(data) => (
          <>
            <DataTable
              rows={data.items}
              columns={columns}
              rowKey={(e) => e.id}
              testId="audit-table"
              detail={(e) => (e.id === opened ? <AuditDetail entry={e} /> : null)}
            />
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} />
          </>
        )}
      </QueryState>
    </>
  );
}

/** What a row changed: the fields before and after where the log holds both, else its JSON. */
function AuditDetail({ entry }: { entry: AuditEntry }) {
  const { t } = useT();
  const changes = auditChanges(entry);
  if (changes)
    return changes.length === 0 ? (
      <Text size="sm" c="dimmed" data-testid="audit-detail">
        {t('audit.noChange')}
      </Text>
    ) : (
      <Table withTableBorder layout="fixed" data-testid="audit-detail">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={160}>{t('audit.field')}</Table.Th>
            <Table.Th>{t('audit.before')}</Table.Th>
            <Table.Th>{t('audit.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changes.map((c) => {
            const before = auditValueText(c.before, t);
            const after = auditValueText(c.after, t);
            // An empty side is a dash, not a value struck out or added.
            const cell = (text: string, color: string, struck: boolean) => (
              <Table.Td
                c={text === '—' ? 'dimmed' : color}
                td={struck && text !== '—' ? 'line-through' : undefined}
                style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              >
                {text}
              </Table.Td>
            );
            return (
              <Table.Tr key={c.field} data-testid="audit-change">
                <Table.Td fw={600}>{auditFieldLabel(c.field, t)}</Table.Td>
                {cell(before, 'red.8', true)}
                {cell(after, 'teal.8', false)}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    );
  const json = (value: unknown) => (value == null ? '—' : JSON.stringify(value, null, 2));
  if (entry.before == null && entry.after == null)
    return (
      <Text size="sm" c="dimmed" data-testid="audit-detail">
        {t('audit.noDetail')}
      </Text>
    );
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="audit-detail">
      {(['before', 'after'] as const).map((side) => (
        <Stack gap={4} key={side}>
          <Text size="xs" fw={600} c="dimmed">
            {t(side === 'before' ? 'audit.before' : 'audit.after')}
          </Text>
          <Code
            block
            style={{ maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          >
            {json(entry[side])}
          </Code>
        </Stack>
      ))}
    </SimpleGrid>
  );
}
