/**
 * Intents of a KB: the intents with their example counts, create / rename / delete one, add and remove
 * its examples, import a CSV of intent,example rows, the classifier's status (training, trained at,
 * its cross-validated accuracy and out-of-scope cut, whether the KB's logged questions weighed it or
 * trained it again, and, once retrained, which of the two classifiers each figure is from) and a box
 * that classifies a sentence. Viewers read and try; editors change.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CloseButton,
  Drawer,
  FileButton,
  Group,
  Loader,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { DataTable } from '../components/DataTable';
import { deleteColumn } from '../components/DeleteButton';
import { TitleCell } from '../components/TitleCell';
import { PlainFieldset } from '../components/PlainFieldset';
import { QueryState } from '../components/QueryState';
import { analyticsLink, lastDays } from '../lib/analytics-range';
import { apiJson, withQuery } from '../lib/api';
import { parseLines } from '../lib/alternates';
import { formatTime } from '../lib/dates';
import { useT } from '../lib/i18n-context';
import { exampleRemoveErrorText, intentErrorText } from '../lib/intent-error-text';
import { jobWarningTexts } from '../lib/ingest-warning-text';
import {
  figureNotes,
  intentModelBusy,
  intentModelState,
  percent,
  selfTrainingSummary,
  topTrafficShares,
  trafficSummary,
  type IntentModelState,
} from '../lib/intent-model';
import { roleAtLeast, useKbRole } from '../lib/roles';
import { emptyListKey } from '../lib/empty-list';
import type {
  Intent,
  IntentExample,
  IntentImportResult,
  IntentLabel,
  IntentModelStatus,
  KnowledgeBase,
} from '../lib/types';
import { notify } from '../lib/notify';
import { classifyErrorText, editGoneText } from '../lib/request-error-text';

const column = createColumnHelper<Intent>();
/** Days the questions column counts: the analytics dashboard's default range, so its link lands on the same counts. */
const QUESTION_DAYS = 30;
const STATE_COLOR: Record<IntentModelState, string> = {
  training: 'blue',
  trained: 'teal',
  stale: 'yellow',
  failed: 'red',
  none: 'gray',
};
const STATE_LABEL = {
  training: 'intent.modelTraining',
  trained: 'intent.modelTrained',
  stale: 'intent.modelStale',
  failed: 'intent.modelFailed',
  none: 'intent.modelNone',
} as const;

