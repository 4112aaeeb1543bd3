import { describe, expect, it } from 'vitest';
import { roleAnywhere, roleAtLeast, roleIn } from './roles';

describe('roles', () => {
  it('orders viewer < agent < editor < owner, and an unknown role may do nothing', () => {
    expect(roleAtLeast('editor', 'agent')).toBe(true);
    expect(roleAtLeast('agent', 'editor')).toBe(false);
    expect(roleAtLeast('owner', 'owner')).toBe(true);
    expect(roleAtLeast(undefined, 'viewer')).toBe(false);
    expect(roleAtLeast('admin', 'viewer')).toBe(false);
  });

  it("takes the role in the KB's organisation", () => {
    const memberships = [
      { organisationId: 'a', role: 'viewer' },
      { organisationId: 'b', role: 'owner' },
    ];
    expect(roleIn(memberships, 'b')).toBe('owner');
    expect(roleIn(memberships, 'c')).toBeUndefined();
  });

  it('has a role anywhere when one organisation gives it, and every role without sign-in', () => {
    const session = (...roles: string[]) => ({
      enabled: true,
      session: { memberships: roles.map((role) => ({ role })) },
    });
    expect(roleAnywhere(session('viewer'), 'agent')).toBe(false);
    expect(roleAnywhere(session('viewer', 'editor'), 'agent')).toBe(true);
    expect(roleAnywhere(session(), 'viewer')).toBe(false);
    expect(roleAnywhere({ enabled: true, session: null }, 'viewer')).toBe(false);
    expect(roleAnywhere({ enabled: false, session: null }, 'owner')).toBe(true);
  });
});
