/**
 * Widget keys of a KB: the keys a website embeds the chat with (named, masked, copyable), their
 * allowed origins, when they were made and last used; the ready-to-paste script tag of a key; editors
 * create keys, edit their names and origins and revoke them (after a confirmation: the sockets open with a revoked key
 * are disconnected at once). Revoked keys stay listed on request, for the record.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent } from 'react';
import { DataTable } from '../components/DataTable';
import { DeleteButton } from '../components/DeleteButton';
import { CopyTextButton } from '../components/CopyTextButton';
import { CheckIcon, CopyIcon } from '../components/LineIcons';
import { QueryState } from '../components/QueryState';
import { apiJson } from '../lib/api';
import { formatTime } from '../lib/dates';
import type { UiLanguage } from '../lib/i18n';
import { useT } from '../lib/i18n-context';
import { roleAtLeast, useKbRole } from '../lib/roles';
import { emptyListKey } from '../lib/empty-list';
import type { KnowledgeBase, WidgetKey } from '../lib/types';
import {
  KEY_NAME_MAX,
  keyLabel,
  maskKey,
  parseKeyName,
  parseOrigins,
  sortKeys,
  widgetSnippet,
} from '../lib/widget-keys';
import { notify } from '../lib/notify';
import { deleteErrorText, widgetKeySaveErrorText } from '../lib/request-error-text';

const column = createColumnHelper<WidgetKey>();

export function WidgetKeysPage({ kb }: { kb: KnowledgeBase }) {
  const { t, lang } = useT();
  const client = useQueryClient();
  const canEdit = roleAtLeast(useKbRole(kb), 'editor');
  const [showRevoked, setShowRevoked] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<WidgetKey | 'new' | null>(null);
  const queryKey = ['widget-keys', kb.id];
  const list = useQuery({
    queryKey,
    queryFn: () => apiJson<WidgetKey[]>('GET', `/api/kbs/${kb.id}/widget-keys`),
    // When a key was last used changes without the admin: read again whenever the tab opens.
    staleTime: 0,
  });
  const refresh = () => void client.invalidateQueries({ queryKey });
  const revoke = useMutation({
    mutationFn: (key: WidgetKey) => apiJson<void>('DELETE', `/api/kbs/${kb.id}/widget-keys/${key.id}`),
    onSuccess: (_r, key) => {
      notify('success', t('widget.revoked', { key: keyLabel(key) }));
      refresh();
    },
    onError: (err, key) => {
      notify('error', deleteErrorText(err, t, 'widgetKey', keyLabel(key)));
      refresh();
    },
  });

  const columns = [
    column.accessor('name', {
      header: t('widget.name'),
      size: 190,
      cell: (c) => {
        const name = c.getValue();
        const revoked = !!c.row.original.revokedAt;
        return name ? (
          <Text
            size="sm"
            fw={600}
            c={revoked ? 'dimmed' : undefined}
            style={{ overflowWrap: 'anywhere' }}
            data-testid="widget-key-name"
          >
            {name}
          </Text>
        ) : (
          <Text size="sm" c="dimmed" fs="italic" data-testid="widget-key-name">
            {t('widget.unnamed')}
          </Text>
        );
      },
    }),
    column.accessor('key', {
      header: t('widget.key'),
      cell: (c) => <KeyCell widgetKey={c.row.original} />,
    }),
    column.accessor('allowedOrigins', {
      header: t('widget.origins'),
      cell: (c) =>
        c.getValue().length ? (
          <Stack gap={2} data-testid="widget-key-origins">
            {c.getValue().map((origin) => (
              <Text key={origin} size="sm" ff="monospace">
                {origin}
              </Text>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed" data-testid="widget-key-origins">
            {t('widget.anyOrigin')}
          </Text>
        ),
    }),
    column.accessor('createdAt', {
      header: t('widget.created'),
      size: 150,
      cell: (c) => (
        <Text size="sm" c="dimmed">
          {formatTime(c.getValue(), lang)}
        </Text>
      ),
    }),
    column.accessor('lastUsedAt', {
      header: t('widget.lastUsed'),
      size: 150,
      cell: (c) => {
        const used = c.getValue();
        return (
          <Text size="sm" c="dimmed" data-testid="widget-key-last-used">
            {used ? formatTime(used, lang) : t('widget.never')}
          </Text>
        );
      },
    }),
    column.display({
      id: 'actions',
      header: '',
      size: 230,
      cell: (c) => {
        const key = c.row.original;
        if (key.revokedAt)
          return (
            <Badge color="gray" variant="light" tt="none" data-testid="widget-key-revoked">
              {t('widget.revokedAt', { time: formatTime(key.revokedAt, lang) })}
            </Badge>
          );
        return (
          // A click on a button is not also a click on the row (which selects the key).
          <Group gap={4} wrap="nowrap" onClick={(e) => e.stopPropagation()}>
            <Button size="xs" variant="subtle" onClick={() => setSelectedId(key.id)}>
              {t('widget.snippet')}
            </Button>
            {canEdit && (
              <>
                <Button size="xs" variant="subtle" onClick={() => setEditing(key)}>
                  {t('widget.edit')}
                </Button>
                <DeleteButton
                  label={t('widget.revoke')}
                  confirmLabel={t('widget.revoke')}
                  title={t('widget.revokeTitle')}
                  message={t('widget.revokeConfirm', { key: keyLabel(key) })}
                  onConfirm={() => revoke.mutate(key)}
                />
              </>
            )}
          </Group>
        );
      },
    }),
  ];

  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={820}>
        {t('widget.intro')}
      </Text>
      <QueryState
        query={list}
        isEmpty={(keys) => keys.length === 0}
        empty={
          <Stack align="center" gap="sm" py="md">
            <Text c="dimmed">{t(emptyListKey('widget', canEdit))}</Text>
            {canEdit && <Button onClick={() => setEditing('new')}>{t('widget.new')}</Button>}
          </Stack>
        }
      >
        {(keys) => {
          const live = keys.filter((k) => !k.revokedAt);
          const revokedCount = keys.length - live.length;
          const rows = sortKeys(showRevoked ? keys : live);
          // The key whose snippet shows: the one picked, else the newest live key.
          const selected = live.find((k) => k.id === selectedId) ?? live[live.length - 1];
          return (
            <>
              <Group justify="space-between">
                {revokedCount > 0 ? (
                  <Switch
                    label={t('widget.showRevoked', { n: revokedCount })}
                    checked={showRevoked}
                    onChange={(e) => setShowRevoked(e.currentTarget.checked)}
                  />
                ) : (
                  <span />
                )}
                {canEdit && <Button onClick={() => setEditing('new')}>{t('widget.new')}</Button>}
              </Group>
              {rows.length > 0 && (
                <DataTable
                  rows={rows}
                  columns={columns}
                  rowKey={(k) => k.id}
                  onRowClick={(k) => !k.revokedAt && setSelectedId(k.id)}
                  selectedKey={selected?.id}
                  testId="widget-key-table"
                />
              )}
              {selected && <SnippetCard widgetKey={selected} kb={kb} />}
            </>
          );
        }}
      </QueryState>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('widget.new') : t('widget.editTitle')}
      >
        {editing !== null && (
          <KeyForm
            kbId={kb.id}
            editing={editing}
            onSaved={(key) => {
              setEditing(null);
              setSelectedId(key.id);
              refresh();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

/** The key masked, in monospace, with a button that copies the whole key. */
function KeyCell({ widgetKey }: { widgetKey: WidgetKey }) {
  const { t } = useT();
  const revoked = !!widgetKey.revokedAt;
  return (
    <Group gap={4} wrap="nowrap" onClick={(e) => e.stopPropagation()}>
      <Text
        size="sm"
        ff="monospace"
        c={revoked ? 'dimmed' : undefined}
        td={revoked ? 'line-through' : undefined}
        style={{ whiteSpace: 'nowrap' }}
        data-testid="widget-key-masked"
      >
        {maskKey(widgetKey.key)}
      </Text>
      {!revoked && (
        <CopyButton value={widgetKey.key} timeout={1500}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('widget.copied') : t('widget.copyKey')} withArrow>
              <ActionIcon
                variant="subtle"
                color={copied ? 'teal' : 'gray'}
                onClick={copy}
                aria-label={t('widget.copyKey')}
              >
                {copied ? <CheckIcon /> : <CopyIcon />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      )}
    </Group>
  );
}

