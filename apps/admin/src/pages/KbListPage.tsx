/**
 * Knowledge bases: a searchable, paginated list with counts and mode; create; delete with
 * confirmation. A user in several organisations also sees each KB's organisation, and can list one
 * organisation's KBs only.
 */
import {
  Anchor,
  Button,
  Group,
  Modal,
  NativeSelect,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { DataTable } from '../components/DataTable';
import { DeleteButton } from '../components/DeleteButton';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { apiJson, apiPage } from '../lib/api';
import { useT } from '../lib/i18n-context';
import { kbModeText } from '../lib/mode-text';
import { pageQuery } from '../lib/paging';
import { useAuth } from '../lib/auth';
import { roleAtLeast, roleIn } from '../lib/roles';
import { emptyListKey } from '../lib/empty-list';
import type { KnowledgeBase, Language } from '../lib/types';
import { notify } from '../lib/notify';
import { kbLabels, organisationLabels } from '../lib/kb-labels';
import { deleteErrorText, kbCreateErrorText } from '../lib/request-error-text';

const PAGE_SIZE = 20;
const column = createColumnHelper<KnowledgeBase>();

export function KbListPage() {
  const { t } = useT();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [creating, createModal] = useDisclosure();
  const auth = useAuth().data;
  const roleFor = (kb: KnowledgeBase) =>
    auth?.enabled ? roleIn(auth.session?.memberships, kb.organisationId) : 'owner';
  const canCreate = !auth?.enabled || !!auth.session?.memberships.some((m) => roleAtLeast(m.role, 'editor'));
  // Several organisations: an Organisation column, and a filter reading one organisation's KBs.
  const organisations = organisationLabels(auth?.enabled ? auth.session?.memberships : []);
  const [organisationId, setOrganisationId] = useState('');
  const list = useQuery({
    queryKey: ['kbs', q, page, organisationId],
    queryFn: () =>
      apiPage<KnowledgeBase>('/api/kbs', {
        q,
        ...pageQuery(page, PAGE_SIZE),
        ...(organisationId && organisations.has(organisationId) ? { organisationId } : {}),
      }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (kb: KnowledgeBase) => apiJson<void>('DELETE', `/api/kbs/${kb.id}`),
    onSuccess: (_r, kb) => {
      notify('success', t('kb.deleted', { name: kb.name }));
      void client.invalidateQueries({ queryKey: ['kbs'] });
    },
    onError: (err, kb) => {
      notify('error', deleteErrorText(err, t, 'kb', kb.name));
      void client.invalidateQueries({ queryKey: ['kbs'] });
    },
  });
  const labels = kbLabels(list.data?.items ?? [], auth?.session?.memberships);
  const columns = [
    column.accessor('name', {
      header: t('kb.name'),
      // KBs of two organisations named alike on the page also say whose each is (unless a column does).
      cell: (c) => (
        <Anchor component={Link} to={`/kbs/${c.row.original.id}/settings`} fw={600}>
          {organisations.size > 0 ? c.getValue() : (labels.get(c.row.original.id) ?? c.getValue())}
        </Anchor>
      ),
    }),
    ...(organisations.size > 0
      ? [
          column.display({
            id: 'organisation',
            header: t('kb.organisation'),
            cell: (c) => (
              <Text size="sm" data-testid="kb-organisation">
                {organisations.get(c.row.original.organisationId ?? '') ?? '—'}
              </Text>
            ),
          }),
        ]
      : []),
    column.accessor('language', { header: t('kb.language'), cell: (c) => t(`lang.${c.getValue()}`) }),
    column.accessor('modes', {
      header: t('kb.mode'),
      // Plain text, not a badge: the two parts wrap in a narrow column instead of being cut off.
      cell: (c) => (
        <Text size="sm" data-testid="kb-mode">
          {kbModeText(t, c.getValue())}
        </Text>
      ),
    }),
    column.accessor((kb) => kb.counts.faqs, { id: 'faqs', header: t('kb.faqs') }),
    column.accessor((kb) => kb.counts.documents, { id: 'documents', header: t('kb.documents') }),
    column.accessor((kb) => kb.counts.passages, { id: 'passages', header: t('kb.passages') }),
    column.display({
      id: 'actions',
      header: '',
      size: 90,
      cell: (c) =>
        roleAtLeast(roleFor(c.row.original), 'owner') && (
          <DeleteButton
            title={t('kb.deleteTitle')}
            message={t('kb.deleteConfirm', { name: c.row.original.name })}
            onConfirm={() => remove.mutate(c.row.original)}
          />
        ),
    }),
  ];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('nav.kbs')}</Title>
        {canCreate && <Button onClick={createModal.open}>{t('kb.create')}</Button>}
      </Group>
      <Group align="flex-end">
        <TextInput
          placeholder={t('kb.search')}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
          w={360}
        />
        {organisations.size > 0 && (
          <NativeSelect
            aria-label={t('kb.organisation')}
            value={organisationId}
            onChange={(e) => {
              setOrganisationId(e.currentTarget.value);
              setPage(1);
            }}
            data={[
              { value: '', label: t('kb.allOrganisations') },
              ...[...organisations].map(([value, label]) => ({ value, label })),
            ]}
            w={220}
            data-testid="kb-organisation-filter"
          />
        )}
      </Group>
      <QueryState
        query={list}
        isEmpty={(d) => d.total === 0}
        empty={q ? t('list.noMatch') : t(emptyListKey('kb', canCreate))}
      >
        {(data) => (
          <>
            <DataTable rows={data.items} columns={columns} rowKey={(kb) => kb.id} testId="kb-table" />
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} />
          </>
        )}
      </QueryState>
      <CreateKbModal opened={creating} onClose={createModal.close} />
    </Stack>
  );
}

function CreateKbModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t } = useT();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [language, setLanguage] = useState<Language>('zh');
  // Users in several organisations choose where the KB goes (the server needs it then).
  const organisations = (useAuth().data?.session?.memberships ?? []).filter((m) =>
    roleAtLeast(m.role, 'editor'),
  );
  const [organisationId, setOrganisationId] = useState<string | null>(
    organisations[0]?.organisationId ?? null,
  );
  const create = useMutation({
    mutationFn: () =>
      apiJson<KnowledgeBase>('POST', '/api/kbs', {
        name: name.trim(),
        language,
        ...(organisations.length > 1 && organisationId ? { organisationId } : {}),
      }),
    onSuccess: (kb) => {
      void client.invalidateQueries({ queryKey: ['kbs'] });
      onClose();
      setName('');
      navigate(`/kbs/${kb.id}/upload`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('kb.create')}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('kb.name')}
            required
            data-autofocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          {organisations.length > 1 && (
            <Select
              label={t('kb.organisation')}
              value={organisationId}
              onChange={setOrganisationId}
              data={organisations.map((m) => ({ value: m.organisationId, label: m.organisationName }))}
              allowDeselect={false}
            />
          )}
          <Select
            label={t('kb.language')}
            value={language}
            onChange={(v) => setLanguage((v as Language) ?? 'zh')}
            data={(['zh', 'en', 'mixed'] as const).map((l) => ({ value: l, label: t(`lang.${l}`) }))}
            allowDeselect={false}
          />
          {create.isError && (
            <Text c="red" size="sm" role="alert">
              {kbCreateErrorText(create.error, t)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              {t('action.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
