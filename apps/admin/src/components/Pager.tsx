/** Server-side pagination under a list: "1-20 of 135" and the page buttons. */
import { Group, Pagination, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useT } from '../lib/i18n-context';
import { pageCount, pageRange } from '../lib/paging';

export function Pager({
  page,
  pageSize,
  total,
  onChange,
}: {
  page: number;
  pageSize: number;
  total: number;
  onChange(page: number): void;
}) {
  const { t } = useT();
  // The list shrank under the page (its last rows deleted, disabled under a filter, or by someone
  // else): go to the last page that has rows, instead of an empty table saying '第 20–20 条，共 20 条'.
  const last = pageCount(pageSize, total);
  useEffect(() => {
    if (page > last) onChange(last);
  }, [page, last, onChange]);
  if (total === 0) return null;
  const [from, to] = pageRange(page, pageSize, total);
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">
        {t('pager.range', { from, to, total })}
      </Text>
      {total > pageSize && (
        <Pagination size="sm" total={pageCount(pageSize, total)} value={page} onChange={onChange} />
      )}
    </Group>
  );
}
