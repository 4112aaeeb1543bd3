/**
 * The frame of a page for owners (Members, API keys): its title, then either why it is not for the
 * user (they own no organisation) or, for an owner of several organisations, a picker, and the page
 * for the organisation picked (remounted when another is picked).
 */
import { Alert, Select, Stack, Title } from '@mantine/core';
import { Fragment, useState, type ReactNode } from 'react';
import { useAuth } from '../lib/auth';
import { useT } from '../lib/i18n-context';

export function OwnedOrganisation({
  title,
  ownersOnly,
  ownersOnlyTestId,
  children,
}: {
  title: string;
  /** What a non-owner is told instead of the page. */
  ownersOnly: string;
  ownersOnlyTestId: string;
  children(organisationId: string, selfId: string): ReactNode;
}) {
  const { t } = useT();
  const session = useAuth().data?.session;
  const owned = (session?.memberships ?? []).filter((m) => m.role === 'owner');
  const [picked, setPicked] = useState<string | null>(null);
  const organisationId =
    owned.find((m) => m.organisationId === picked)?.organisationId ?? owned[0]?.organisationId;
  return (
    <Stack>
      <Title order={2}>{title}</Title>
      {!session || !organisationId ? (
        <Alert color="gray" data-testid={ownersOnlyTestId}>
          {ownersOnly}
        </Alert>
      ) : (
        <>
          {owned.length > 1 && (
            <Select
              label={t('members.organisation')}
              value={organisationId}
              onChange={setPicked}
              allowDeselect={false}
              data={owned.map((m) => ({ value: m.organisationId, label: m.organisationName }))}
              maw={320}
            />
          )}
          <Fragment key={organisationId}>{children(organisationId, session.user.id)}</Fragment>
        </>
      )}
    </Stack>
  );
}
