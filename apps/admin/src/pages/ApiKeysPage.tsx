/**
 * API keys of an organisation, for its owners: the keys servers call the REST API with (name,
 * prefix, the KB they reach or all, role, made, last used); a new key is shown whole once, with a
 * copy button and a curl line to try it, since the server keeps only its hash; revoking asks first.
 * Revoked keys stay listed on request, for the record. Non-owners see only why the page is not for them.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { CopyTextButton } from '../components/CopyTextButton';
import { DataTable } from '../components/DataTable';
import { DeleteButton } from '../components/DeleteButton';
import { OwnedOrganisation } from '../components/OwnedOrganisation';
import { QueryState } from '../components/QueryState';
import { apiJson, apiPage } from '../lib/api';
import { apiKeyErrorText } from '../lib/api-key-error-text';
import {
  API_KEY_NAME_MAX,
  API_KEY_ROLES,
  DEFAULT_API_KEY_ROLE,
  apiKeyExample,
  apiKeyLabel,
  apiKeyScope,
  exampleQuestion,
  maskApiKey,
  type ApiKeyRole,
} from '../lib/api-keys';
import { formatTime } from '../lib/dates';
import { useT } from '../lib/i18n-context';
import { kbLabels } from '../lib/kb-labels';
import { notify } from '../lib/notify';
import type { ApiKey, CreatedApiKey, KnowledgeBase } from '../lib/types';
import { parseKeyName, sortKeys } from '../lib/widget-keys';

const column = createColumnHelper<ApiKey>();

export function ApiKeysPage() {
  const { t } = useT();
  return (
    <OwnedOrganisation
      title={t('apiKeys.title')}
      ownersOnly={t('apiKeys.ownersOnly')}
      ownersOnlyTestId="api-keys-owners-only"
    >
      {(organisationId) => <ApiKeyList organisationId={organisationId} />}
    </OwnedOrganisation>
  );
}

function ApiKeyList({ organisationId }: { organisationId: string }) {
  const { t, lang } = useT();
  const client = useQueryClient();
  const [showRevoked, setShowRevoked] = useState(false);
  const [creating, setCreating] = useState(false);
  const base = `/api/organisations/${organisationId}/api-keys`;
  const queryKey = ['api-keys', organisationId];
  const list = useQuery({
    queryKey,
    queryFn: () => apiJson<ApiKey[]>('GET', base),
    // When a key was last used changes without the owner: read again whenever the page opens.
    staleTime: 0,
  });
  // The organisation's KBs, for the scope column and the new key's KB (the agent console's query).
  const allKbs = useQuery({
    queryKey: ['kbs', 'all'],
    queryFn: () => apiPage<KnowledgeBase>('/api/kbs', { limit: 200 }),
  });
  const kbs = useMemo(
    () => (allKbs.data?.items ?? []).filter((kb) => kb.organisationId === organisationId),
    [allKbs.data, organisationId],
  );
  // One organisation's KBs: their names differ (the database's unique index).
  const labels = useMemo(() => kbLabels(kbs), [kbs]);
  const refresh = () => void client.invalidateQueries({ queryKey });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => apiJson<void>('DELETE', `${base}/${key.id}`),
    onSuccess: (_r, key) => {
      notify('success', t('apiKeys.revoked', { key: apiKeyLabel(key) }));
      refresh();
    },
    onError: (err, key) => {
      notify('error', apiKeyErrorText(err, t, 'revoke', apiKeyLabel(key)));
      refresh();
    },
  });

  const columns = [
    column.accessor('name', {
      header: t('apiKeys.name'),
      size: 160,
      cell: (c) => {
        const revoked = !!c.row.original.revokedAt;
        return c.getValue() ? (
          <Text
            size="sm"
            fw={600}
            c={revoked ? 'dimmed' : undefined}
            style={{ overflowWrap: 'anywhere' }}
            data-testid="api-key-name"
          >
            {c.getValue()}
          </Text>
        ) : (
          <Text size="sm" c="dimmed" fs="italic" data-testid="api-key-name">
            {t('apiKeys.unnamed')}
          </Text>
        );
      },
    }),
    column.accessor('prefix', {
      header: t('apiKeys.key'),
      size: 130,
      cell: (c) => {
        const revoked = !!c.row.original.revokedAt;
        return (
          <Text
            size="sm"
            ff="monospace"
            c={revoked ? 'dimmed' : undefined}
            td={revoked ? 'line-through' : undefined}
            style={{ whiteSpace: 'nowrap' }}
            data-testid="api-key-prefix"
          >
            {maskApiKey(c.getValue())}
          </Text>
        );
      },
    }),
    column.accessor('kbId', {
      header: t('apiKeys.scope'),
      cell: (c) => (
        <Text
          size="sm"
          c={c.getValue() ? undefined : 'dimmed'}
          style={{ overflowWrap: 'anywhere' }}
          data-testid="api-key-scope"
        >
          {apiKeyScope(c.getValue(), labels, t)}
        </Text>
      ),
    }),
    column.accessor('role', {
      header: t('apiKeys.role'),
      size: 80,
      cell: (c) => (
        <Text size="sm" data-testid="api-key-role">
          {t(`access.role.${c.getValue()}`)}
        </Text>
      ),
    }),
    column.accessor('createdAt', {
      header: t('apiKeys.created'),
      size: 150,
      cell: (c) => (
        <Text size="sm" c="dimmed">
          {formatTime(c.getValue(), lang)}
        </Text>
      ),
    }),
    column.accessor('lastUsedAt', {
      header: t('apiKeys.lastUsed'),
      size: 150,
      cell: (c) => {
        const used = c.getValue();
        return (
          <Text size="sm" c="dimmed" data-testid="api-key-last-used">
            {used ? formatTime(used, lang) : t('apiKeys.never')}
          </Text>
        );
      },
    }),
    column.display({
      id: 'actions',
      header: '',
      size: 210,
      cell: (c) => {
        const key = c.row.original;
        return key.revokedAt ? (
          <Badge color="gray" variant="light" tt="none" data-testid="api-key-revoked">
            {t('apiKeys.revokedAt', { time: formatTime(key.revokedAt, lang) })}
          </Badge>
        ) : (
          <DeleteButton
            label={t('apiKeys.revoke')}
            confirmLabel={t('apiKeys.revoke')}
            title={t('apiKeys.revokeTitle')}
            message={t('apiKeys.revokeConfirm', { key: apiKeyLabel(key) })}
            onConfirm={() => revoke.mutate(key)}
          />
        );
      },
    }),
  ];

  return (
    <>
      <Group justify="space-between" align="center" wrap="nowrap">
        <Text size="sm" c="dimmed" maw={820}>
          {t('apiKeys.intro')}
        </Text>
        <Button onClick={() => setCreating(true)} style={{ flexShrink: 0 }}>
          {t('apiKeys.new')}
        </Button>
      </Group>
      <QueryState query={list} isEmpty={(keys) => keys.length === 0} empty={t('apiKeys.empty')}>
        {(keys) => {
          const live = keys.filter((k) => !k.revokedAt);
          const revokedCount = keys.length - live.length;
          const rows = sortKeys(showRevoked ? keys : live);
          return (
            <>
              {revokedCount > 0 && (
                <Switch
                  label={t('apiKeys.showRevoked', { n: revokedCount })}
                  checked={showRevoked}
                  onChange={(e) => setShowRevoked(e.currentTarget.checked)}
                />
              )}
              {rows.length > 0 && (
                <DataTable rows={rows} columns={columns} rowKey={(k) => k.id} testId="api-key-table" />
              )}
            </>
          );
        }}
      </QueryState>
      <Stack gap={2} data-testid="api-key-role-help">
        <Text size="xs" fw={600} c="dimmed">
          {t('members.rolesTitle')}
        </Text>
        {API_KEY_ROLES.map((r) => (
          <Text key={r} size="xs" c="dimmed">
            {t('members.roleLine', { role: t(`access.role.${r}`), help: t(`apiKeys.roleHelp.${r}`) })}
          </Text>
        ))}
      </Stack>
      {creating && (
        <CreateKeyModal
          path={base}
          kbs={kbs}
          labels={labels}
          onCreated={refresh}
          onClose={() => setCreating(false)}
        />
      )}
    </>
  );
}

/**
 * A new key's form (name, KB, role), then, once made, the key itself: shown this once, with a copy
 * button and a curl line to try it. Then only the Done button or the window's close button closes it:
 * a stray click beside the window or Escape must not lose a key the owner has not copied yet.
 */