/** The script tag of a key, in the widget language picked (the KB's by default), with a copy button. */
function SnippetCard({ widgetKey, kb }: { widgetKey: WidgetKey; kb: KnowledgeBase }) {
  const { t } = useT();
  const [widgetLang, setWidgetLang] = useState<UiLanguage>(kb.language === 'en' ? 'en' : 'zh');
  // The widget is served by this server, like the console (/admin): the same origin.
  const snippet = widgetSnippet(window.location.origin, widgetKey.key, widgetLang);
  return (
    <Card withBorder data-testid="widget-snippet">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs" align="baseline">
            <Title order={4}>{t('widget.snippet')}</Title>
            {widgetKey.name && (
              <Text fw={600} data-testid="widget-snippet-name">
                {widgetKey.name}
              </Text>
            )}
            <Text ff="monospace" c="dimmed" data-testid="widget-snippet-key">
              {maskKey(widgetKey.key)}
            </Text>
          </Group>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('widget.snippetLang')}
            </Text>
            <SegmentedControl
              size="xs"
              value={widgetLang}
              onChange={(v) => setWidgetLang(v as UiLanguage)}
              data={[
                { value: 'zh', label: t('lang.zh') },
                { value: 'en', label: t('lang.en') },
              ]}
              aria-label={t('widget.snippetLang')}
            />
          </Group>
        </Group>
        <Code
          block
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
          data-testid="widget-snippet-code"
        >
          {snippet}
        </Code>
        <Group justify="space-between" wrap="wrap">
          <Text size="sm" c="dimmed">
            {t('widget.snippetHint')}
          </Text>
          <CopyTextButton value={snippet} label={t('widget.copy')} copiedLabel={t('widget.copied')} />
        </Group>
      </Stack>
    </Card>
  );
}

