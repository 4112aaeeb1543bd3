/**
 * Where the chat service's decisions go out: the gateway implements it over socket.io rooms (a
 * session's customer sockets, the agents' room, the agents who have a session), so the service
 * decides who hears what without knowing the transport.
 */
/** The agents who may hear of a KB's conversation: its organisation's, and deployment-wide token agents. */
export interface AgentAudience {
  kbId: string;
  organisationId: string;
}

export interface ChatOutbox {
  /** Every customer socket of the session (tabs, a reconnect). */
  toSession(sessionId: string, event: string, payload: unknown): void;
  /** Every agent online who may serve the KB. */
  toAgents(to: AgentAudience, event: string, payload: unknown): void;
  /** The agent sockets that have taken the session. */
  toSessionAgents(sessionId: string, event: string, payload: unknown): void;
  /** Agents online who may serve the KB. */
  agentsOnline(to: AgentAudience): Promise<number>;
  /** Customer sockets open on the session, on every replica. */
  customersOnline(sessionId: string): Promise<number>;
  /** Whether an agent socket of the principal has joined, on any replica. */
  agentOnline(principal: string): Promise<boolean>;
}
