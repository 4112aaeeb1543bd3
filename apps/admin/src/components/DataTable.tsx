/**
 * A server-paginated table: @tanstack/react-table for the columns, Mantine for the look. The rows
 * are one page the server sent; paging and filtering happen on the server.
 */
import { Table } from '@mantine/core';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { Fragment, type ReactNode } from 'react';
import { renderColumnPart } from '../lib/table-cell';

export function DataTable<T>({
  rows,
  columns,
  rowKey,
  onRowClick,
  selectedKey,
  testId,
  detail,
}: {
  rows: T[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  rowKey(row: T): string;
  onRowClick?(row: T): void;
  selectedKey?: string;
  testId?: string;
  /** What a row shows opened, across the table under it (null: closed). */
  detail?(row: T): ReactNode;
}) {
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: rowKey,
    manualPagination: true,
  });
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover={!!onRowClick} verticalSpacing="xs" data-testid={testId}>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => (
                <Table.Th key={header.id} style={{ width: header.column.columnDef.size }}>
                  {renderColumnPart(header.column.columnDef.header, header.getContext())}
                </Table.Th>
              ))}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => {
            const opened = detail?.(row.original);
            return (
              <Fragment key={row.id}>
                <Table.Tr
                  onClick={onRowClick ? () => onRowClick(row.original) : undefined}
                  style={onRowClick ? { cursor: 'pointer' } : undefined}
                  bg={selectedKey === row.id ? 'var(--mantine-color-teal-light)' : undefined}
                >
                  {row.getVisibleCells().map((cell) => (
                    <Table.Td key={cell.id}>
                      {renderColumnPart(cell.column.columnDef.cell, cell.getContext())}
                    </Table.Td>
                  ))}
                </Table.Tr>
                {opened != null && opened !== false && (
                  <Table.Tr>
                    <Table.Td colSpan={row.getVisibleCells().length}>{opened}</Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
