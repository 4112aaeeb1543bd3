/**
 * Loading, error and empty states for anything fetched: no page is ever blank. The error shows the
 * server's message and a retry button.
 */
import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useT } from '../lib/i18n-context';

export function QueryState<T>({
  query,
  empty,
  isEmpty,
  children,
}: {
  query: UseQueryResult<T>;
  /** What to say when there is nothing (a sentence, maybe with an action). */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  const { t } = useT();
  if (query.isPending)
    return (
      <Center py="xl" data-testid="loading">
        <Loader size="sm" />
      </Center>
    );
  if (query.isError)
    return (
      <Alert color="red" title={t('error.title')} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{query.error.message}</Text>
          <Button size="xs" variant="light" color="red" onClick={() => void query.refetch()}>
            {t('action.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  if (empty && isEmpty?.(query.data))
    return (
      <Center py="xl">
        <Text c="dimmed" ta="center">
          {empty}
        </Text>
      </Center>
    );
  return <>{children(query.data)}</>;
}
