/**
 * The access-rule table covers exactly the routes the server answers: a new route without a rule,
 * or a rule left behind by a removed route, fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_RULES } from '../src/auth/access-rules';
import { registeredRoutes } from '../src/auth/registered-routes';
import { startTestApp, type TestApp } from './support/test-app';

describe('access rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('has a rule for every registered route and a route for every rule', () => {
    const routes = registeredRoutes(t.wendao.app);
    // The walk itself must see Nest's routes, or this test could pass on an empty list.
    expect(routes).toContain('POST /api/kbs/:id/ask');
    const rules = Object.keys(ACCESS_RULES);
    expect(
      routes.filter((r) => !rules.includes(r)),
      'routes without a rule in access-rules.ts',
    ).toEqual([]);
    expect(
      rules.filter((r) => !routes.includes(r)),
      'rules without a route',
    ).toEqual([]);
  });
});
