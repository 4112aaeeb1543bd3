/**
 * Documents: the KB's files (paginated, searchable by name) with what each became; a document's
 * passages with their offsets into its extracted text; delete (its passages and FAQs go with it).
 */
import { Badge, Card, Code, Group, Spoiler, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { DataTable } from '../components/DataTable';
import { deleteColumn } from '../components/DeleteButton';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { apiJson, apiPage } from '../lib/api';
import { useT } from '../lib/i18n-context';
import { jobErrorText } from '../lib/ingest-error-text';
import { duplicateNoteText, jobWarningTexts } from '../lib/ingest-warning-text';
import { formatTime } from '../lib/dates';
import { documentTypeLabel } from '../lib/document-type';
import { pageQuery } from '../lib/paging';
import { roleAtLeast, useKbRole } from '../lib/roles';
import { emptyListKey } from '../lib/empty-list';
import type { Job, KnowledgeBase, Passage, SourceDocument } from '../lib/types';
import { jobOutcome } from '../lib/job-progress';
import { notify } from '../lib/notify';
import { deleteErrorText } from '../lib/request-error-text';

const PAGE_SIZE = 20;
const PASSAGE_PAGE = 10;
const column = createColumnHelper<SourceDocument>();

function size(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

export function DocumentsPage({ kb }: { kb: KnowledgeBase }) {
  const { t, lang } = useT();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [selected, setSelected] = useState<SourceDocument | null>(null);
  const canEdit = roleAtLeast(useKbRole(kb), 'editor');
  const list = useQuery({
    queryKey: ['documents', kb.id, q, page],
    queryFn: () =>
      apiPage<SourceDocument>(`/api/kbs/${kb.id}/documents`, { q, ...pageQuery(page, PAGE_SIZE) }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (doc: SourceDocument) => apiJson<void>('DELETE', `/api/kbs/${kb.id}/documents/${doc.id}`),
    onSuccess: (_r, doc) => {
      notify('success', t('doc.deleted', { name: doc.fileName }));
      if (selected?.id === doc.id) setSelected(null);
      for (const queryKey of [
        ['documents', kb.id],
        ['kb', kb.id],
        ['faqs', kb.id],
      ])
        void client.invalidateQueries({ queryKey });
    },
    onError: (err, doc) => {
      notify('error', deleteErrorText(err, t, 'doc', doc.fileName));
      // Gone meanwhile: the notice says the list was refreshed. Refused: the list is unchanged.
      void client.invalidateQueries({ queryKey: ['documents', kb.id] });
    },
  });
  const columns = [
    column.accessor('fileName', {
      header: t('doc.file'),
      cell: (c) => (
        <Text size="sm" fw={500}>
          {c.getValue()}
        </Text>
      ),
    }),
    column.accessor('type', {
      header: t('doc.type'),
      size: 70,
      cell: (c) => documentTypeLabel(c.getValue()),
    }),
    column.display({
      id: 'status',
      header: t('doc.status'),
      size: 200,
      cell: (c) => (
        <Group gap={4}>
          <Badge color="teal" variant="light">
            {t('doc.indexed')}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('job.counts', { faqs: c.row.original.faqCount, passages: c.row.original.passageCount })}
          </Text>
        </Group>
      ),
    }),
    column.accessor('sizeBytes', { header: t('doc.size'), size: 80, cell: (c) => size(c.getValue()) }),
    column.accessor('createdAt', {
      header: t('doc.added'),
      size: 150,
      cell: (c) => formatTime(c.getValue(), lang),
    }),
    deleteColumn(
      column,
      canEdit,
      (doc) => ({
        title: t('doc.deleteTitle'),
        message: t('doc.deleteConfirm', {
          name: doc.fileName,
          faqs: doc.faqCount,
          passages: doc.passageCount,
        }),
      }),
      (doc) => remove.mutate(doc),
    ),
  ];
  return (
    <Stack>
      <TextInput
        placeholder={t('doc.search')}
        aria-label={t('doc.search')}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(1);
        }}
        maw={320}
      />
      <QueryState
        query={list}
        isEmpty={(d) => d.total === 0}
        empty={q ? t('list.noMatch') : t(emptyListKey('doc', canEdit))}
      >
        {(data) => (
          <>
            <DataTable
              rows={data.items}
              columns={columns}
              rowKey={(d) => d.id}
              onRowClick={setSelected}
              selectedKey={selected?.id}
              testId="document-table"
            />
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} />
          </>
        )}
      </QueryState>
      {selected && <Passages kbId={kb.id} doc={selected} />}
      <Uploads kbId={kb.id} />
    </Stack>
  );
}

