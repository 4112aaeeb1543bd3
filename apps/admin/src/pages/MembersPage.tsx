/**
 * Members of an organisation, for its owners: who can sign in and with which role (and since when);
 * add a member (an existing account by email, or a new one with an initial password), change a
 * member's role, remove one after a confirmation. The API enforces the rules (owners only; the last
 * owner stays); its refusals are said in the console's language (memberErrorText). Non-owners see
 * only why the page is not for them.
 */
import { Button, Group, Modal, NativeSelect, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent } from 'react';
import { DataTable } from '../components/DataTable';
import { DeleteButton } from '../components/DeleteButton';
import { OwnedOrganisation } from '../components/OwnedOrganisation';
import { QueryState } from '../components/QueryState';
import { apiJson } from '../lib/api';
import { AUTH_KEY } from '../lib/auth';
import { formatTime } from '../lib/dates';
import { useT } from '../lib/i18n-context';
import { memberErrorText } from '../lib/member-error-text';
import { notify } from '../lib/notify';
import { ROLES, type Role } from '../lib/roles';
import type { Member } from '../lib/types';

const column = createColumnHelper<Member>();
const who = (m: { name?: string; email: string }) => m.name?.trim() || m.email;

export function MembersPage() {
  const { t } = useT();
  return (
    <OwnedOrganisation
      title={t('members.title')}
      ownersOnly={t('members.ownersOnly')}
      ownersOnlyTestId="members-owners-only"
    >
      {(organisationId, selfId) => <MemberList organisationId={organisationId} selfId={selfId} />}
    </OwnedOrganisation>
  );
}

