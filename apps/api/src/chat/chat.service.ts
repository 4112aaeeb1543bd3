/**
 * The chat's decisions between the sockets and the database: who may connect (widget keys and their
 * origins, the agent token), sessions started and resumed with the messages a client missed, and
 * every turn run through the dialogue policy (@wendao/dialogue) around the one answer pipeline, with
 * the same KB answer context as the REST ask. A turn's messages and the new session state are stored
 * in one transaction before anyone hears of them; a resent client id gets its stored sequence number
 * back and no second reply. Turns of one session run one at a time. A session an agent takes is its
 * own by its authenticated principal: given back to it when it rejoins, and to the bot when it does
 * not come back in time.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  customerLanguage,
  DialoguePolicy,
  IllegalHandoffTransition,
  newSession,
  resumedInLanguage,
  type AgentTurnResult,
  type DialogueEvent,
  type SessionState,
} from '@wendao/dialogue';
import { chatQuestionEvent } from '../analytics/question-event';
import { QuestionEventRecorder } from '../analytics/question-event-recorder';
import { AuthRepository } from '../auth/auth.repository';
import { AuthService, cookieValue, SESSION_COOKIE } from '../auth/auth.service';
import type { Caller } from '../auth/caller';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { KbAnswerContextService } from '../ask/kb-answer-context.service';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { ModelsService } from '../models/models.service';
import { RateLimits } from '../rate-limits/rate-limits';
import { agentScopeOf, type AgentScope } from './agent-scope';
import { ChatError } from './chat-error';
import type {
  AgentMessagePayload,
  CustomerMessagePayload,
  FeedbackPayload,
  HandoffRequestPayload,
  SessionStartPayload,
} from './chat-events';
import { botPayload, handBackMessages, type ChatMessageView, type MessagePayload } from './chat-message';
import { leftMessageView } from './left-message';
import type { AgentAudience, ChatOutbox } from './chat-outbox';
import {
  ChatRepository,
  StaleConversation,
  type Conversation,
  type NewMessage,
  type StoredMessage,
} from './chat.repository';
import { KeyedQueue } from './keyed-queue';
import type { WidgetKey } from './widget-key';
import { WidgetKeysService } from './widget-keys.service';

export type { AgentScope } from './agent-scope';

/** Who a socket is, decided at connection. */
export type ChatIdentity = { kind: 'widget'; widgetKey: WidgetKey } | { kind: 'agent'; scope: AgentScope };

/** An agent socket after agent:join. */
export interface Agent {
  /**
   * Who it is: the scope's principal (`user:<id>`, `key:<id>`), for a token agent `token:` and a
   * digest of the resume code its first join was given (one per agent, whatever name it gives).
   * The sessions it takes are its own by this, never by the label.
   */
  principal: string;
  /** Its label (`agentId` on the wire: transcripts, `agent:taken`); shown, never compared. */
  agentId: string;
  scope: AgentScope;
}

/** A session an agent has taken, with its history (`agent:take`, and `agent:join` for its own). */
export interface AgentSession {
  sessionId: string;
  kbId: string;
  messages: ChatMessageView[];
}

/** The session cookie and Authorization header of a socket's handshake. */
export interface HandshakeCredentials {
  cookie?: string;
  authorization?: string;
}

/** Where a customer message came from, for the rate limits. */
export interface MessageSender {
  socketId: string;
  ip: string;
  /** The widget key's id (customer sockets). */
  widgetKeyId?: string;
}

export interface SessionReady {
  sessionId: string;
  /** False when a new session was started (none asked for, or the one asked for is unknown or ended). */
  resumed: boolean;
  lastSeq: number;
  handoff: SessionState['handoff'];
  /** The messages after the client's lastSeq (all of them, up to REPLAY_LIMIT, without one). */
  messages: ChatMessageView[];
}

export interface QueuedSession {
  sessionId: string;
  kbId: string;
  since: string;
}

/** Times a turn is redone when its conversation changed meanwhile on another replica. */
const STALE_RETRIES = 5;

/** The answer types a customer may vote on: real answers, an FAQ entry's or a document's (docs/chat.md, feedback). */
const VOTABLE_TYPES: ReadonlySet<string | null> = new Set(['faq', 'extracted']);

/** Most messages replayed on resume or shown to an agent taking a session. */
const REPLAY_LIMIT = 500;

