/**
 * FAQ editor: search and page through entries, edit question / alternates / answer / tags, switch
 * entries on and off, add one, import a CSV/XLSX/JSON file, export CSV or the KB as JSON. Every
 * change is answerable as soon as it is saved (the server updates the KB's index in the same step).
 */
import {
  Badge,
  Button,
  Drawer,
  FileButton,
  Group,
  Menu,
  SegmentedControl,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent } from 'react';
import { DataTable } from '../components/DataTable';
import { deleteColumn } from '../components/DeleteButton';
import { TitleCell } from '../components/TitleCell';
import { PlainFieldset } from '../components/PlainFieldset';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { apiJson, apiPage, request } from '../lib/api';
import { faqErrorText, faqToggleErrorText } from '../lib/faq-error-text';
import { faqLengthProblems } from '../lib/faq-limits';
import { ingestErrorText, jobErrorText, refusalOf } from '../lib/ingest-error-text';
import { duplicateNoteText, jobWarningTexts } from '../lib/ingest-warning-text';
import { alternatesToSave } from '../lib/alternates';
import { useT } from '../lib/i18n-context';
import { watchJob } from '../lib/job-watch';
import { pageQuery } from '../lib/paging';
import { roleAtLeast, useKbRole } from '../lib/roles';
import { emptyListKey } from '../lib/empty-list';
import type { FaqEntry, Job, KnowledgeBase } from '../lib/types';
import { saveBlob } from '../lib/download';
import { notify } from '../lib/notify';
import { deleteErrorText, editGoneText, faqExportErrorText } from '../lib/request-error-text';

const PAGE_SIZE = 20;
const column = createColumnHelper<FaqEntry>();