export function IntentsPage({ kb }: { kb: KnowledgeBase }) {
  const { t, lang } = useT();
  const client = useQueryClient();
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Intent | 'new' | null>(null);
  const canEdit = roleAtLeast(useKbRole(kb), 'editor');
  const list = useQuery({
    queryKey: ['intents', kb.id],
    queryFn: () => apiJson<Intent[]>('GET', `/api/kbs/${kb.id}/intents`),
  });
  // Every intent's questions over the last 30 days in the browser's zone, from the analytics log's
  // labels (limit=all: a KB may have more intents than a top-N gives); an intent not in it was not asked.
  const days = lastDays(QUESTION_DAYS);
  const asked = useQuery({
    queryKey: ['intent-questions', kb.id, days.from, days.to, days.tz],
    queryFn: () =>
      apiJson<{ intents: { intent: string; count: number }[] }>(
        'GET',
        withQuery(`/api/kbs/${kb.id}/analytics/intents`, { ...days, limit: 'all' }),
      ),
    select: (r) => new Map(r.intents.map((i) => [i.intent, i.count])),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['intents', kb.id] });
    void client.invalidateQueries({ queryKey: ['intent-model', kb.id] });
    void client.invalidateQueries({ queryKey: ['intent-examples', kb.id] });
  };
  const remove = useMutation({
    mutationFn: (intent: Intent) => apiJson<void>('DELETE', `/api/kbs/${kb.id}/intents/${intent.id}`),
    onSuccess: refresh,
    onError: (err) => {
      notify('error', intentErrorText(err, t));
      refresh();
    },
  });
  const importFile = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return apiJson<IntentImportResult>('POST', `/api/kbs/${kb.id}/intents/import`, form);
    },
    onSuccess: (r) => {
      notify(
        'success',
        t('intent.imported', {
          intents: r.intentsCreated,
          examples: r.examplesAdded,
          skipped: r.duplicatesSkipped,
        }),
      );
      // A GBK file was read as Chinese: worth knowing (and reading), so it stays longer.
      const warnings = jobWarningTexts(t, r);
      if (warnings.length) notify('warning', warnings.join('\n'));
      refresh();
    },
    // A refused file names its bad rows: long enough to read.
    onError: (err) => notify('error', intentErrorText(err, t)),
  });

  const columns = [
    column.accessor('name', {
      header: t('intent.name'),
      cell: (c) => <TitleCell title={c.getValue()} detail={c.row.original.description} />,
    }),
    column.accessor('exampleCount', {
      header: t('intent.exampleCount'),
      size: 100,
      cell: (c) => <Text size="sm">{c.getValue()}</Text>,
    }),
    column.display({
      id: 'questions',
      header: t('intent.questions'),
      size: 130,
      cell: (c) =>
        asked.data ? (
          <Anchor
            component={Link}
            to={analyticsLink(kb.id, days)}
            size="sm"
            title={t('intent.questionsLink', days)}
            // The row opens the intent's editor; the count opens the dashboard only.
            onClick={(e) => e.stopPropagation()}
            data-testid="intent-questions"
          >
            {asked.data.get(c.row.original.name) ?? 0}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed" data-testid="intent-questions">
            {asked.isError ? '–' : ''}
          </Text>
        ),
    }),
    column.accessor('updatedAt', {
      header: t('intent.updated'),
      size: 170,
      cell: (c) => (
        <Text size="sm" c="dimmed">
          {formatTime(c.getValue(), lang)}
        </Text>
      ),
    }),
    deleteColumn(
      column,
      canEdit,
      (intent) => ({
        title: t('intent.deleteTitle'),
        message: t('intent.deleteConfirm', { name: intent.name, n: intent.exampleCount }),
      }),
      (intent) => remove.mutate(intent),
    ),
  ];
  const q = search.trim().toLowerCase();

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <ModelCard kbId={kb.id} />
        <TryCard kbId={kb.id} />
      </SimpleGrid>
      <Group justify="space-between" wrap="wrap">
        <TextInput
          placeholder={t('intent.search')}
          aria-label={t('intent.search')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={280}
        />
        {canEdit && (
          <Group gap="xs">
            <Tooltip label={t('intent.importHint')} multiline w={260} withArrow>
              <FileButton onChange={(f) => f && importFile.mutate(f)} accept=".csv,text/csv">
                {(props) => (
                  <Button variant="default" loading={importFile.isPending} {...props}>
                    {t('intent.import')}
                  </Button>
                )}
              </FileButton>
            </Tooltip>
            <Button onClick={() => setEditing('new')}>{t('intent.new')}</Button>
          </Group>
        )}
      </Group>
      <QueryState query={list} isEmpty={(d) => d.length === 0} empty={t(emptyListKey('intent', canEdit))}>
        {(data) => {
          const rows = q ? data.filter((i) => i.name.toLowerCase().includes(q)) : data;
          return rows.length === 0 ? (
            <Text c="dimmed" ta="center" py="xl">
              {t('list.noMatch')}
            </Text>
          ) : (
            <DataTable
              rows={rows}
              columns={columns}
              rowKey={(i) => i.id}
              onRowClick={setEditing}
              testId="intent-table"
            />
          );
        }}
      </QueryState>
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        position="right"
        size="lg"
        title={editing === 'new' ? t('intent.new') : canEdit ? t('intent.edit') : t('intent.view')}
      >
        {editing === 'new' && (
          <NewIntentForm
            kbId={kb.id}
            onSaved={() => {
              setEditing(null);
              refresh();
            }}
          />
        )}
        {editing !== null && editing !== 'new' && (
          <IntentEditor
            key={editing.id}
            kbId={kb.id}
            intent={editing}
            readOnly={!canEdit}
            onChanged={refresh}
            onGone={() => {
              setEditing(null);
              refresh();
            }}
          />
        )}
      </Drawer>
    </Stack>
  );
}

function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td c="dimmed" w="45%">
        {label}
      </Table.Td>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** The small line under a figure saying which classifier it is from (nothing when it needs none). */
function FigureNote({ testId, children }: { testId: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <Text size="xs" c="dimmed" data-testid={testId}>
      {children}
    </Text>
  );
}

