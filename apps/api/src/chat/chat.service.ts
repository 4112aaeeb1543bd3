/**
 * The chat's decisions between the sockets and the database: who may connect (widget keys and their
 * origins, the agent token), sessions started and resumed with the messages a client missed, and
 * every turn run through the dialogue policy (@wendao/dialogue) around the one answer pipeline, with
 * the same KB answer context as the REST ask. A turn's messages and the new session state are stored
 * in one transaction before anyone hears of them; a resent client id gets its stored sequence number
 * back and no second reply. Turns of one session run one at a time.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  customerLanguage,
  DialoguePolicy,
  IllegalHandoffTransition,
  newSession,
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
import { botPayload, type ChatMessageView, type MessagePayload } from './chat-message';
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
  agentId: string;
  scope: AgentScope;
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
function handoffNotice(events: DialogueEvent[]): { event?: 'queued' | 'no_agent' } {
  if (events.some((e) => e.type === 'handoff_requested')) return { event: 'queued' };
  if (events.some((e) => e.type === 'agent_unavailable')) return { event: 'no_agent' };
  return {};
}

@Injectable()
export class ChatService implements OnApplicationShutdown {
  private readonly logger = new Logger('ChatService');
  private readonly queue = new KeyedQueue();
  /** Sessions queued for an agent, and the timer that offers to leave a message if nobody takes them. */
  private readonly agentWaits = new Map<string, NodeJS.Timeout>();
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
    for (const timer of this.agentWaits.values()) clearTimeout(timer);
    this.agentWaits.clear();
  }

  /** Resolves when no turn is running (shutdown waits for them before the database closes). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** At start: sessions queued before a restart wait out what is left of their time, not forever. */
  async resumeAgentWaits(out: ChatOutbox): Promise<void> {
    for (const c of await this.repository.waitingForAgent())
      this.startAgentWait(c.id, out, this.config.chat.agentWaitMs - (Date.now() - c.updatedAt.getTime()));
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
      const apiKey = typeof a.apiKey === 'string' ? a.apiKey : undefined;
      if (apiKey || handshake.authorization || cookieValue(handshake.cookie, SESSION_COOKIE))
        return { kind: 'agent', scope: await this.agentScope(apiKey, a.csrfToken, handshake) };
      if (!this.config.chat.agentToken)
        throw new ChatError(
          'forbidden',
          'an agent connects signed in (session cookie and auth.csrfToken) or with an API key (auth.apiKey)',
        );
      return { kind: 'agent', scope: null };
    }
    throw new ChatError('forbidden', 'a widget key is required: connect with auth: { key }');
  }

  private async agentScope(
    apiKey: string | undefined,
    csrfToken: unknown,
    handshake: HandshakeCredentials,
  ): Promise<AgentScope> {
    let caller: Caller;
    try {
      caller = await this.auth.identify({
        authorization: apiKey ? `Bearer ${apiKey}` : handshake.authorization,
        cookie: handshake.cookie,
        csrfToken: typeof csrfToken === 'string' ? csrfToken : undefined,
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
   * Returns its id and the sessions it may serve that wait for an agent.
   */
  async agentJoin(
    scope: AgentScope,
    token: string | undefined,
    name?: string,
  ): Promise<{ agent: Agent; queue: QueuedSession[] }> {
    if (!scope) {
      const expected = this.config.chat.agentToken;
      if (!expected || !token || !timingSafeEqual(digest(token), digest(expected)))
        throw new ChatError('not_agent', 'wrong agent token');
    }
    const agentId = name?.trim() || scope?.name || 'agent';
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
      agent: { agentId, scope },
      queue: served.map((c) => ({ sessionId: c.id, kbId: c.kbId, since: c.updatedAt.toISOString() })),
    };
  }

  async startSession(widgetKey: WidgetKey, p: SessionStartPayload): Promise<SessionReady> {
    const existing = p.sessionId ? await this.repository.conversation(p.sessionId) : null;
    if (existing && existing.kbId === widgetKey.kbId && existing.status === 'open') {
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
      newSession(randomUUID(), kb.language),
    );
    return {
      sessionId: created.id,
      resumed: false,
      lastSeq: 0,
      handoff: created.state.handoff,
      messages: [],
    };
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
    const stored = await this.repository.storeFeedback(sessionId, p.seq, p.vote, p.comment?.trim() || null);
    if (!stored) throw new ChatError('not_found', `there is no bot message ${p.seq} in this session`);
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
  async agentTake(
    agent: Agent,
    sessionId: string,
    out: ChatOutbox,
  ): Promise<{ sessionId: string; kbId: string; messages: ChatMessageView[] }> {
    const { agentId } = agent;
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
        { state: result.session, agentId },
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
      if (conversation.state.handoff !== 'with_agent' || conversation.agentId !== agentId)
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
      if (conversation.agentId !== null && conversation.agentId !== agentId)
        throw new ChatError('forbidden', `session ${sessionId} is with another agent`);
      const result = this.handoffTurn(() => this.policy.agent(conversation.state, { type: action, agentId }));
      const messages: NewMessage[] = result.reply
        ? [
            {
              role: 'bot',
              text: result.reply.text,
              payload: {
                ...botPayload(result.reply),
                event: action === 'close' ? 'closed' : 'handed_back',
                agentId,
              },
            },
          ]
        : [];
      const change = { state: result.session, agentId: null };
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
    if (bot) out.toSession(sessionId, 'bot:message', bot);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    this.questions.record(
      chatQuestionEvent(conversation.kbId, sessionId, text, result, bot?.seq ?? null, latencyMs),
    );
    for (const event of result.events) {
      if (event.type === 'handoff_requested') {
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
