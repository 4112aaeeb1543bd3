/**
 * Non-GET routes that change nothing an owner would audit: AuditInterceptor records every other
 * non-GET route with an access rule. Its own module, without Nest, so the admin console's specs can
 * read the list the API uses (apps/admin/src/lib/audit-log.spec.ts).
 */
export const NOT_AUDITED: ReadonlySet<string> = new Set([
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/kbs/:id/ask',
  'POST /api/kbs/:id/intents/classify',
]);
