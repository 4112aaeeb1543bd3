/**
 * Every route the HTTP server answers, as `'METHOD /path'` keys of the access-rule table: read
 * from Express's router after the Nest app is initialised (Nest's controllers and what
 * @nestjs/swagger adds beside them alike).
 */
import type { INestApplication } from '@nestjs/common';
import { ruleKey } from './access-rules';

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

export function registeredRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  const keys = new Set<string>();
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths)
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') keys.add(ruleKey(method, path));
  }
  return [...keys].sort();
}