function MemberList({ organisationId, selfId }: { organisationId: string; selfId: string }) {
  const { t, lang } = useT();
  const client = useQueryClient();
  const [adding, addModal] = useDisclosure();
  const base = `/api/organisations/${organisationId}/users`;
  const queryKey = ['members', organisationId];
  const list = useQuery({ queryKey, queryFn: () => apiJson<Member[]>('GET', base) });
  const reload = () => void client.invalidateQueries({ queryKey });
  // A change to one's own membership changes what the console shows (the nav, this page).
  const touchedSelf = (m: Member) => {
    if (m.userId === selfId) void client.invalidateQueries({ queryKey: AUTH_KEY });
  };
  const roleName = (role: Role) => t(`access.role.${role}`);
  // Giving up one's own owner role closes this page to oneself: asked first.
  const [demotingSelf, setDemotingSelf] = useState<{ member: Member; role: Role } | null>(null);

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) =>
      apiJson<Member>('PATCH', `${base}/${member.userId}`, { role }),
    onSuccess: (_r, { member, role }) => {
      notify('success', t('members.roleChanged', { who: who(member), role: roleName(role) }));
      reload();
      touchedSelf(member);
    },
    onError: (err, { member }) => {
      notify('error', memberErrorText(err, t, 'role', who(member)));
      reload();
    },
  });
  const remove = useMutation({
    mutationFn: (member: Member) => apiJson<void>('DELETE', `${base}/${member.userId}`),
    onSuccess: (_r, member) => {
      notify('success', t('members.removed', { who: who(member) }));
      reload();
      touchedSelf(member);
    },
    onError: (err, member) => {
      notify('error', memberErrorText(err, t, 'remove', who(member)));
      reload();
    },
  });

  const columns = [
    column.display({
      id: 'member',
      header: t('members.member'),
      cell: (c) => {
        const m = c.row.original;
        return (
          <Stack gap={0}>
            <Text size="sm" fw={600} data-testid="member-name">
              {m.name || m.email}
              {m.userId === selfId && (
                <Text span size="sm" c="dimmed" fw={400}>
                  {t('members.you')}
                </Text>
              )}
            </Text>
            {m.name && (
              <Text size="xs" c="dimmed" data-testid="member-email">
                {m.email}
              </Text>
            )}
          </Stack>
        );
      },
    }),
    column.accessor('role', {
      header: t('members.role'),
      size: 150,
      cell: (c) => (
        <NativeSelect
          size="xs"
          aria-label={`${t('members.role')}: ${who(c.row.original)}`}
          value={c.getValue()}
          disabled={changeRole.isPending}
          onChange={(e) => {
            const role = e.currentTarget.value as Role;
            const member = c.row.original;
            if (role === member.role) return;
            if (member.userId === selfId && member.role === 'owner') setDemotingSelf({ member, role });
            else changeRole.mutate({ member, role });
          }}
          data={ROLES.map((r) => ({ value: r, label: roleName(r) }))}
        />
      ),
    }),
    column.accessor('since', {
      header: t('members.since'),
      size: 170,
      cell: (c) => (
        <Text size="sm" data-testid="member-since">
          {formatTime(c.getValue(), lang)}
        </Text>
      ),
    }),
    column.display({
      id: 'actions',
      header: '',
      size: 90,
      cell: (c) => {
        const m = c.row.original;
        return (
          <DeleteButton
            label={t('members.remove')}
            confirmLabel={t('members.removeConfirm')}
            title={t('members.removeTitle')}
            message={
              m.userId === selfId ? t('members.removeSelf') : t('members.removeMessage', { who: who(m) })
            }
            onConfirm={() => remove.mutate(m)}
          />
        );
      },
    }),
  ];

  return (
    <>
      <Group justify="space-between" align="center">
        <Text size="sm" c="dimmed">
          {t('members.intro')}
        </Text>
        <Button onClick={addModal.open}>{t('members.add')}</Button>
      </Group>
      <QueryState query={list}>
        {(rows) => <DataTable rows={rows} columns={columns} rowKey={(m) => m.userId} testId="member-table" />}
      </QueryState>
      <Stack gap={2} data-testid="member-role-help">
        <Text size="xs" fw={600} c="dimmed">
          {t('members.rolesTitle')}
        </Text>
        {ROLES.map((r) => (
          <Text key={r} size="xs" c="dimmed">
            {t('members.roleLine', { role: roleName(r), help: t(`members.roleHelp.${r}`) })}
          </Text>
        ))}
      </Stack>
      <Modal
        opened={!!demotingSelf}
        onClose={() => setDemotingSelf(null)}
        title={t('members.demoteSelfTitle')}
      >
        <Stack>
          <Text size="sm">
            {demotingSelf && t('members.demoteSelf', { role: roleName(demotingSelf.role) })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDemotingSelf(null)}>
              {t('action.cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => {
                if (demotingSelf) changeRole.mutate(demotingSelf);
                setDemotingSelf(null);
              }}
            >
              {t('members.demoteConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <AddMemberModal
        opened={adding}
        onClose={addModal.close}
        path={base}
        onAdded={(m) => {
          notify('success', t('members.added', { who: who(m), role: roleName(m.role) }));
          reload();
        }}
      />
    </>
  );
}

function AddMemberModal({
  opened,
  onClose,
  path,
  onAdded,
}: {
  opened: boolean;
  onClose(): void;
  path: string;
  onAdded(m: Member): void;
}) {
  const { t } = useT();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setEmail('');
    setName('');
    setPassword('');
    setRole('viewer');
    setError(null);
    onClose();
  };
  const add = useMutation({
    mutationFn: () =>
      apiJson<Member>('POST', path, {
        email: email.trim(),
        role,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(password ? { password } : {}),
      }),
    onSuccess: (m) => {
      onAdded(m);
      close();
    },
    onError: (err) => setError(memberErrorText(err, t, 'add', email.trim())),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    add.mutate();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('members.addTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('members.email')}
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label={t('members.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <NativeSelect
            label={t('members.role')}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            data={ROLES.map((r) => ({ value: r, label: t(`access.role.${r}`) }))}
            description={t(`members.roleHelp.${role}`)}
          />
          <PasswordInput
            label={t('members.password')}
            description={t('members.passwordHint')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="new-password"
          />
          {error && (
            <Text size="sm" c="red" role="alert" data-testid="member-add-error">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending} disabled={!email.trim()}>
              {t('members.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
