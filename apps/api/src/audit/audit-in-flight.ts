/**
 * The audit entry of the API change in flight, carried through the request's async calls so that the
 * first transaction committing during the request writes the row inside itself (AuditRepository):
 * a change and its audit row commit together or not at all.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditEntry } from './audit.repository';

export interface AuditInFlight {
  /**
   * Known before the handler runs; `after` (and a new KB's id) only once it answers. The organisation
   * is null on a route that spans the caller's organisations until the service names it
   * (describeAudit): no row is written without one.
   */
  entry: Omit<AuditEntry, 'organisationId'> & { organisationId: string | null };
  /** Set by the service (describeAudit): what the log keeps of the answer, in place of the answer. */
  after?: unknown;
  /** The row's id, once written by a committing transaction. */
  rowId?: string;
  /** The query runner whose transaction carries the row: if it rolls back, so does the row. */
  carrier?: object;
  /** The handler answered or failed: transactions of work it left running carry nothing. */
  settled: boolean;
}

export const auditInFlight = new AsyncLocalStorage<AuditInFlight>();

/**
 * What a service knows of the change that the route does not say: the organisation and KB of what
 * it found (a route across the caller's organisations), its id, its state before, and what the log
 * keeps of the answer (`after`, e.g. without a customer's text). Call it before the change's
 * transaction commits for the row to be written inside it. Outside an audited request: nothing.
 */
export function describeAudit(
  subject: Partial<Pick<AuditEntry, 'organisationId' | 'kbId' | 'targetId' | 'before' | 'after'>>,
): void {
  const pending = auditInFlight.getStore();
  if (!pending || pending.settled) return;
  const { after, ...entry } = subject;
  Object.assign(pending.entry, entry);
  if ('after' in subject) pending.after = after;
}