const OUTCOME_COLOR = { waiting: 'gray', working: 'blue', added: 'teal', duplicate: 'yellow', failed: 'red' };
const jobColumn = createColumnHelper<Job & { createdAt: string }>();

/** Every upload's job, newest first: what each file became, or why it failed. */
function Uploads({ kbId }: { kbId: string }) {
  const { t, lang } = useT();
  const [page, setPage] = useState(1);
  const jobs = useQuery({
    queryKey: ['jobs', kbId, page],
    queryFn: () =>
      apiPage<Job & { createdAt: string }>(`/api/kbs/${kbId}/jobs`, pageQuery(page, PASSAGE_PAGE)),
    placeholderData: keepPreviousData,
  });
  const columns = [
    jobColumn.accessor('file', { header: t('doc.file') }),
    jobColumn.display({
      id: 'status',
      header: t('doc.status'),
      size: 110,
      cell: (c) => {
        const outcome = jobOutcome(c.row.original);
        return (
          <Badge color={OUTCOME_COLOR[outcome]} variant="light">
            {t(`job.${outcome}`)}
          </Badge>
        );
      },
    }),
    jobColumn.display({
      id: 'result',
      header: t('doc.result'),
      cell: (c) => {
        const job = c.row.original;
        // What the upload skipped or guessed stays readable here after the Upload tab is closed.
        const warnings = job.duplicate ? [] : jobWarningTexts(t, job);
        return (
          <>
            <Text size="xs" c={job.error ? 'red' : 'dimmed'}>
              {jobErrorText(t, job) ??
                (job.duplicate
                  ? duplicateNoteText(t, job)
                  : t('job.counts', { faqs: job.counts.faqs, passages: job.counts.passages }))}
            </Text>
            {warnings.length > 0 && (
              <Spoiler
                maxHeight={38}
                showLabel={t('job.warningsAll', { n: warnings.length })}
                hideLabel={t('job.warningsLess')}
                styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}
              >
                {warnings.map((w, i) => (
                  <Text key={i} size="xs" c="orange.8" data-testid="job-warning">
                    {w}
                  </Text>
                ))}
              </Spoiler>
            )}
          </>
        );
      },
    }),
    jobColumn.accessor('createdAt', {
      header: t('doc.added'),
      size: 150,
      cell: (c) => formatTime(c.getValue(), lang),
    }),
  ];
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        {t('doc.uploads')}
      </Title>
      <QueryState query={jobs} isEmpty={(d) => d.total === 0} empty={t('upload.none')}>
        {(data) => (
          <>
            <DataTable rows={data.items} columns={columns} rowKey={(j) => j.id} testId="job-table" />
            <Pager page={page} pageSize={PASSAGE_PAGE} total={data.total} onChange={setPage} />
          </>
        )}
      </QueryState>
    </Card>
  );
}

function Passages({ kbId, doc }: { kbId: string; doc: SourceDocument }) {
  const { t } = useT();
  const [page, setPage] = useState(1);
  const passages = useQuery({
    queryKey: ['passages', kbId, doc.id, page],
    queryFn: () =>
      apiPage<Passage>(`/api/kbs/${kbId}/documents/${doc.id}/passages`, pageQuery(page, PASSAGE_PAGE)),
    placeholderData: keepPreviousData,
  });
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        {t('doc.passagesOf', { name: doc.fileName })}
      </Title>
      <QueryState query={passages} isEmpty={(d) => d.total === 0} empty={t('doc.noPassages')}>
        {(data) => (
          <Stack gap="xs" data-testid="passages">
            {data.items.map((p) => (
              <Card key={p.id} withBorder padding="xs" bg="gray.0">
                <Group gap="xs" mb={4}>
                  <Badge size="sm" variant="outline">
                    #{p.ordinal + 1}
                  </Badge>
                  <Code>{t('doc.offsets', { start: p.start, end: p.end })}</Code>
                  {p.embeddingModel && (
                    <Text size="xs" c="dimmed">
                      {p.embeddingModel}
                    </Text>
                  )}
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {p.text}
                </Text>
              </Card>
            ))}
            <Pager page={page} pageSize={PASSAGE_PAGE} total={data.total} onChange={setPage} />
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}
