/** A delete button that asks first (a modal naming what goes), and the table column that holds it. */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ColumnHelper } from '@tanstack/react-table';
import { useT } from '../lib/i18n-context';

/**
 * A list's last column: on each row a DeleteButton that asks with `ask(row)` and then calls
 * `onConfirm(row)`; empty for a user who may not edit.
 */
export function deleteColumn<T>(
  column: ColumnHelper<T>,
  canEdit: boolean,
  ask: (row: T) => { title: string; message: string },
  onConfirm: (row: T) => void,
) {
  return column.display({
    id: 'actions',
    header: '',
    size: 80,
    cell: (c) =>
      canEdit && <DeleteButton {...ask(c.row.original)} onConfirm={() => onConfirm(c.row.original)} />,
  });
}

export function DeleteButton({
  title,
  message,
  onConfirm,
  label,
  confirmLabel,
}: {
  title: string;
  message: string;
  onConfirm(): void;
  /** The button's word, and the confirming one's (revoking is not deleting): "Delete" by default. */
  label?: string;
  confirmLabel?: string;
}) {
  const { t } = useT();
  const [opened, { open, close }] = useDisclosure();
  // React events bubble out of the modal's portal through the React tree: inside a clickable table row,
  // confirming would also "click" the row (and open the entry just deleted). They stop here.
  return (
    <span onClick={(e) => e.stopPropagation()}>
      <Button
        size="xs"
        variant="subtle"
        color="red"
        onClick={(e) => {
          e.stopPropagation();
          open();
        }}
      >
        {label ?? t('action.delete')}
      </Button>
      <Modal opened={opened} onClose={close} title={title}>
        <Stack>
          <Text size="sm">{message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('action.cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => {
                close();
                onConfirm();
              }}
            >
              {confirmLabel ?? t('action.confirmDelete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </span>
  );
}