export function FaqsPage({ kb }: { kb: KnowledgeBase }) {
  const { t } = useT();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('all');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [editing, setEditing] = useState<FaqEntry | 'new' | null>(null);
  const canEdit = roleAtLeast(useKbRole(kb), 'editor');
  const list = useQuery({
    queryKey: ['faqs', kb.id, q, status, page],
    queryFn: () =>
      apiPage<FaqEntry>(`/api/kbs/${kb.id}/faqs`, {
        q,
        enabled: status === 'all' ? undefined : String(status === 'enabled'),
        ...pageQuery(page, PAGE_SIZE),
      }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['faqs', kb.id] });
    void client.invalidateQueries({ queryKey: ['jobs', kb.id] });
    void client.invalidateQueries({ queryKey: ['kb', kb.id] });
  };
  const toggle = useMutation({
    mutationFn: (faq: FaqEntry) =>
      apiJson<FaqEntry>('PATCH', `/api/kbs/${kb.id}/faqs/${faq.id}`, { enabled: !faq.enabled }),
    onSuccess: refresh,
    onError: (err, faq) => {
      notify('error', faqToggleErrorText(err, t, faq.question, !faq.enabled));
      // Deleted meanwhile: the list drops it. Refused: the switch shows the state it still has.
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (faq: FaqEntry) => apiJson<void>('DELETE', `/api/kbs/${kb.id}/faqs/${faq.id}`),
    onSuccess: (_, faq) => {
      notify('success', t('faq.deleted', { question: faq.question }));
      refresh();
    },
    onError: (err, faq) => {
      notify('error', deleteErrorText(err, t, 'faq', faq.question));
      refresh();
    },
  });

  const importFile = useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append('files', file, file.name);
      const { jobs } = await apiJson<{ jobs: Job[] }>('POST', `/api/kbs/${kb.id}/documents`, form);
      return watchJob(jobs[0].id);
    },
    onSuccess: (job, file) => {
      if (job.status === 'failed') notify('error', jobErrorText(t, job) ?? file.name);
      else {
        // What the file's rows became beyond the count (a question the KB already has, a row
        // without an answer), kept open until closed: the Upload tab is not there to show them.
        const warned = job.duplicate ? [] : jobWarningTexts(t, job);
        notify(
          job.duplicate || warned.length ? 'warning' : 'success',
          job.duplicate ? (
            duplicateNoteText(t, job)
          ) : (
            <Stack gap={2} data-testid="import-result">
              <Text size="sm">{t('faq.imported', { n: job.counts.faqs })}</Text>
              {warned.map((text, i) => (
                <Text size="sm" key={i} data-testid="import-warning">
                  {text}
                </Text>
              ))}
            </Stack>
          ),
          { stay: warned.length > 0 },
        );
      }
      refresh();
    },
    onError: (err) => notify('error', ingestErrorText(t, refusalOf(err))),
  });
  /** Downloads an export through the API client (so a refusal is said in a notice, not a JSON page). */
  const exportAs = async (format: 'csv' | 'xlsx' | 'json') => {
    try {
      const path =
        format === 'json' ? `/api/kbs/${kb.id}/export` : `/api/kbs/${kb.id}/faqs/export?format=${format}`;
      const blob = await (await request('GET', path)).blob();
      saveBlob(format === 'json' ? `${kb.name}.wendao-kb.json` : `${kb.name}-faqs.${format}`, blob);
    } catch (err) {
      notify('error', faqExportErrorText(err as Error, t, format.toUpperCase()));
    }
  };

  const columns = [
    column.accessor('question', {
      header: t('faq.question'),
      cell: (c) => <TitleCell title={c.getValue()} detail={c.row.original.answer} />,
    }),
    column.accessor((f) => f.alternates.length, {
      id: 'alternates',
      header: t('faq.alternatesCount'),
      size: 80,
    }),
    column.accessor('tags', {
      header: t('faq.tags'),
      size: 140,
      cell: (c) => (
        <Group gap={4}>
          {c.getValue().map((tag) => (
            <Badge key={tag} size="xs" variant="light">
              {tag}
            </Badge>
          ))}
        </Group>
      ),
    }),
    column.accessor('enabled', {
      header: t('faq.enabled'),
      size: 80,
      cell: (c) => (
        <Switch
          checked={c.getValue()}
          disabled={!canEdit}
          aria-label={t('faq.enabled')}
          onClick={(e) => e.stopPropagation()}
          onChange={() => toggle.mutate(c.row.original)}
        />
      ),
    }),
    deleteColumn(
      column,
      canEdit,
      (faq) => ({ title: t('faq.deleteTitle'), message: t('faq.deleteConfirm', { question: faq.question }) }),
      (faq) => remove.mutate(faq),
    ),
  ];

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Group wrap="wrap">
          <TextInput
            placeholder={t('faq.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            w={280}
            aria-label={t('faq.search')}
          />
          <SegmentedControl
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            data={[
              { value: 'all', label: t('faq.all') },
              { value: 'enabled', label: t('faq.onlyEnabled') },
              { value: 'disabled', label: t('faq.onlyDisabled') },
            ]}
          />
        </Group>
        {canEdit && (
          <Group gap="xs">
            <FileButton onChange={(f) => f && importFile.mutate(f)} accept=".csv,.tsv,.xlsx,.json">
              {(props) => (
                <Button variant="default" loading={importFile.isPending} {...props}>
                  {t('faq.import')}
                </Button>
              )}
            </FileButton>
            <Menu>
              <Menu.Target>
                <Button variant="default">{t('faq.export')}</Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => void exportAs('csv')}>CSV</Menu.Item>
                <Menu.Item onClick={() => void exportAs('xlsx')}>Excel (XLSX)</Menu.Item>
                <Menu.Item onClick={() => void exportAs('json')}>JSON (wendao-kb)</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Button onClick={() => setEditing('new')}>{t('faq.new')}</Button>
          </Group>
        )}
      </Group>
      <QueryState
        query={list}
        isEmpty={(d) => d.total === 0}
        empty={q || status !== 'all' ? t('list.noMatch') : t(emptyListKey('faq', canEdit))}
      >
        {(data) => (
          <>
            <DataTable
              rows={data.items}
              columns={columns}
              rowKey={(f) => f.id}
              onRowClick={setEditing}
              testId="faq-table"
            />
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} />
          </>
        )}
      </QueryState>
      <FaqDrawer
        kbId={kb.id}
        entry={editing}
        readOnly={!canEdit}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          refresh();
        }}
        onGone={() => {
          setEditing(null);
          refresh();
        }}
      />
    </Stack>
  );
}