const TEXT = {
  agentJoined: { zh: '人工客服已接入，请问有什么可以帮您？', en: 'An agent has joined the conversation.' },
  ended: { zh: '会话已结束。', en: 'The conversation has ended.' },
  handoffRequest: { zh: '转人工', en: 'Talk to a human' },
};

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Which way a handoff request went, on the bot's notice: `queued` for an agent, or `no_agent` (the
 * customer may leave a message, as when nobody takes a queued session in time), so a client can tell
 * waiting from leaving a message without reading the text.
 */
function handoffNotice(events: DialogueEvent[]): { event?: 'queued' | 'no_agent' | 'handoff_cancelled' } {
  if (events.some((e) => e.type === 'handoff_requested')) return { event: 'queued' };
  if (events.some((e) => e.type === 'agent_unavailable')) return { event: 'no_agent' };
  // A typed "算了" while leaving a message: the widget leaves that mode as for its cancel button.
  if (events.some((e) => e.type === 'handoff_cancelled')) return { event: 'handoff_cancelled' };
  return {};
}

@Injectable()
export class ChatService implements OnApplicationShutdown {
  private readonly logger = new Logger('ChatService');
  private readonly queue = new KeyedQueue();
  /** Sessions queued for an agent, and the timer that offers to leave a message if nobody takes them. */
  private readonly agentWaits = new Map<string, NodeJS.Timeout>();
  /**
   * Agents who went away with sessions taken (by principal; '' for sessions taken before principals
   * were stored), and the timer that gives those sessions back to the bot if they do not come back.
   */
  private readonly agentReturns = new Map<string, NodeJS.Timeout>();
  /** Shutting down: agent sockets closing now are not waited for (the next start does that). */
  private closing = false;
  private readonly policy: DialoguePolicy;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ChatRepository,
    private readonly contexts: KbAnswerContextService,
    private readonly kbs: KnowledgeBasesService,
    private readonly questions: QuestionEventRecorder,
    private readonly auth: AuthService,
    private readonly access: AuthRepository,
    models: ModelsService,
    private readonly rates: RateLimits,
    private readonly widgetKeys: WidgetKeysService,
  ) {
    // The models load at module init: the pipeline is looked up per turn, not captured here.
    this.policy = new DialoguePolicy({
      answers: { run: (input) => models.pipeline.run(input) },
      handoffAfterFallbacks: config.chat.handoffAfterFallbacks,
    });
  }

  onApplicationShutdown(): void {
    this.closing = true;
    for (const timer of [...this.agentWaits.values(), ...this.agentReturns.values()]) clearTimeout(timer);
    this.agentWaits.clear();
    this.agentReturns.clear();
  }

  /**
   * Shutdown begins: the agent sockets about to be dropped are not waited for here (their agents
   * reconnect to another replica, or the next start gives them the reconnect time again).
   */
  stopAwaitingAgents(): void {
    this.closing = true;
    for (const timer of this.agentReturns.values()) clearTimeout(timer);
    this.agentReturns.clear();
  }

  /** Resolves when no turn is running (shutdown waits for them before the database closes). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * At start: sessions queued before a restart wait out what is left of their time, not forever; the
   * agents who have sessions get the reconnect time to come back (to this replica or another) before
   * those go back to the bot — as do sessions taken before principals were stored, which nobody owns.
   */
  async resumeAgentWaits(out: ChatOutbox): Promise<void> {
    for (const c of await this.repository.waitingForAgent())
      this.startAgentWait(c.id, out, this.config.chat.agentWaitMs - (Date.now() - c.updatedAt.getTime()));
    for (const principal of await this.repository.agentPrincipals()) this.awaitAgent(principal, out);
  }

  /**
   * A connecting socket: a widget with a known key from an allowed origin, or an agent socket — by its
   * login session (cookie plus `auth.csrfToken`, so another site cannot open one with the cookie) or
   * an API key (`auth.apiKey` or Authorization: Bearer) with the agent role or above, else one that
   * will prove WENDAO_AGENT_TOKEN at agent:join.
   */
  async authenticate(
    auth: unknown,
    origin: string | undefined,
    ip: string,
    handshake: HandshakeCredentials = {},
  ): Promise<ChatIdentity> {
    const { connectRateLimit, rateWindowMs } = this.config.chat;
    const wait = await this.rates.take('chat-connect', ip, connectRateLimit, rateWindowMs);
    if (wait > 0)
      throw new ChatError(
        'rate_limited',
        `too many connections from your address: at most ${connectRateLimit} every ${rateWindowMs / 1000} s; try again in ${wait} s`,
      );
    const a = (auth && typeof auth === 'object' ? auth : {}) as {
      key?: unknown;
      agent?: unknown;
      apiKey?: unknown;
      csrfToken?: unknown;
    };
    if (typeof a.key === 'string' && a.key)
      return { kind: 'widget', widgetKey: await this.widgetKeys.authorize(a.key, origin) };
    if (a.agent === true) {
      if (this.signedInAgent(a, handshake))
        return { kind: 'agent', scope: await this.currentAgentScope(a, handshake) };
      if (!this.config.chat.agentToken)
        throw new ChatError(
          'forbidden',
          'an agent connects signed in (session cookie and auth.csrfToken) or with an API key (auth.apiKey)',
        );
      return { kind: 'agent', scope: null };
    }
    throw new ChatError('forbidden', 'a widget key is required: connect with auth: { key }');
  }

  private signedInAgent(auth: { apiKey?: unknown }, handshake: HandshakeCredentials): boolean {
    return !!(
      (typeof auth.apiKey === 'string' && auth.apiKey) ||
      handshake.authorization ||
      cookieValue(handshake.cookie, SESSION_COOKIE)
    );
  }

  /**
   * What a signed-in (or API-key) agent socket may serve now: its credentials checked again (a
   * logged-out or expired session, a revoked key is refused) with its memberships as they are now —
   * one indexed query, run at connection and before every agent event, so a member removed from an
   * organisation stops serving it even where the broadcast that closes their sockets missed one.
   */
  async currentAgentScope(auth: unknown, handshake: HandshakeCredentials): Promise<NonNullable<AgentScope>> {
    const a = (auth && typeof auth === 'object' ? auth : {}) as { apiKey?: unknown; csrfToken?: unknown };
    const apiKey = typeof a.apiKey === 'string' && a.apiKey ? a.apiKey : undefined;
    let caller: Caller;
    try {
      caller = await this.auth.identify({
        authorization: apiKey ? `Bearer ${apiKey}` : handshake.authorization,
        cookie: handshake.cookie,
        csrfToken: typeof a.csrfToken === 'string' ? a.csrfToken : undefined,
        // A cookie alone never opens an agent socket: the page must also know the CSRF token.
        needsCsrf: true,
      });
    } catch (err) {
      throw new ChatError('forbidden', err instanceof Error ? err.message : 'not signed in');
    }
    const scope = agentScopeOf(caller);
    if (!scope.organisationIds.length)
      throw new ChatError(
        'forbidden',
        'serving customers needs the agent role (or above) in an organisation',
      );
    return scope;
  }

  /** Whether the agent may serve a KB's conversations. */
  private async serves(scope: AgentScope, kbId: string): Promise<boolean> {
    if (!scope) return true;
    if (scope.kbId && scope.kbId !== kbId) return false;
    const organisationId = (await this.access.kbOrganisations([kbId])).get(kbId);
    return organisationId !== undefined && scope.organisationIds.includes(organisationId);
  }

  /** The conversation, if the agent may serve it; another organisation's is not found. */
  private async requireServed(agent: Agent, sessionId: string): Promise<Conversation> {
    const conversation = await this.requireOpen(sessionId);
    if (!(await this.serves(agent.scope, conversation.kbId)))
      throw new ChatError('not_found', `session ${sessionId} not found`);
    return conversation;
  }

  private async audience(kbId: string): Promise<AgentAudience> {
    return { kbId, organisationId: (await this.kbs.require(kbId)).organisationId };
  }

  /**
   * An agent socket joins: a token agent proves WENDAO_AGENT_TOKEN, a signed-in one needs no token.
   * Returns who it is, the sessions it may serve that wait for an agent, and the sessions it already
   * has (taken before a reconnect or a reload of its console), with their messages: they are its own
   * by its principal, so it carries on where it was. One it no longer serves (it left the
   * organisation) goes back to the bot.
   *
   * The label: a signed-in user or an API key is always shown as itself (the user's name, else email;
   * the key's name, else `API key` and its prefix; `name` is ignored), so two agents never share one
   * and none shows as another; a token agent gives one (`agent` and a short id of its own without).
   *
   * Everyone who holds WENDAO_AGENT_TOKEN proves the same secret, so a token agent is told apart by
   * a resume code of its own, answered at its first join (`resume`) and given back on a reconnect:
   * two people on the token are two agents, even under one name, and neither can write to or
   * release the other's customers. The code is never stored, only its digest as the principal.
   */
  async agentJoin(
    scope: AgentScope,
    token: string | undefined,
    name: string | undefined,
    out: ChatOutbox,
    resumeCode?: string,
  ): Promise<{ agent: Agent; queue: QueuedSession[]; sessions: AgentSession[]; resume?: string }> {
    let resume: string | undefined;
    if (!scope) {
      const expected = this.config.chat.agentToken;
      if (!expected || !token || !timingSafeEqual(digest(token), digest(expected)))
        throw new ChatError('not_agent', 'wrong agent token');
      resume = resumeCode ?? randomBytes(18).toString('base64url');
    }
    const principal = scope?.principal ?? `token:${digest(resume!).toString('hex').slice(0, 32)}`;
    const label = name?.trim();
    const agentId = scope
      ? scope.name
      : label || `agent ${principal.slice('token:'.length, 'token:'.length + 6)}`;
    const agent: Agent = { principal, agentId, scope };
    // Back in time: its sessions stay its own (a timer on another replica finds it online).
    clearTimeout(this.agentReturns.get(principal));
    this.agentReturns.delete(principal);
    const sessions: AgentSession[] = [];
    for (const c of await this.repository.withAgent(principal)) {
      if (await this.serves(scope, c.kbId)) {
        const history = await this.repository.messagesAfter(c.id, 0, REPLAY_LIMIT);
        sessions.push({ sessionId: c.id, kbId: c.kbId, messages: history.map((m) => this.view(c.id, m)) });
      } else await this.giveBackToBot(c.id, principal, out);
    }
    const waiting = await this.repository.waitingForAgent();
    const orgs = scope
      ? await this.access.kbOrganisations([...new Set(waiting.map((c) => c.kbId))])
      : undefined;
    const served = waiting.filter(
      (c) =>
        !scope ||
        ((!scope.kbId || scope.kbId === c.kbId) && scope.organisationIds.includes(orgs!.get(c.kbId) ?? '')),
    );
    return {
      agent,
      queue: served.map((c) => ({ sessionId: c.id, kbId: c.kbId, since: c.updatedAt.toISOString() })),
      sessions,
      ...(resume ? { resume } : {}),
    };
  }

  /**
   * An agent's socket closed. If the agent is not back (a socket of the same principal joined, on any
   * replica) within WENDAO_CHAT_AGENT_RECONNECT_MS, the sessions it has go back to the bot, which
   * tells the customer: nobody is left writing to an agent who is not there.
   */
  agentDisconnected(principal: string, out: ChatOutbox): void {
    this.awaitAgent(principal, out);
  }

  private awaitAgent(principal: string | null, out: ChatOutbox): void {
    const waitMs = this.config.chat.agentReconnectMs;
    if (!waitMs || this.closing) return;
    const key = principal ?? '';
    clearTimeout(this.agentReturns.get(key));
    const timer = setTimeout(() => {
      this.agentReturns.delete(key);
      this.releaseIfGone(principal, out).catch((err: unknown) => {
        this.logger.warn(`could not give ${key || 'unowned'} sessions back to the bot: ${String(err)}`);
        // A replica that did not answer, or the database: ask again later rather than strand them.
        this.awaitAgent(principal, out);
      });
    }, waitMs);
    timer.unref();
    this.agentReturns.set(key, timer);
  }

  private async releaseIfGone(principal: string | null, out: ChatOutbox): Promise<void> {
    if (principal !== null && (await out.agentOnline(principal))) return;
    const sessions = principal
      ? await this.repository.withAgent(principal)
      : await this.repository.withUnknownAgent();
    for (const c of sessions) await this.giveBackToBot(c.id, principal, out);
  }

  /** The session goes back to the bot from an agent who has gone (if that agent still has it). */
  private async giveBackToBot(sessionId: string, principal: string | null, out: ChatOutbox): Promise<void> {
    await this.serialized(sessionId, async () => {
      const conversation = await this.repository.conversation(sessionId);
      if (
        conversation?.status !== 'open' ||
        conversation.state.handoff !== 'with_agent' ||
        conversation.agentPrincipal !== principal
      )
        return;
      const result = this.handoffTurn(() => this.policy.agent(conversation.state, { type: 'agent_left' }));
      // The widget treats it as any hand back: the bot answers, the handoff button is back.
      const messages = handBackMessages(result.reply, 'handed_back', conversation.agentId || undefined);
      const change = { state: result.session, agent: null };
      const stored = (await this.repository.append(sessionId, messages, change, conversation.lastSeq))!;
      for (const m of stored) out.toSession(sessionId, 'bot:message', this.view(sessionId, m));
    });
  }

  async startSession(widgetKey: WidgetKey, p: SessionStartPayload): Promise<SessionReady> {
    const existing = p.sessionId ? await this.repository.conversation(p.sessionId) : null;
    if (existing && existing.kbId === widgetKey.kbId && existing.status === 'open') {
      if (resumedInLanguage(existing.state, p.language)) await this.resumeInLanguage(existing.id, p.language);
      const messages = await this.repository.messagesAfter(existing.id, p.lastSeq ?? 0, REPLAY_LIMIT);
      return {
        sessionId: existing.id,
        resumed: true,
        lastSeq: existing.lastSeq,
        handoff: existing.state.handoff,
        messages: messages.map((m) => this.view(existing.id, m)),
      };
    }
    const kb = await this.kbs.require(widgetKey.kbId);
    const created = await this.repository.createConversation(
      kb.id,
      widgetKey.id,
      newSession(randomUUID(), kb.language, p.language),
    );
    return {
      sessionId: created.id,
      resumed: false,
      lastSeq: 0,
      handoff: created.state.handoff,
      messages: [],
    };
  }

  /**
   * The widget resumed the session in another language (the customer switched it): the session
   * replies in it to what has no letters from now on (resumedInLanguage). Serialized with the
   * session's turns, so a message in flight neither loses it nor is lost.
   */
  private async resumeInLanguage(
    sessionId: string,
    language: SessionStartPayload['language'],
  ): Promise<void> {
    await this.serialized(sessionId, async () => {
      const conversation = await this.repository.conversation(sessionId);
      const state = conversation?.status === 'open' && resumedInLanguage(conversation.state, language);
      if (state) await this.repository.append(sessionId, [], { state }, conversation.lastSeq);
    });
  }

  /** A customer message: stored with its reply (if the bot replies) and the new session state; acked with its seq. */
  async customerMessage(
    sessionId: string,
    p: CustomerMessagePayload,
    sender: MessageSender,
    out: ChatOutbox,
  ): Promise<{ seq: number; duplicate: boolean }> {
    const text = p.text.trim();
    if (!text) throw new ChatError('invalid_payload', 'message: text must not be empty');
    this.checkLength(text, 'message');
    await this.limit(sessionId, sender);
    return this.serialized(sessionId, () => this.turn(sessionId, p.clientId, text, p.quickReplyId, out));
  }

  /** The customer pressed "talk to a human": the policy's handoff request, as a message of its own. */
  async handoffRequest(
    sessionId: string,
    p: HandoffRequestPayload,
    sender: MessageSender,
    out: ChatOutbox,
  ): Promise<{ seq: number; duplicate: boolean }> {
    await this.limit(sessionId, sender);
    return this.serialized(sessionId, async () => {
      const conversation = await this.requireOpen(sessionId);
      const text = this.say(conversation.state, TEXT.handoffRequest);
      return this.turn(sessionId, p.clientId ?? `handoff-${randomUUID()}`, text, 'handoff', out);
    });
  }

  /**
   * The customer stops waiting for an agent, or leaving a message: the bot says it is back (a bot
   * message, event handoff_cancelled) and the agents drop the session from their queue. Nothing to
   * cancel is answered with seq null; once an agent has joined it is an illegal transition.
   */
  async cancelHandoff(
    sessionId: string,
    sender: MessageSender,
    out: ChatOutbox,
  ): Promise<{ seq: number | null }> {
    await this.limit(sessionId, sender);
    return this.serialized(sessionId, async () => {
      const conversation = await this.requireOpen(sessionId);
      const result = this.handoffTurn(() => this.policy.cancelHandoff(conversation.state));
      if (!result.reply) return { seq: null };
      this.stopAgentWait(sessionId);
      const [cancelled] = (await this.repository.append(
        sessionId,
        [
          {
            role: 'bot',
            text: result.reply.text,
            payload: { ...botPayload(result.reply), event: 'handoff_cancelled' },
          },
        ],
        { state: result.session },
        conversation.lastSeq,
      ))!;
      out.toSession(sessionId, 'bot:message', this.view(sessionId, cancelled));
      if (conversation.state.handoff === 'waiting_for_agent')
        out.toAgents(await this.audience(conversation.kbId), 'agent:dequeued', {
          sessionId,
          reason: 'cancelled',
        });
      return { seq: cancelled.seq };
    });
  }

  async feedback(sessionId: string, p: FeedbackPayload, sender: MessageSender): Promise<{ ok: true }> {
    if (p.comment) this.checkLength(p.comment, 'comment');
    await this.limit(sessionId, sender);
    const message = await this.repository.botMessage(sessionId, p.seq);
    if (!message) throw new ChatError('not_found', `there is no bot message ${p.seq} in this session`);
    // Votes are the analytics' feedback ratio on answers: a clarification's options are its
    // interaction and a fallback answered nothing, so a thumb on either would count in that ratio
    // as a verdict on an answer the customer never got.
    if (!VOTABLE_TYPES.has(message.type))
      throw new ChatError(
        'not_an_answer',
        `bot message ${p.seq} is not an answer (${message.type ?? 'no retrieval'}): only faq and extracted answers take feedback`,
      );
    await this.repository.storeFeedback(message.id, p.vote, p.comment?.trim() || null);
    return { ok: true };
  }

  async endSession(sessionId: string, out: ChatOutbox): Promise<{ ok: true }> {
    return this.serialized(sessionId, async () => {
      const conversation = await this.repository.conversation(sessionId);
      if (!conversation || conversation.status === 'ended') return { ok: true as const };
      const [ended] = (await this.repository.append(
        sessionId,
        [{ role: 'system', text: this.say(conversation.state, TEXT.ended), payload: { event: 'ended' } }],
        { status: 'ended' },
        conversation.lastSeq,
      ))!;
      out.toSessionAgents(sessionId, 'customer:left', this.view(sessionId, ended));
      return { ok: true as const };
    });
  }

  /**
   * An agent takes a queued session, or one whose customer is leaving a message, or — to answer a
   * message the customer left — any of their sessions while they are still in the chat (the left
   * message's follow-up; once they have gone, their contact details are the way: customer_offline).
   * The bot goes silent.
   */
  async agentTake(agent: Agent, sessionId: string, out: ChatOutbox): Promise<AgentSession> {
    const { agentId, principal } = agent;
    return this.serialized(sessionId, async () => {
      const conversation = await this.requireServed(agent, sessionId);
      const { handoff } = conversation.state;
      const asked = handoff === 'waiting_for_agent' || handoff === 'leaving_message';
      const followUp =
        !asked && handoff !== 'with_agent' && (await this.repository.hasLeftMessage(sessionId));
      if (followUp && !(await out.customersOnline(sessionId)))
        throw new ChatError(
          'customer_offline',
          `the customer of session ${sessionId} is no longer in the chat: answer the message they left through the contact details in it`,
        );
      const result = this.handoffTurn(() =>
        this.policy.agent(conversation.state, { type: followUp ? 'follow_up' : 'join', agentId }),
      );
      this.stopAgentWait(sessionId);
      const [joined] = (await this.repository.append(
        sessionId,
        [
          {
            role: 'system',
            text: this.say(conversation.state, TEXT.agentJoined),
            payload: { event: 'agent_joined', agentId },
          },
        ],
        { state: result.session, agent: { principal, name: agentId } },
        conversation.lastSeq,
      ))!;
      out.toSession(sessionId, 'agent:joined', this.view(sessionId, joined));
      out.toAgents(await this.audience(conversation.kbId), 'agent:taken', { sessionId, agentId });
      const history = await this.repository.messagesAfter(sessionId, 0, REPLAY_LIMIT);
      return { sessionId, kbId: conversation.kbId, messages: history.map((m) => this.view(sessionId, m)) };
    });
  }

  async agentMessage(agent: Agent, p: AgentMessagePayload, out: ChatOutbox): Promise<{ seq: number }> {
    const { agentId } = agent;
    const text = p.text.trim();
    if (!text) throw new ChatError('invalid_payload', 'agent:message: text must not be empty');
    this.checkLength(text, 'agent:message');
    return this.serialized(p.sessionId, async () => {
      const conversation = await this.requireServed(agent, p.sessionId);
      if (conversation.state.handoff !== 'with_agent' || conversation.agentPrincipal !== agent.principal)
        throw new ChatError(
          'forbidden',
          `session ${p.sessionId} is not with you: take it first (agent:take)`,
        );
      const [stored] = (await this.repository.append(
        p.sessionId,
        [{ role: 'agent', text, payload: { agentId } }],
        {},
        conversation.lastSeq,
      ))!;
      out.toSession(p.sessionId, 'agent:message', this.view(p.sessionId, stored));
      return { seq: stored.seq };
    });
  }

  /** The agent hands the session back to the bot, or closes it; the customer hears the bot say so. */
  async agentRelease(
    agent: Agent,
    sessionId: string,
    action: 'hand_back' | 'close',
    out: ChatOutbox,
  ): Promise<{ seq: number | null }> {
    const { agentId } = agent;
    return this.serialized(sessionId, async () => {
      const conversation = await this.requireServed(agent, sessionId);
      // Nobody's (queued, or taken before principals were stored): any agent who serves it may.
      if (conversation.agentPrincipal !== null && conversation.agentPrincipal !== agent.principal)
        throw new ChatError('forbidden', `session ${sessionId} is with another agent`);
      const result = this.handoffTurn(() => this.policy.agent(conversation.state, { type: action, agentId }));
      const messages = handBackMessages(result.reply, action === 'close' ? 'closed' : 'handed_back', agentId);
      const change = { state: result.session, agent: null };
      const stored = (await this.repository.append(sessionId, messages, change, conversation.lastSeq))!;
      for (const m of stored) out.toSession(sessionId, 'bot:message', this.view(sessionId, m));
      return { seq: stored[0]?.seq ?? null };
    });
  }

  private async turn(
    sessionId: string,
    clientId: string,
    text: string,
    quickReplyId: string | undefined,
    out: ChatOutbox,
  ): Promise<{ seq: number; duplicate: boolean }> {
    const conversation = await this.requireOpen(sessionId);
    const earlier = await this.repository.messageByClientId(sessionId, clientId);
    if (earlier) return { seq: earlier.seq, duplicate: true };
    const started = performance.now();

    const handoff = conversation.state.handoff;
    if (handoff !== 'with_agent' && handoff !== 'waiting_for_agent')
      out.toSession(sessionId, 'bot:typing', { sessionId });
    const context = await this.contexts.forKb(conversation.kbId);
    const result = await this.policy.run({
      session: conversation.state,
      text,
      quickReplyId,
      index: await context.index(),
      thresholds: context.thresholds,
      language: context.kb.language,
      fallbackMessage: context.kb.settings.fallbackMessage,
      agentsAvailable:
        (await out.agentsOnline({ kbId: conversation.kbId, organisationId: context.kb.organisationId })) > 0,
    });

    const customerPayload: MessagePayload = {
      ...(quickReplyId ? { quickReplyId } : {}),
      ...(result.events.some((e) => e.type === 'message_left') ? { leftForAgent: true } : {}),
    };
    const messages: NewMessage[] = [
      { role: 'customer', text, clientMessageId: clientId, payload: customerPayload },
      ...(result.reply
        ? [
            {
              role: 'bot' as const,
              text: result.reply.text,
              payload: { ...botPayload(result.reply), ...handoffNotice(result.events) },
            },
          ]
        : []),
    ];
    const stored = await this.repository.append(
      sessionId,
      messages,
      { state: result.session },
      conversation.lastSeq,
    );
    if (!stored) {
      // Another replica stored the same resend first: answer as for any resend.
      const first = await this.repository.messageByClientId(sessionId, clientId);
      return { seq: first!.seq, duplicate: true };
    }
    const [customer, bot] = stored.map((m) => this.view(sessionId, m));
    // The customer's other tabs show the question before its reply: without it a second tab read the
    // bot's answer to a question it never showed (the sending socket has it from the ack as well).
    out.toSession(sessionId, 'customer:message', customer);
    if (bot) out.toSession(sessionId, 'bot:message', bot);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    this.questions.record(
      chatQuestionEvent(conversation.kbId, sessionId, text, result, bot?.seq ?? null, latencyMs),
    );
    for (const event of result.events) {
      if (event.type === 'handoff_cancelled' && event.from === 'waiting_for_agent') {
        // A typed "算了不等了": as the cancel button (cancelHandoff), the agents drop it from their queue.
        this.stopAgentWait(sessionId);
        out.toAgents(
          { kbId: conversation.kbId, organisationId: context.kb.organisationId },
          'agent:dequeued',
          {
            sessionId,
            reason: 'cancelled',
          },
        );
      } else if (event.type === 'handoff_requested') {
        this.startAgentWait(sessionId, out);
        out.toAgents({ kbId: conversation.kbId, organisationId: context.kb.organisationId }, 'agent:queue', {
          sessionId,
          kbId: conversation.kbId,
          reason: event.reason,
          text,
          since: customer.createdAt,
        });
      } else if (event.type === 'customer_message_for_agent')
        out.toSessionAgents(sessionId, 'customer:message', customer);
      else if (event.type === 'message_left')
        // The message and its inbox entry in one: the console merges it with the REST list.
        out.toAgents(
          { kbId: conversation.kbId, organisationId: context.kb.organisationId },
          'agent:message-left',
          {
            ...customer,
            ...leftMessageView({
              sessionId,
              seq: customer.seq,
              kbId: conversation.kbId,
              kbName: context.kb.name,
              text,
              createdAt: stored[0].createdAt,
              handledAt: null,
              handledBy: null,
            }),
          },
        );
    }
    return { seq: customer.seq, duplicate: false };
  }

  /**
   * Runs a task on a session after the session's earlier ones in this process, and again when the
   * conversation changed under it (a turn on another replica): each task reads the conversation and
   * stores with the lastSeq it read, so no update of the session state is lost.
   */
  private async serialized<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(sessionId, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await task();
        } catch (err) {
          if (!(err instanceof StaleConversation) || attempt >= STALE_RETRIES) throw err;
        }
      }
    });
  }

  /** Nobody took the queued session in time: the policy's no_agent, so the customer can leave a message. */
  private startAgentWait(sessionId: string, out: ChatOutbox, waitMs = this.config.chat.agentWaitMs): void {
    if (!this.config.chat.agentWaitMs) return;
    this.stopAgentWait(sessionId);
    const timer = setTimeout(
      () => {
        this.agentWaits.delete(sessionId);
        this.queue
          .run(sessionId, async () => {
            const conversation = await this.repository.conversation(sessionId);
            if (conversation?.status !== 'open' || conversation.state.handoff !== 'waiting_for_agent') return;
            const result = this.policy.agent(conversation.state, { type: 'no_agent' });
            const messages: NewMessage[] = result.reply
              ? [
                  {
                    role: 'bot',
                    text: result.reply.text,
                    payload: { ...botPayload(result.reply), event: 'no_agent' },
                  },
                ]
              : [];
            const change = { state: result.session };
            const stored = (await this.repository.append(sessionId, messages, change, conversation.lastSeq))!;
            for (const m of stored) out.toSession(sessionId, 'bot:message', this.view(sessionId, m));
            out.toAgents(await this.audience(conversation.kbId), 'agent:dequeued', {
              sessionId,
              reason: 'timeout',
            });
          })
          .catch((err: unknown) =>
            this.logger.warn(
              `no agent took session ${sessionId}, and telling the customer failed: ${String(err)}`,
            ),
          );
      },
      Math.max(0, waitMs),
    );
    timer.unref();
    this.agentWaits.set(sessionId, timer);
  }

  private stopAgentWait(sessionId: string): void {
    clearTimeout(this.agentWaits.get(sessionId));
    this.agentWaits.delete(sessionId);
  }

  /** A handoff transition of the policy's; one that makes no sense in the session's state is refused. */
  private handoffTurn(transition: () => AgentTurnResult): AgentTurnResult {
    try {
      return transition();
    } catch (err) {
      if (err instanceof IllegalHandoffTransition) throw new ChatError('illegal_transition', err.message);
      throw err;
    }
  }

  private async requireOpen(sessionId: string): Promise<Conversation> {
    const conversation = await this.repository.conversation(sessionId);
    if (!conversation) throw new ChatError('not_found', `session ${sessionId} does not exist`);
    if (conversation.status === 'ended')
      throw new ChatError('no_session', `session ${sessionId} has ended: start a new one (session:start)`);
    return conversation;
  }

  private checkLength(text: string, what: string): void {
    const max = this.config.chat.maxMessageLength;
    const length = [...text].length; // characters, not UTF-16 units: an emoji is one
    if (length > max)
      throw new ChatError(
        'message_too_long',
        `${what} is too long (${length} characters; the limit is ${max})`,
        { length, limit: max },
      );
  }

  /** Counts a customer event against the socket, the session, the client IP and the widget key. */
  private async limit(sessionId: string, sender: MessageSender): Promise<void> {
    const { rateLimit, ipRateLimit, keyRateLimit, rateWindowMs } = this.config.chat;
    const limits: [string, string, string | undefined, number][] = [
      ['this connection', 'chat-socket', sender.socketId, rateLimit],
      ['this session', 'chat-session', sessionId, rateLimit],
      ['your address', 'chat-ip', sender.ip, ipRateLimit],
      ['this widget key', 'chat-key', sender.widgetKeyId, keyRateLimit],
    ];
    const waits = await Promise.all(
      limits.map(([, name, who, limit]) => (who ? this.rates.take(name, who, limit, rateWindowMs) : 0)),
    );
    const over = waits.findIndex((wait) => wait > 0);
    if (over >= 0)
      throw new ChatError(
        'rate_limited',
        `too many messages from ${limits[over][0]}: at most ${limits[over][3]} every ${rateWindowMs / 1000} s; try again in ${waits[over]} s`,
      );
  }

  private say(state: SessionState, text: { zh: string; en: string }): string {
    return customerLanguage(state) === 'en' ? text.en : text.zh;
  }

  private view(sessionId: string, m: StoredMessage): ChatMessageView {
    return {
      ...(m.payload ?? {}),
      sessionId,
      seq: m.seq,
      role: m.role,
      text: m.text,
      ...(m.clientMessageId ? { clientId: m.clientMessageId } : {}),
      createdAt: m.createdAt.toISOString(),
      ...(m.feedback ? { feedback: m.feedback } : {}),
    };
  }
}