/**
 * New key, or a key edited: its name and its origins, one per line, both checked before anything is
 * sent (the server's 400, if any, shows under the field it is about).
 */
function KeyForm({
  kbId,
  editing,
  onSaved,
}: {
  kbId: string;
  editing: WidgetKey | 'new';
  onSaved(key: WidgetKey): void;
}) {
  const { t, lang } = useT();
  const [text, setText] = useState(editing === 'new' ? '' : editing.allowedOrigins.join('\n'));
  const [nameText, setNameText] = useState(editing === 'new' ? '' : (editing.name ?? ''));
  const [invalid, setInvalid] = useState<string[]>([]);
  const [nameTooLong, setNameTooLong] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: (body: { name: string | null; allowedOrigins: string[] }) =>
      editing === 'new'
        ? apiJson<WidgetKey>('POST', `/api/kbs/${kbId}/widget-keys`, body)
        : apiJson<WidgetKey>('PATCH', `/api/kbs/${kbId}/widget-keys/${editing.id}`, body),
    onSuccess: (key) => {
      notify('success', editing === 'new' ? t('widget.createdToast') : t('widget.saved'));
      onSaved(key);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseOrigins(text);
    const name = parseKeyName(nameText);
    setInvalid(parsed.invalid);
    setNameTooLong(name.tooLong);
    if (!parsed.invalid.length && name.tooLong === null)
      save.mutate({ name: name.name, allowedOrigins: parsed.origins });
  };
  // Said in the console's language; a name the API refused shows under the name, the rest under the origins.
  const serverError = save.error ? widgetKeySaveErrorText(save.error, t, editing === 'new') : undefined;
  const aboutName = save.error?.message.startsWith('name');
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label={t('widget.nameLabel')}
          description={t('widget.nameHint', { max: KEY_NAME_MAX })}
          placeholder={lang === 'zh' ? '官网商城' : 'Main shop'}
          value={nameText}
          onChange={(e) => setNameText(e.currentTarget.value)}
          error={
            nameTooLong !== null
              ? t('widget.nameTooLong', { n: nameTooLong, max: KEY_NAME_MAX })
              : aboutName
                ? serverError
                : undefined
          }
          data-autofocus
        />
        <Textarea
          label={t('widget.originsLabel')}
          description={t('widget.originsHint')}
          placeholder="https://shop.example.com"
          autosize
          minRows={3}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={
            invalid.length
              ? t('widget.originsInvalid', { lines: invalid.join(lang === 'zh' ? '、' : ', ') })
              : aboutName
                ? undefined
                : serverError
          }
        />
        {editing !== 'new' && (
          <Text size="sm" c="dimmed">
            {t('widget.editHint')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {editing === 'new' ? t('action.create') : t('action.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
