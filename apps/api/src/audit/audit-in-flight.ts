/**
 * The audit entry of the API change in flight, carried through the request's async calls so that the
 * first transaction committing during the request writes the row inside itself (AuditRepository):
 * a change and its audit row commit together or not at all.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditEntry } from './audit.repository';

export interface AuditInFlight {
  /** Known before the handler runs; `after` (and a new KB's id) only once it answers. */
  entry: AuditEntry;
  /** The row's id, once written by a committing transaction. */
  rowId?: string;
  /** The query runner whose transaction carries the row: if it rolls back, so does the row. */
  carrier?: object;
  /** The handler answered or failed: transactions of work it left running carry nothing. */
  settled: boolean;
}

export const auditInFlight = new AsyncLocalStorage<AuditInFlight>();
