/**
 * What the signed-in user may do in a KB: their role in the KB's organisation (the server checks
 * every call; the console only hides what would be refused). Without auth on the server, everything.
 */
import { useAuth } from './auth';

export const ROLES = ['viewer', 'agent', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export function roleAtLeast(role: string | undefined, needed: Role): boolean {
  return ROLES.indexOf(role as Role) >= ROLES.indexOf(needed);
}

export function roleIn(
  memberships: { organisationId: string; role: string }[] | undefined,
  organisationId: string | undefined,
): string | undefined {
  return memberships?.find((m) => m.organisationId === organisationId)?.role;
}

/**
 * Whether the user has `needed` (or above) in at least one organisation: what a page across
 * organisations (the agent console) asks. Without sign-in on the server (`auth.enabled` false): yes.
 */
export function roleAnywhere(
  auth: { enabled: boolean; session: { memberships: { role: string }[] } | null } | undefined,
  needed: Role,
): boolean {
  if (!auth?.enabled) return true;
  return (auth.session?.memberships ?? []).some((m) => roleAtLeast(m.role, needed));
}

/** The caller's role for a KB: `owner` when the server has no sign-in. */
export function useKbRole(kb: { organisationId?: string }): string | undefined {
  const auth = useAuth().data;
  if (!auth?.enabled) return 'owner';
  return roleIn(auth.session?.memberships, kb.organisationId);
}
