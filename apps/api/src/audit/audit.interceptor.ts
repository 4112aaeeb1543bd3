/**
 * Records every change made through the API (any non-GET route that is not public and not in
 * NOT_AUDITED): who, the route, the KB and target id, the answer as "after" (secrets stripped) and,
 * for FAQ entries, KB settings, widget keys and a deleted document, the state before (dates as ISO
 * strings). A route across the caller's organisations (marking a left message handled) is logged in
 * the organisation its service finds the target in, with the before and after the service gives
 * (describeAudit). The row is written inside the change's own transaction (the first to commit during the request, see AuditRepository), so a change is never
 * without its row: if the row cannot be written the change rolls back and the request fails. The
 * answer is added once the handler returns. A change made without a transaction (one statement) gets
 * its row after it succeeds, as does a request that committed nothing; a failure to write that row
 * is logged, never turned into an error for a change that already happened. Failed requests whose
 * transaction rolled back are not recorded.
 */
import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { finalize, from, mergeMap, type Observable } from 'rxjs';
import { ACCESS_RULES, ruleKey } from '../auth/access-rules';
import type { RequestWithAccess } from '../auth/caller';
import { auditInFlight, type AuditInFlight } from './audit-in-flight';
import { AuditRepository } from './audit.repository';
import { NOT_AUDITED } from './not-audited';

/** Non-GET routes that change nothing an owner would audit (not-audited.ts). */
export { NOT_AUDITED };

/** Never stored: a new API key's secret, passwords. */
const SECRET_FIELDS = new Set(['key', 'password', 'passwordHash', 'csrfToken']);

/** The answer as the log keeps it: without secrets, a Date as its ISO string (as JSON would give it). */
function withoutSecrets(body: unknown): unknown {
  if (body instanceof Date) return Number.isNaN(body.getTime()) ? null : body.toISOString();
  if (Array.isArray(body)) return body.map(withoutSecrets);
  if (!body || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>)
      .filter(([k]) => !SECRET_FIELDS.has(k))
      .map(([k, v]) => [k, withoutSecrets(v)]),
  );
}

const idOf = (body: unknown): string | null => {
  const b = (body ?? {}) as { id?: unknown; userId?: unknown };
  const id = b.id ?? b.userId;
  return typeof id === 'string' ? id : null;
};

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(private readonly audit: AuditRepository) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<RequestWithAccess>();
    const key = ruleKey(req.method, (req.route as { path?: string } | undefined)?.path ?? req.path);
    const access = req.access;
    const rule = ACCESS_RULES[key];
    if (req.method === 'GET' || NOT_AUDITED.has(key) || !access || !rule) return next.handle();
    // A route across the caller's organisations (the agents' inbox) learns the organisation from
    // what it finds: its service names it (describeAudit); any other route without one is not logged.
    if (!access.organisationId && rule.access !== 'any-organisation') return next.handle();
    const param = (name: string) => (typeof req.params[name] === 'string' ? req.params[name] : undefined);
    const kbParam = key.includes('/api/kbs/:id') ? param('id') : undefined;
    const targetParam = ['faqId', 'docId', 'userId', 'keyId', 'intentId', 'exampleId']
      .map(param)
      .find(Boolean);
    const before =
      kbParam && param('faqId')
        ? await this.audit.faqEntry(kbParam, param('faqId')!)
        : kbParam && (key === 'PATCH /api/kbs/:id' || key === 'DELETE /api/kbs/:id')
          ? await this.audit.knowledgeBase(kbParam)
          : kbParam && param('keyId') && key.includes('/widget-keys/')
            ? await this.audit.widgetKey(kbParam, param('keyId')!)
            : kbParam && key === 'DELETE /api/kbs/:id/documents/:docId'
              ? await this.audit.document(kbParam, param('docId')!)
              : undefined;
    const caller = access.caller;
    const pending: AuditInFlight = {
      entry: {
        organisationId: access.organisationId ?? null,
        actorUserId: caller.kind === 'user' ? caller.userId : null,
        actorApiKeyId: caller.kind === 'api-key' ? caller.keyId : null,
        actor: caller.kind === 'user' ? caller.email : `API key ${caller.keyId}`,
        action: key,
        kbId: kbParam ?? null,
        // What the change creates is known by the answer's id, once it comes (complete()).
        targetId: targetParam ?? null,
        before,
        after: undefined,
      },
      settled: false,
    };
    // Nest binds the handler to the async context handle() is called in: the handler's transactions see `pending`.
    const handled = auditInFlight.run(pending, () => next.handle());
    return handled.pipe(
      mergeMap((body: unknown) => {
        pending.settled = true;
        const answer = {
          // A new KB (create, import) is known by the answer's id.
          kbId: pending.entry.kbId ?? (key.startsWith('POST /api/kbs') ? idOf(body) : null),
          targetId: pending.entry.targetId ?? idOf(body) ?? kbParam ?? null,
          after: pending.after !== undefined ? pending.after : withoutSecrets(body),
        };
        const { organisationId } = pending.entry;
        // Nothing found to name an organisation by: the change did not happen in any.
        if (!organisationId) return from(Promise.resolve(body));
        const write = pending.rowId
          ? this.audit.complete(pending.rowId, answer, key)
          : this.audit.append({ ...pending.entry, organisationId, ...answer });
        return from(
          write
            .catch((err: unknown) => this.logger.error(`could not record ${key}: ${String(err)}`))
            .then(() => body),
        );
      }),
      finalize(() => (pending.settled = true)),
    );
  }
}