function CreateKeyModal({
  path,
  kbs,
  labels,
  onCreated,
  onClose,
}: {
  path: string;
  kbs: KnowledgeBase[];
  labels: Map<string, string>;
  onCreated(): void;
  onClose(): void;
}) {
  const { t } = useT();
  const [nameText, setNameText] = useState('');
  const [kbId, setKbId] = useState('');
  const [role, setRole] = useState<ApiKeyRole>(DEFAULT_API_KEY_ROLE);
  const [nameTooLong, setNameTooLong] = useState<number | null>(null);
  const [made, setMade] = useState<CreatedApiKey | null>(null);
  const create = useMutation({
    mutationFn: (body: { name?: string; kbId?: string; role: ApiKeyRole }) =>
      apiJson<CreatedApiKey>('POST', path, body),
    onSuccess: (key) => {
      setMade(key);
      onCreated();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = parseKeyName(nameText, API_KEY_NAME_MAX);
    setNameTooLong(name.tooLong);
    if (name.tooLong !== null) return;
    create.mutate({ role, ...(name.name ? { name: name.name } : {}), ...(kbId ? { kbId } : {}) });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      closeOnClickOutside={!made}
      closeOnEscape={!made}
      size={made ? 'xl' : 'md'}
      title={made ? t('apiKeys.createdTitle') : t('apiKeys.new')}
    >
      {made ? (
        <NewKey made={made} kbs={kbs} labels={labels} onDone={onClose} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label={t('apiKeys.nameLabel')}
              description={t('apiKeys.nameHint', { max: API_KEY_NAME_MAX })}
              value={nameText}
              onChange={(e) => setNameText(e.currentTarget.value)}
              error={
                nameTooLong !== null
                  ? t('apiKeys.nameTooLong', { n: nameTooLong, max: API_KEY_NAME_MAX })
                  : undefined
              }
              data-autofocus
            />
            <NativeSelect
              label={t('apiKeys.kbLabel')}
              description={t('apiKeys.kbHint')}
              value={kbId}
              onChange={(e) => setKbId(e.currentTarget.value)}
              data={[
                { value: '', label: t('apiKeys.allKbs') },
                ...kbs.map((kb) => ({ value: kb.id, label: labels.get(kb.id) ?? kb.name })),
              ]}
            />
            <NativeSelect
              label={t('apiKeys.role')}
              description={t(`apiKeys.roleHelp.${role}`)}
              value={role}
              onChange={(e) => setRole(e.currentTarget.value as ApiKeyRole)}
              data={API_KEY_ROLES.map((r) => ({ value: r, label: t(`access.role.${r}`) }))}
            />
            {create.error && (
              <Text size="sm" c="red" role="alert" data-testid="api-key-create-error">
                {apiKeyErrorText(create.error, t, 'create')}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('action.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('action.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** The key just made, whole, this once; and a curl line that tries it on this server. */
function NewKey({
  made,
  kbs,
  labels,
  onDone,
}: {
  made: CreatedApiKey;
  kbs: KnowledgeBase[];
  labels: Map<string, string>;
  onDone(): void;
}) {
  const { t, lang } = useT();
  // The key's own KB, else the organisation's first.
  const kb = made.kbId ? kbs.find((k) => k.id === made.kbId) : kbs[0];
  const kbId = made.kbId ?? kb?.id ?? null;
  // The API is served by this server, like the console (/admin): the same origin.
  const example = apiKeyExample(
    window.location.origin,
    made.key,
    made.role,
    kbId,
    exampleQuestion(kb?.language, lang),
  );
  const kbName = kbId ? (labels.get(kbId) ?? kbId) : '';
  return (
    <Stack data-testid="api-key-created">
      <Group gap="xs" align="baseline">
        {made.name && <Text fw={600}>{made.name}</Text>}
        <Text size="sm" c="dimmed">
          {apiKeyScope(made.kbId, labels, t)} · {t(`access.role.${made.role}`)}
        </Text>
      </Group>
      <Alert color="yellow" data-testid="api-key-once">
        {t('apiKeys.onceWarning')}
      </Alert>
      <Group gap="xs" wrap="nowrap" align="center">
        <Code
          block
          style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
          data-testid="api-key-secret"
        >
          {made.key}
        </Code>
        <CopyTextButton value={made.key} label={t('apiKeys.copyKey')} copiedLabel={t('apiKeys.copied')} />
      </Group>
      <Title order={5}>{t('apiKeys.tryIt')}</Title>
      <Text size="sm">
        {!kbId
          ? t('apiKeys.exampleNoKb')
          : made.role === 'viewer'
            ? t('apiKeys.exampleRead', { kb: kbName })
            : t('apiKeys.exampleAsk', { kb: kbName })}
      </Text>
      {/* Broken between words where the line is too long; the key itself, one word, anywhere. */}
      <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="api-key-example">
        {example}
      </Code>
      <Group justify="space-between">
        <CopyTextButton value={example} label={t('apiKeys.copyExample')} copiedLabel={t('apiKeys.copied')} />
        <Button onClick={onDone}>{t('apiKeys.done')}</Button>
      </Group>
    </Stack>
  );
}
