/**
 * Who may call which route: the one table every HTTP route is checked against (by AccessGuard),
 * keyed `'METHOD /path/as/nest/registers/it'`. A route without a rule is refused, and
 * apps/api/test/access-rules.spec.ts fails for a route without a rule or a rule without a route:
 * add the rule here with the route.
 */

/** Roles in an organisation, weakest first: each role may do everything the ones before it may. */
export const ROLES = ['viewer', 'agent', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const roleAtLeast = (role: Role, needed: Role): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(needed);

export type AccessRule =
  /** Anyone, no credentials (health, the widget script, login). */
  | { access: 'public' }
  /** Any signed-in user or API key; the service narrows to the caller's organisations. */
  | { access: 'signed-in' }
  /** `role` or above in the organisation that owns the KB in `:id` (a KB of another organisation: 404). */
  | { access: 'kb'; role: Role }
  /** `role` or above in the organisation of the KB the job in `:id` belongs to. */
  | { access: 'job'; role: Role }
  /**
   * `role` or above in an organisation named by `:orgId`, else `organisationId` in the query or
   * JSON body, else the caller's only organisation.
   */
  | { access: 'organisation'; role: Role }
  /**
   * `role` or above in at least one of the caller's organisations (the agent console's inbox, across
   * every organisation the caller serves); the service narrows to those organisations.
   */
  | { access: 'any-organisation'; role: Role };

const PUBLIC: AccessRule = { access: 'public' };
const SIGNED_IN: AccessRule = { access: 'signed-in' };
const kb = (role: Role): AccessRule => ({ access: 'kb', role });
const job = (role: Role): AccessRule => ({ access: 'job', role });
const organisation = (role: Role): AccessRule => ({ access: 'organisation', role });
const anyOrganisation = (role: Role): AccessRule => ({ access: 'any-organisation', role });

export const ACCESS_RULES: Readonly<Record<string, AccessRule>> = {
  // Process status and the public customer surface: the widget's key limits it to one KB and origins.
  'GET /health': PUBLIC,
  'GET /ready': PUBLIC,
  'GET /demo': PUBLIC,
  'GET /widget.js': PUBLIC,
  // The admin console's static files (its API calls are checked like any other client's).
  'GET /admin': PUBLIC,
  'GET /admin/*path': PUBLIC,
  // The OpenAPI page and document (served by @nestjs/swagger outside Nest's router and guards).
  'GET /api/docs': PUBLIC,
  'GET /api/docs/': PUBLIC,
  'GET /api/docs/index.html': PUBLIC,
  'GET /api/docs/LICENSE': PUBLIC,
  'GET /api/docs/swagger-ui-init.js': PUBLIC,
  'GET /api/docs/docs/swagger-ui-init.js': PUBLIC,
  'GET /api/docs-json': PUBLIC,
  'GET /api/docs-yaml': PUBLIC,

  // Login sessions.
  'POST /api/auth/login': PUBLIC,
  'GET /api/auth/me': SIGNED_IN,
  'POST /api/auth/logout': SIGNED_IN,

  // An organisation's members and API keys: owners only.
  'GET /api/organisations/:orgId/users': organisation('owner'),
  'POST /api/organisations/:orgId/users': organisation('owner'),
  'PATCH /api/organisations/:orgId/users/:userId': organisation('owner'),
  'DELETE /api/organisations/:orgId/users/:userId': organisation('owner'),
  'POST /api/organisations/:orgId/api-keys': organisation('owner'),
  'GET /api/organisations/:orgId/api-keys': organisation('owner'),
  'DELETE /api/organisations/:orgId/api-keys/:keyId': organisation('owner'),
  'GET /api/organisations/:orgId/audit-log': organisation('owner'),
  'GET /api/organisations/:orgId/audit-log/kbs': organisation('owner'),

  // Knowledge bases. Listing shows the caller's organisations' KBs only.
  'GET /api/kbs': SIGNED_IN,
  'POST /api/kbs': organisation('editor'),
  'POST /api/kbs/import': organisation('editor'),
  'GET /api/kbs/:id': kb('viewer'),
  'PATCH /api/kbs/:id': kb('editor'),
  'DELETE /api/kbs/:id': kb('owner'),
  'GET /api/kbs/:id/export': kb('editor'),

  // FAQ entries.
  'GET /api/kbs/:id/faqs': kb('viewer'),
  'POST /api/kbs/:id/faqs': kb('editor'),
  'GET /api/kbs/:id/faqs/export': kb('viewer'),
  'GET /api/kbs/:id/faqs/:faqId': kb('viewer'),
  'PATCH /api/kbs/:id/faqs/:faqId': kb('editor'),
  'DELETE /api/kbs/:id/faqs/:faqId': kb('editor'),

  // Intents and their labelled examples (the intent classifier's training data): editors write.
  'GET /api/kbs/:id/intents': kb('viewer'),
  'POST /api/kbs/:id/intents': kb('editor'),
  'POST /api/kbs/:id/intents/import': kb('editor'),
  'GET /api/kbs/:id/intents/model': kb('viewer'),
  'POST /api/kbs/:id/intents/classify': kb('viewer'),
  'GET /api/kbs/:id/intents/:intentId': kb('viewer'),
  'PATCH /api/kbs/:id/intents/:intentId': kb('editor'),
  'DELETE /api/kbs/:id/intents/:intentId': kb('editor'),
  'GET /api/kbs/:id/intents/:intentId/examples': kb('viewer'),
  'POST /api/kbs/:id/intents/:intentId/examples': kb('editor'),
  'DELETE /api/kbs/:id/intents/:intentId/examples/:exampleId': kb('editor'),

  // Documents, passages and ingestion jobs.
  'POST /api/kbs/:id/documents': kb('editor'),
  'GET /api/kbs/:id/documents': kb('viewer'),
  'DELETE /api/kbs/:id/documents/:docId': kb('editor'),
  'GET /api/kbs/:id/documents/:docId/passages': kb('viewer'),
  'GET /api/kbs/:id/jobs': kb('viewer'),
  'GET /api/jobs/:id': job('viewer'),
  'GET /api/jobs/:id/events': job('viewer'),

  // Asking (the test console; server-to-server with an API key).
  'POST /api/kbs/:id/ask': kb('agent'),

  // Widget keys are public once made, but making, editing and revoking one is a KB setting.
  'POST /api/kbs/:id/widget-keys': kb('editor'),
  'GET /api/kbs/:id/widget-keys': kb('viewer'),
  'PATCH /api/kbs/:id/widget-keys/:keyId': kb('editor'),
  'DELETE /api/kbs/:id/widget-keys/:keyId': kb('editor'),

  // Chat transcripts (agents read them to serve customers); the unanswered inbox (read-only: turning
  // a group into an FAQ entry is POST /api/kbs/:id/faqs, an editor's).
  'GET /api/kbs/:id/conversations': kb('agent'),
  'GET /api/kbs/:id/conversations/:conversationId': kb('agent'),
  'GET /api/kbs/:id/unanswered': kb('viewer'),

  // The agent console's inbox of messages customers left while no agent was online: the agent's
  // organisations' KBs (a KB-scoped API key: its KB), as the chat socket serves them.
  'GET /api/agent/left-messages': anyOrganisation('agent'),
  'PATCH /api/agent/left-messages/:sessionId/:seq': anyOrganisation('agent'),

  // The analytics dashboard: read-only, so analysts (viewers) and up.
  'GET /api/kbs/:id/analytics/messages': kb('viewer'),
  'GET /api/kbs/:id/analytics/outcomes': kb('viewer'),
  'GET /api/kbs/:id/analytics/intents': kb('viewer'),
  'GET /api/kbs/:id/analytics/unanswered': kb('viewer'),
  'GET /api/kbs/:id/analytics/feedback': kb('viewer'),
  'GET /api/kbs/:id/analytics/latency': kb('viewer'),
};

/** The rule key of a request: `HEAD` is answered by the `GET` route. */
export const ruleKey = (method: string, path: string): string =>
  `${method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase()} ${path}`;
