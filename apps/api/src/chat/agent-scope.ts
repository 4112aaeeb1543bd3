/**
 * What an agent may serve, one rule for the chat socket and the agent REST routes: the organisations
 * where the signed-in user or API key has the agent role or above (a KB-scoped API key: that KB only).
 */
import { roleAtLeast } from '../auth/access-rules';
import type { Caller } from '../auth/caller';

/** null: the deployment-wide WENDAO_AGENT_TOKEN (every KB). */
export type AgentScope = {
  organisationIds: string[];
  kbId: string | null;
  /**
   * The label it is shown as: a signed-in user's name, else email; a key's name, else `API key` and
   * its display prefix, so two keys' agents never look alike to a customer or a colleague.
   */
  name: string;
  /**
   * Who it is, whatever label it shows: `user:<id>` or `key:<id>`. A conversation an agent takes is
   * theirs by this, so no one can write to it by sending another agent's name.
   */
  principal: string;
  /** A signed-in user's login session (logging out closes the sockets opened with it). */
  loginSessionId: string | null;
} | null;

/** The caller's scope; `organisationIds` is empty when it has the agent role nowhere. */
export function agentScopeOf(caller: Caller): NonNullable<AgentScope> {
  const organisationIds =
    caller.kind === 'api-key'
      ? roleAtLeast(caller.role, 'agent')
        ? [caller.organisationId]
        : []
      : caller.memberships.filter((m) => roleAtLeast(m.role, 'agent')).map((m) => m.organisationId);
  return {
    organisationIds,
    kbId: caller.kind === 'api-key' ? caller.kbId : null,
    name: caller.kind === 'user' ? caller.name || caller.email : agentLabelOfKey(caller),
    principal: caller.kind === 'user' ? `user:${caller.userId}` : `key:${caller.keyId}`,
    loginSessionId: caller.kind === 'user' ? caller.sessionId : null,
  };
}

/** An API key's agent label: its name, else `API key wdk_AbCdEf` (its display prefix, as the key list shows it). */
export function agentLabelOfKey(key: { name: string; prefix: string }): string {
  return key.name.trim() || `API key ${key.prefix}`;
}
