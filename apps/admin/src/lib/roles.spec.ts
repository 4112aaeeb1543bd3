import { describe, expect, it } from 'vitest';
import { roleAtLeast, roleIn } from './roles';

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
});