function FaqDrawer({
  kbId,
  entry,
  readOnly,
  onClose,
  onSaved,
  onGone,
}: {
  kbId: string;
  entry: FaqEntry | 'new' | null;
  readOnly: boolean;
  onClose(): void;
  onSaved(): void;
  onGone(): void;
}) {
  const { t } = useT();
  return (
    <Drawer
      opened={entry !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={entry === 'new' ? t('faq.new') : readOnly ? t('faq.view') : t('faq.edit')}
    >
      {entry !== null && (
        <FaqForm
          readOnly={readOnly}
          key={entry === 'new' ? 'new' : entry.id}
          kbId={kbId}
          entry={entry === 'new' ? null : entry}
          onSaved={onSaved}
          onGone={onGone}
        />
      )}
    </Drawer>
  );
}

export function FaqForm({
  kbId,
  entry,
  initial,
  readOnly = false,
  onSaved,
  onGone,
}: {
  kbId: string;
  entry: FaqEntry | null;
  readOnly?: boolean;
  initial?: Partial<Pick<FaqEntry, 'question' | 'alternates' | 'answer' | 'tags'>>;
  onSaved(saved: FaqEntry): void;
  /** The entry was deleted meanwhile (said in a notice): close the form and reload the list. */
  onGone?(): void;
}) {
  const { t } = useT();
  const [question, setQuestion] = useState(entry?.question ?? initial?.question ?? '');
  const [alternates, setAlternates] = useState((entry?.alternates ?? initial?.alternates ?? []).join('\n'));
  const [answer, setAnswer] = useState(entry?.answer ?? initial?.answer ?? '');
  const [tags, setTags] = useState<string[]>(entry?.tags ?? initial?.tags ?? []);
  const [enabled, setEnabled] = useState(entry?.enabled ?? true);
  // The entry's own question among its alternates adds nothing: the API drops it, the form says so.
  const toSave = alternatesToSave(question, alternates);
  // Over the API's limits, said here in the console's language; the API would refuse it in English.
  const tooLong = faqLengthProblems(
    { question: question.trim(), alternates: toSave.alternates, answer: answer.trim(), tags },
    t,
  );
  const overLimit = Object.keys(tooLong).length > 0;
  const save = useMutation({
    mutationFn: () => {
      const body = {
        question: question.trim(),
        alternates: toSave.alternates,
        answer: answer.trim(),
        tags,
        enabled,
      };
      return entry
        ? apiJson<FaqEntry>('PATCH', `/api/kbs/${kbId}/faqs/${entry.id}`, body)
        : apiJson<FaqEntry>('POST', `/api/kbs/${kbId}/faqs`, body);
    },
    onSuccess: (saved) => {
      notify('success', t('faq.saved'));
      onSaved(saved);
    },
    onError: (err) => {
      const gone = entry && onGone ? editGoneText(err, t, 'faq') : undefined;
      if (gone) {
        notify('error', gone);
        onGone?.();
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (readOnly || overLimit) return;
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      {/* Read-only fields, not disabled ones: a viewer reads the entry in full contrast. */}
      <PlainFieldset>
        <Stack>
          <TextInput
            label={t('faq.question')}
            required={!readOnly}
            readOnly={readOnly}
            value={question}
            error={tooLong.question}
            onChange={(e) => setQuestion(e.currentTarget.value)}
          />
          <Textarea
            label={t('faq.alternates')}
            description={t('faq.alternatesHint')}
            autosize
            minRows={3}
            readOnly={readOnly}
            value={alternates}
            error={tooLong.alternates}
            onChange={(e) => setAlternates(e.currentTarget.value)}
          />
          {toSave.ownQuestion.length > 0 && (
            <Text size="xs" c="orange.8" mt={-8} data-testid="alternate-is-question">
              {t('faq.alternateIsQuestion', { question: question.trim() })}
            </Text>
          )}
          <Textarea
            label={t('faq.answer')}
            required={!readOnly}
            autosize
            minRows={4}
            readOnly={readOnly}
            value={answer}
            error={tooLong.answer}
            onChange={(e) => setAnswer(e.currentTarget.value)}
          />
          <TagsInput
            label={t('faq.tags')}
            readOnly={readOnly}
            value={tags}
            error={tooLong.tags}
            onChange={setTags}
          />
          <Switch
            label={t('faq.enabled')}
            disabled={readOnly}
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          {save.isError && (
            <Text c="red" size="sm" role="alert">
              {faqErrorText(save.error, t)}
            </Text>
          )}
          {!readOnly && (
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={save.isPending}
                disabled={!question.trim() || !answer.trim() || overLimit}
              >
                {t('action.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </PlainFieldset>
    </form>
  );
}