/** A label underlined with dots whose tooltip explains it. */
function Hinted({ hint, children }: { hint: string; children: ReactNode }) {
  return (
    <Tooltip label={hint} multiline w={280} withArrow>
      <Text span size="sm" style={{ textDecoration: 'underline dotted', cursor: 'help' }}>
        {children}
      </Text>
    </Tooltip>
  );
}

function ModelCard({ kbId }: { kbId: string }) {
  const { t, lang } = useT();
  const model = useQuery({
    queryKey: ['intent-model', kbId],
    queryFn: () => apiJson<IntentModelStatus>('GET', `/api/kbs/${kbId}/intents/model`),
    refetchInterval: (query) => (intentModelBusy(query.state.data) ? 1000 : false),
  });
  return (
    <Card withBorder data-testid="intent-model">
      <QueryState query={model}>
        {(m) => {
          const state = intentModelState(m);
          const notes = figureNotes(m);
          return (
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={4}>{t('intent.model')}</Title>
                <Badge
                  color={STATE_COLOR[state]}
                  variant="light"
                  leftSection={state === 'training' ? <Loader size={10} color="blue" /> : undefined}
                  data-testid="intent-model-state"
                >
                  {t(STATE_LABEL[state])}
                </Badge>
              </Group>
              {m.lastError && (
                <Alert color="red" p="xs" role="alert">
                  <Text size="sm">{m.lastError.message}</Text>
                </Alert>
              )}
              {m.trained ? (
                <Table verticalSpacing={4} fz="sm">
                  <Table.Tbody>
                    <Fact label={t('intent.trainedAt')}>
                      {m.trainedAt && formatTime(m.trainedAt, lang)}
                      {m.source === 'stored' && (
                        <Text size="xs" c="dimmed">
                          {t('intent.fromStore')}
                        </Text>
                      )}
                    </Fact>
                    <Fact label={t('intent.trainedOn')}>
                      {t('intent.trainedOnValue', { intents: m.intents.length, examples: m.examples })}
                      {m.usesEmbedder && (
                        <Text size="xs" c="dimmed">
                          {t('intent.withEmbedder')}
                        </Text>
                      )}
                    </Fact>
                    <Fact label={t('intent.accuracy')}>
                      {percent(m.inScopeAccuracy) ?? t('intent.notMeasured')}
                      <FigureNote testId="intent-accuracy-note">
                        {notes.measured && t(notes.measured)}
                      </FigureNote>
                    </Fact>
                    <Fact label={t('intent.oosRecall')}>
                      {percent(m.outOfScopeRecall) ?? t('intent.notMeasured')}
                      <FigureNote testId="intent-recall-note">
                        {notes.measured && t(notes.measured)}
                      </FigureNote>
                    </Fact>
                    <Fact label={<Hinted hint={t('intent.cutHint')}>{t('intent.cut')}</Hinted>}>
                      {percent(m.threshold)}
                      <FigureNote testId="intent-cut-note">
                        {notes.cut && t(notes.cut.key, notes.cut.values)}
                      </FigureNote>
                    </Fact>
                    {m.trainMillis !== null && (
                      <Fact label={t('intent.trainTime')}>{(m.trainMillis / 1000).toFixed(1)} s</Fact>
                    )}
                    {m.traffic !== undefined && <TrafficFact m={m} />}
                    <SelfTrainingFact m={m} />
                  </Table.Tbody>
                </Table>
              ) : (
                state !== 'training' && (
                  <Text size="sm" c="dimmed">
                    {t('intent.modelNeedsTwo')}
                  </Text>
                )
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Card>
  );
}

/** Whether the classifier weighs its intents by the traffic, and the intents it weighs most. */
function TrafficFact({ m }: { m: IntentModelStatus }) {
  const { t } = useT();
  const summary = trafficSummary(m.traffic);
  return (
    <Fact label={<Hinted hint={t('intent.trafficHint')}>{t('intent.traffic')}</Hinted>}>
      <Text size="sm" data-testid="intent-traffic">
        {t(summary.key, summary.values)}
      </Text>
      {topTrafficShares(m.traffic).map((share) => (
        <Text key={share.intent} size="xs" c="dimmed">
          {t('intent.trafficShare', share)}
        </Text>
      ))}
    </Fact>
  );
}

/** Whether the classifier trained again on the logged questions it recognised (nothing while it never tried). */
function SelfTrainingFact({ m }: { m: IntentModelStatus }) {
  const { t } = useT();
  const summary = selfTrainingSummary(m.selfTraining, m.traffic);
  if (!summary) return null;
  return (
    <Fact label={<Hinted hint={t('intent.selfTrainingHint')}>{t('intent.selfTraining')}</Hinted>}>
      <Text size="sm" data-testid="intent-self-training">
        {t(summary.key, summary.values)}
      </Text>
    </Fact>
  );
}

function TryCard({ kbId }: { kbId: string }) {
  const { t } = useT();
  const client = useQueryClient();
  const cut = client.getQueryData<IntentModelStatus>(['intent-model', kbId])?.threshold ?? null;
  const [text, setText] = useState('');
  const classify = useMutation({
    mutationFn: (sentence: string) =>
      apiJson<{ label: IntentLabel | null }>('POST', `/api/kbs/${kbId}/intents/classify`, { text: sentence }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) classify.mutate(text.trim());
  };
  const label = classify.data?.label;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>{t('intent.try')}</Title>
        <form onSubmit={submit}>
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label={t('intent.trySentence')}
              placeholder={t('intent.tryPlaceholder')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
            />
            <Button type="submit" loading={classify.isPending} disabled={!text.trim()}>
              {t('intent.classify')}
            </Button>
          </Group>
        </form>
        <div data-testid="intent-result">
          {classify.isError ? (
            <Text c="red" size="sm" role="alert">
              {classifyErrorText(classify.error, t)}
            </Text>
          ) : !classify.data ? (
            <Text size="sm" c="dimmed">
              {t('intent.tryIdle')}
            </Text>
          ) : label === null || label === undefined ? (
            <Text size="sm" c="dimmed">
              {t('intent.noClassifier')}
            </Text>
          ) : (
            <Group gap="sm">
              <Badge size="lg" variant="light" color={label.intent ? 'teal' : 'gray'} tt="none">
                {label.intent ?? t('intent.outOfScope')}
              </Badge>
              <Text size="sm" c="dimmed">
                {t('intent.confidence', { value: percent(label.confidence)! })}
                {cut !== null && ` · ${t('intent.cut')} ${percent(cut)}`}
              </Text>
            </Group>
          )}
        </div>
      </Stack>
    </Card>
  );
}

function NewIntentForm({ kbId, onSaved }: { kbId: string; onSaved(): void }) {
  const { t } = useT();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [examples, setExamples] = useState('');
  const create = useMutation({
    mutationFn: () =>
      apiJson<Intent>('POST', `/api/kbs/${kbId}/intents`, {
        name: name.trim(),
        description: description.trim() || undefined,
        examples: parseLines(examples),
      }),
    onSuccess: (intent) => {
      notify('success', t('intent.created', { name: intent.name }));
      onSaved();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Stack>
        <NameFields name={name} description={description} onName={setName} onDescription={setDescription} />
        <Textarea
          label={t('intent.initialExamples')}
          description={t('intent.examplesAddHint')}
          autosize
          minRows={5}
          value={examples}
          onChange={(e) => setExamples(e.currentTarget.value)}
        />
        {create.isError && (
          <Text c="red" size="sm" role="alert">
            {intentErrorText(create.error, t)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t('action.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function IntentEditor({
  kbId,
  intent,
  readOnly,
  onChanged,
  onGone,
}: {
  kbId: string;
  intent: Intent;
  readOnly: boolean;
  onChanged(): void;
  /** The intent was deleted meanwhile (said in a notice): close the editor and reload the list. */
  onGone(): void;
}) {
  const { t } = useT();
  const [name, setName] = useState(intent.name);
  const [description, setDescription] = useState(intent.description ?? '');
  const [adding, setAdding] = useState('');
  /** Deleted meanwhile: said in a notice, the editor closed and the list reloaded (as delete does). */
  const whenGone = (err: Error) => {
    const gone = editGoneText(err, t, 'intent');
    if (gone) {
      notify('error', gone);
      onGone();
    }
  };
  const examples = useQuery({
    queryKey: ['intent-examples', kbId, intent.id],
    queryFn: () => apiJson<IntentExample[]>('GET', `/api/kbs/${kbId}/intents/${intent.id}/examples`),
  });
  const save = useMutation({
    mutationFn: () =>
      apiJson<Intent>('PATCH', `/api/kbs/${kbId}/intents/${intent.id}`, {
        name: name.trim(),
        description: description.trim() || null,
      }),
    onSuccess: () => {
      notify('success', t('intent.saved'));
      onChanged();
    },
    onError: (err) => whenGone(err),
  });
  const add = useMutation({
    mutationFn: (texts: string[]) =>
      apiJson<IntentExample[]>('POST', `/api/kbs/${kbId}/intents/${intent.id}/examples`, { texts }),
    onSuccess: (added) => {
      setAdding('');
      notify('success', t('intent.examplesAdded', { n: added.length }));
      onChanged();
    },
    onError: (err) => whenGone(err),
  });
  const removeExample = useMutation({
    mutationFn: (example: IntentExample) =>
      apiJson<void>('DELETE', `/api/kbs/${kbId}/intents/${intent.id}/examples/${example.id}`),
    onSuccess: onChanged,
    onError: (err) => {
      // Its intent deleted meanwhile: closed and reloaded, as a save or an added example is.
      const { text, intentGone } = exampleRemoveErrorText(err, t);
      notify('error', text);
      if (intentGone) onGone();
      else onChanged();
    },
  });
  const changed = name.trim() !== intent.name || (description.trim() || null) !== intent.description;
  return (
    <Stack gap="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!readOnly) save.mutate();
        }}
      >
        {/* Read-only fields, not disabled ones: a viewer reads the name in full contrast. */}
        <PlainFieldset>
          <Stack>
            <NameFields
              readOnly={readOnly}
              name={name}
              description={description}
              onName={setName}
              onDescription={setDescription}
            />
            {save.isError && (
              <Text c="red" size="sm" role="alert">
                {intentErrorText(save.error, t)}
              </Text>
            )}
            {!readOnly && (
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending} disabled={!name.trim() || !changed}>
                  {t('action.save')}
                </Button>
              </Group>
            )}
          </Stack>
        </PlainFieldset>
      </form>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={5}>{t('intent.examples')}</Title>
          {examples.data && (
            <Badge variant="outline" data-testid="intent-example-count">
              {examples.data.length}
            </Badge>
          )}
        </Group>
        <QueryState query={examples} isEmpty={(d) => d.length === 0} empty={t('intent.examplesNone')}>
          {(rows) => (
            <ScrollArea.Autosize mah={360} type="auto">
              <Stack gap={4} data-testid="intent-examples">
                {rows.map((example) => (
                  <Group
                    key={example.id}
                    justify="space-between"
                    wrap="nowrap"
                    px="xs"
                    py={4}
                    style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
                  >
                    <Text size="sm">{example.text}</Text>
                    {!readOnly && (
                      <CloseButton
                        size="sm"
                        aria-label={`${t('intent.exampleRemove')} ${example.text}`}
                        onClick={() => removeExample.mutate(example)}
                      />
                    )}
                  </Group>
                ))}
              </Stack>
            </ScrollArea.Autosize>
          )}
        </QueryState>
        {!readOnly && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const texts = parseLines(adding);
              if (texts.length) add.mutate(texts);
            }}
          >
            <Stack gap="xs">
              <Textarea
                label={t('intent.examplesAdd')}
                description={t('intent.examplesAddHint')}
                autosize
                minRows={3}
                value={adding}
                onChange={(e) => setAdding(e.currentTarget.value)}
              />
              {add.isError && (
                <Text c="red" size="sm" role="alert">
                  {intentErrorText(add.error, t)}
                </Text>
              )}
              <Group justify="flex-end">
                <Button type="submit" variant="light" loading={add.isPending} disabled={!adding.trim()}>
                  {t('intent.examplesAdd')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Stack>
  );
}

/** An intent's name and description, as the create and the edit form ask for them. */
function NameFields(props: {
  name: string;
  description: string;
  onName: (value: string) => void;
  onDescription: (value: string) => void;
  readOnly?: boolean;
}) {
  const { t } = useT();
  return (
    <>
      <TextInput
        label={t('intent.name')}
        required={!props.readOnly}
        readOnly={props.readOnly}
        value={props.name}
        onChange={(e) => props.onName(e.currentTarget.value)}
      />
      <TextInput
        label={t('intent.description')}
        description={t('intent.descriptionHint')}
        readOnly={props.readOnly}
        value={props.description}
        onChange={(e) => props.onDescription(e.currentTarget.value)}
      />
    </>
  );
}
