/**
 * Records every successful change made through the API (any non-GET route that is not public and
 * not in NOT_AUDITED) after its handler succeeded: who, the route, the KB and target id, the answer
 * as "after" (secrets stripped) and, for FAQ entries and KB settings, the state before. Failed
 * requests change nothing and are not recorded. A failed insert is logged, never turned into an
 * error for a change that already happened.
 */
import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';
import { ACCESS_RULES, ruleKey } from '../auth/access-rules';
import type { RequestWithAccess } from '../auth/caller';
import { AuditRepository } from './audit.repository';

/** Non-GET routes that change nothing an owner would audit. */
const NOT_AUDITED = new Set([
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/kbs/:id/ask',
  'POST /api/kbs/:id/intents/classify',
]);

/** Never stored: a new API key's secret, passwords. */
const SECRET_FIELDS = new Set(['key', 'password', 'passwordHash', 'csrfToken']);

function withoutSecrets(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(withoutSecrets);
  if (!body || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>)
      .filter(([k]) => !SECRET_FIELDS.has(k))
      .map(([k, v]) => [k, typeof v === 'object' ? withoutSecrets(v) : v]),
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
    if (req.method === 'GET' || NOT_AUDITED.has(key) || !access?.organisationId || !ACCESS_RULES[key])
      return next.handle();
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
          : undefined;
    const caller = access.caller;
    const organisationId = access.organisationId;
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          this.audit
            .append({
              organisationId,
              actorUserId: caller.kind === 'user' ? caller.userId : null,
              actorApiKeyId: caller.kind === 'api-key' ? caller.keyId : null,
              actor: caller.kind === 'user' ? caller.email : `API key ${caller.keyId}`,
              action: key,
              // A new KB (create, import) is known by the answer's id.
              kbId: kbParam ?? (key.startsWith('POST /api/kbs') ? idOf(body) : null),
              targetId: targetParam ?? idOf(body) ?? kbParam ?? null,
              before,
              after: withoutSecrets(body),
            })
            .catch((err: unknown) => this.logger.error(`could not record ${key}: ${String(err)}`))
            .then(() => body),
        ),
      ),
    );
  }
}
