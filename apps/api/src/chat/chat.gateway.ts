/**
 * Socket shape of the chat (namespace /chat): authenticates a socket at connection (a widget key and
 * its origin, or an agent socket: signed in or with an API key, scoped to its organisations, or one
 * that joins with WENDAO_AGENT_TOKEN), checks each event's payload, hands it to ChatService and
 * carries what the service decides to the right sockets (agents hear only of KBs they may serve).
 * A signed-in agent's credentials and memberships are checked again before each of its events, and
 * its sockets are closed on every replica when it loses access (removed, role lowered, logged out,
 * key revoked).
 * Every handler answers: with its ack, or with an `error` event {code, message} (and `{error}` in the ack) for a refused or
 * malformed event; nothing a client sends can throw out of a handler. Listeners are registered per
 * socket rather than with @SubscribeMessage so that every event, including unknown ones, goes
 * through the same checks and the same error shape.
 */
import { HttpException, Inject, Logger } from '@nestjs/common';
import {
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import proxyaddr from 'proxy-addr';
import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';
import { AccessEvents, type AccessLoss } from '../auth/access-events';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { isDatabaseUnavailable } from '../database/database-errors';
import { normalizeIp } from '../rate-limits/request-identity';
import { ChatError } from './chat-error';
import {
  parseAgentJoin,
  parseAgentMessage,
  parseAgentSession,
  parseCustomerMessage,
  parseFeedback,
  parseHandoffRequest,
  parseSessionStart,
} from './chat-events';
import type { AgentAudience, ChatOutbox } from './chat-outbox';
import {
  ChatService,
  type Agent,
  type AgentScope,
  type ChatIdentity,
  type MessageSender,
} from './chat.service';
import { normalizeOrigin, pageOrigin } from './widget-key';
import { REVOKED_MESSAGE, WidgetKeysService, type WidgetKeySockets } from './widget-keys.service';

interface SocketData {
  identity: ChatIdentity;
  /** Customer sockets: the session started or resumed on this socket. */
  sessionId?: string;
  /** Agent sockets, once joined. */
  agent?: Agent;
  /** The latest access check (`accessRefusal`): each event's check waits for the one before. */
  accessCheck?: Promise<unknown>;
}

type ChatSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
type Handler = (data: unknown, socket: ChatSocket) => Promise<unknown>;

const AGENTS_ROOM = 'agents';
const organisationAgentsRoom = (organisationId: string) => `agents:org:${organisationId}`;
const kbAgentsRoom = (kbId: string) => `agents:kb:${kbId}`;
/** The agents who may serve a KB: token agents, its organisation's, and keys scoped to it. */
const agentRooms = (to: AgentAudience) => [
  AGENTS_ROOM,
  organisationAgentsRoom(to.organisationId),
  kbAgentsRoom(to.kbId),
];
const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** Every customer socket opened with a widget key, so that revoking the key reaches them on any replica. */
const widgetKeyRoom = (keyId: string) => `widget-key:${keyId}`;
const sessionAgentsRoom = (sessionId: string) => `agents:${sessionId}`;
/** The joined agent sockets of one principal (user:<id>, key:<id>, token:<digest>): is it online? */
const principalRoom = (principal: string) => `agent:${principal}`;
/** A signed-in user's agent sockets that serve an organisation: closed when they stop serving it. */
const memberRoom = (organisationId: string, userId: string) => `agents:org:${organisationId}:user:${userId}`;
/** The agent sockets opened with a login session, or an API key: closed at logout, or revocation. */
const loginRoom = (loginSessionId: string) => `agent-login:${loginSessionId}`;
const apiKeyRoom = (keyId: string) => `agent-key:${keyId}`;
/** The rooms a signed-in agent socket is in from its connection on, so that losing access reaches it. */
function accessRooms(scope: NonNullable<AgentScope>): string[] {
  if (scope.principal.startsWith('key:')) return [apiKeyRoom(scope.principal.slice('key:'.length))];
  const userId = scope.principal.slice('user:'.length);
  return [
    ...scope.organisationIds.map((o) => memberRoom(o, userId)),
    ...(scope.loginSessionId ? [loginRoom(scope.loginSessionId)] : []),
  ];
}

@WebSocketGateway({ namespace: '/chat', cors: { origin: true } })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, ChatOutbox, WidgetKeySockets {
  private readonly logger = new Logger('ChatGateway');
  @WebSocketServer() private readonly nsp: Namespace;

  private readonly customerEvents: Record<string, Handler> = {
    'session:start': async (data, socket) => {
      const identity = socket.data.identity;
      if (identity.kind !== 'widget')
        throw new ChatError('forbidden', 'only a widget socket starts a session');
      const ready = await this.chat.startSession(identity.widgetKey, parseSessionStart(data));
      if (socket.data.sessionId && socket.data.sessionId !== ready.sessionId)
        await socket.leave(sessionRoom(socket.data.sessionId));
      socket.data.sessionId = ready.sessionId;
      await socket.join(sessionRoom(ready.sessionId));
      socket.emit('session:ready', ready);
      return ready;
    },
    message: (data, socket) =>
      this.chat.customerMessage(this.session(socket), parseCustomerMessage(data), this.sender(socket), this),
    'handoff:request': (data, socket) =>
      this.chat.handoffRequest(this.session(socket), parseHandoffRequest(data), this.sender(socket), this),
    'handoff:cancel': (_data, socket) =>
      this.chat.cancelHandoff(this.session(socket), this.sender(socket), this),
    feedback: (data, socket) =>
      this.chat.feedback(this.session(socket), parseFeedback(data), this.sender(socket)),
    'session:end': async (_data, socket) => {
      const sessionId = this.session(socket);
      const result = await this.chat.endSession(sessionId, this);
      this.nsp.in(sessionRoom(sessionId)).socketsLeave(sessionRoom(sessionId));
      socket.data.sessionId = undefined;
      return result;
    },
  };

  private readonly agentEvents: Record<string, Handler> = {
    'agent:join': async (data, socket) => {
      const p = parseAgentJoin(data);
      const identity = socket.data.identity;
      const scope = identity.kind === 'agent' ? identity.scope : null;
      const { agent, queue, sessions, resume } = await this.chat.agentJoin(
        scope,
        p.token,
        p.name,
        this,
        p.resume,
      );
      socket.data.agent = agent;
      // Token agents hear of every KB; the others of their organisations' (a KB-scoped key: its KB).
      if (!scope) await socket.join(AGENTS_ROOM);
      else if (scope.kbId) await socket.join(kbAgentsRoom(scope.kbId));
      else await socket.join(scope.organisationIds.map(organisationAgentsRoom));
      // Its own sessions again (a reconnect, a reloaded console): their customers' messages reach it.
      await socket.join([
        principalRoom(agent.principal),
        ...sessions.map((x) => sessionAgentsRoom(x.sessionId)),
      ]);
      return { agentId: agent.agentId, queue, sessions, ...(resume ? { resume } : {}) };
    },
    'agent:take': async (data, socket) => {
      const { sessionId } = parseAgentSession(data, 'agent:take');
      const taken = await this.chat.agentTake(this.agent(socket), sessionId, this);
      await socket.join(sessionAgentsRoom(sessionId));
      return taken;
    },
    'agent:message': (data, socket) =>
      this.chat.agentMessage(this.agent(socket), parseAgentMessage(data), this),
    'agent:handback': (data, socket) => this.release(data, socket, 'agent:handback', 'hand_back'),
    'agent:close': (data, socket) => this.release(data, socket, 'agent:close', 'close'),
  };

  /** Which X-Forwarded-For hops to believe for a socket's client IP: Express's `trust proxy`, compiled. */
  private readonly trustProxy: (addr: string, i: number) => boolean;

  constructor(
    private readonly chat: ChatService,
    private readonly widgetKeys: WidgetKeysService,
    @Inject(APP_CONFIG) config: AppConfig,
    accessEvents: AccessEvents,
  ) {
    accessEvents.subscribe((loss) => this.disconnectAgents(loss));
    const trust = config.trustProxy;
    this.trustProxy =
      typeof trust === 'boolean'
        ? () => trust
        : typeof trust === 'number'
          ? (_addr, i) => i < trust
          : proxyaddr.compile(trust.split(',').map((s) => s.trim()));
  }

  afterInit(nsp: Namespace): void {
    this.chat
      .resumeAgentWaits(this)
      .catch((err: unknown) => this.logger.warn(`could not resume the agent queue's timers: ${String(err)}`));
    nsp.use((socket, next) => {
      this.chat
        .authenticate(socket.handshake.auth, pageOrigin(socket.handshake.headers), this.clientIp(socket), {
          cookie: socket.handshake.headers.cookie,
          authorization: socket.handshake.headers.authorization,
        })
        .then((identity) => {
          (socket as ChatSocket).data.identity = identity;
          next();
        })
        .catch((err: unknown) => {
          const error = this.toChatError(err);
          next(Object.assign(new Error(error.message), { data: error.toJSON() }));
        });
    });
  }

  handleConnection(socket: ChatSocket): void {
    const identity = socket.data.identity;
    const events = identity.kind === 'widget' ? this.customerEvents : this.agentEvents;
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack =
        typeof args[args.length - 1] === 'function' ? (args.pop() as (r: unknown) => void) : undefined;
      const handler = Object.hasOwn(events, event) ? events[event] : undefined;
      void this.handle(socket, String(event), handler, args[0], ack);
    });
    if (identity.kind === 'widget') void this.watchWidgetKey(socket, identity.widgetKey.id);
    else {
      if (identity.scope) void socket.join(accessRooms(identity.scope));
      socket.on('disconnect', () => {
        const agent = socket.data.agent;
        if (agent) this.chat.agentDisconnected(agent.principal, this);
      });
    }
  }

  /**
   * A principal lost access: its agent sockets are told why and closed, through the adapter (Redis:
   * on every replica). A socket a broadcast misses is refused at its next event (handle()).
   */
  disconnectAgents(loss: AccessLoss): void {
    const [room, message] =
      loss.kind === 'membership'
        ? [
            memberRoom(loss.organisationId, loss.userId),
            'you no longer serve the customers of an organisation (removed, or your role there is below agent): open the console again',
          ]
        : loss.kind === 'login-session'
          ? [loginRoom(loss.sessionId), 'you have signed out: sign in again to serve customers']
          : [apiKeyRoom(loss.keyId), 'this API key has been revoked'];
    this.nsp.to(room).emit('error', { ...new ChatError('forbidden', message).toJSON(), event: 'connection' });
    this.nsp.in(room).disconnectSockets(true);
  }

  /**
   * Puts a widget socket in its key's room, then asks whether the key is still live: a key revoked
   * between the connection's check and the join (its disconnect broadcast missed this socket) is
   * found here, so no socket outlives its key's revocation.
   */
  private async watchWidgetKey(socket: ChatSocket, keyId: string): Promise<void> {
    try {
      await socket.join(widgetKeyRoom(keyId));
      if (!(await this.widgetKeys.stillLive(keyId))) this.refuse(socket, REVOKED_MESSAGE);
    } catch (err) {
      // The connection's own check passed: a database hiccup here does not close the socket.
      this.logger.warn(`could not confirm widget key ${keyId}: ${String(err)}`);
    }
  }

  /** Tells a socket why (an `error` event, code forbidden) and disconnects it. */
  private refuse(
    socket: { emit(event: string, payload: unknown): unknown; disconnect(close: boolean): unknown },
    message: string,
  ): void {
    socket.emit('error', { ...new ChatError('forbidden', message).toJSON(), event: 'connection' });
    socket.disconnect(true);
  }

  disconnectWidgetKey(keyId: string, message: string): void {
    // Through the adapter (Redis: every replica), the error first, then the disconnect, in order.
    const room = widgetKeyRoom(keyId);
    this.nsp.to(room).emit('error', { ...new ChatError('forbidden', message).toJSON(), event: 'connection' });
    this.nsp.in(room).disconnectSockets(true);
  }

  async disconnectWidgetKeyOrigins(keyId: string, allowed: string[], message: string): Promise<number> {
    try {
      const sockets = await this.nsp.in(widgetKeyRoom(keyId)).fetchSockets();
      const outside = sockets.filter((s) => {
        const origin = pageOrigin(s.handshake.headers);
        const from = origin ? normalizeOrigin(origin) : null;
        return !from || !allowed.includes(from);
      });
      for (const socket of outside) this.refuse(socket, message);
      return outside.length;
    } catch (err) {
      // A replica that does not answer (Redis adapter timeout): the new origins still hold for new
      // connections, and its sockets from pages left out are refused at their next event (handle()).
      this.logger.warn(
        `could not close the sockets of widget key ${keyId} outside its origins: ${String(err)}`,
      );
      return 0;
    }
  }

  /** Sockets open on this process by kind, for /metrics (wendao_chat_sockets). */
  openSockets(): { customer: number; agent: number } {
    const open = { customer: 0, agent: 0 };
    for (const socket of this.nsp?.sockets.values() ?? [])
      open[(socket as ChatSocket).data.identity?.kind === 'agent' ? 'agent' : 'customer']++;
    return open;
  }

  /**
   * Shutdown: live connections would keep the HTTP server from closing, so they are closed first, as
   * a dropped connection (clients reconnect, to another replica, and resume with lastSeq; a server
   * `disconnect` would tell them not to); then the turns already running finish, so their messages
   * are stored before the database closes.
   */
  async close(): Promise<void> {
    const engine = this.nsp.server.engine as unknown as {
      clients: Record<string, { close(): void }>;
      on(event: 'connection', listener: (raw: { close(): void }) => void): void;
    };
    this.chat.stopAwaitingAgents();
    // A client reconnecting before the server stops listening is let in by nobody.
    engine.on('connection', (raw) => raw.close());
    for (const raw of Object.values(engine.clients)) raw.close();
    await this.chat.idle();
  }

  toSession(sessionId: string, event: string, payload: unknown): void {
    this.nsp.to(sessionRoom(sessionId)).emit(event, payload);
  }

  toAgents(to: AgentAudience, event: string, payload: unknown): void {
    this.nsp.to(agentRooms(to)).emit(event, payload);
  }

  toSessionAgents(sessionId: string, event: string, payload: unknown): void {
    this.nsp.to(sessionAgentsRoom(sessionId)).emit(event, payload);
  }

  async agentsOnline(to: AgentAudience): Promise<number> {
    return (await this.nsp.in(agentRooms(to)).fetchSockets()).length;
  }

  async customersOnline(sessionId: string): Promise<number> {
    return (await this.nsp.in(sessionRoom(sessionId)).fetchSockets()).length;
  }

  async agentOnline(principal: string): Promise<boolean> {
    return (await this.nsp.in(principalRoom(principal)).fetchSockets()).length > 0;
  }

  private async handle(
    socket: ChatSocket,
    event: string,
    handler: Handler | undefined,
    data: unknown,
    ack: ((response: unknown) => void) | undefined,
  ): Promise<void> {
    try {
      if (!handler) throw new ChatError('unknown_event', `unknown event "${event.slice(0, 100)}"`);
      const refusal = await this.accessRefusal(socket);
      if (refusal) {
        ack?.({ error: new ChatError('forbidden', refusal).toJSON() });
        this.refuse(socket, refusal);
        return;
      }
      const result = await handler(data, socket);
      ack?.(result ?? { ok: true });
    } catch (err) {
      const error = this.toChatError(err);
      if (error.code === 'internal' || error.code === 'unavailable')
        this.logger.error(`${event}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      socket.emit('error', { ...error.toJSON(), event: event.slice(0, 100) });
      ack?.({ error: error.toJSON() });
    }
  }

  /**
   * Why the socket may no longer act (its widget key revoked or its page's origin left out; an agent's
   * access gone), or null; asked before each of its events. The checks of one socket run one after
   * another, so its events reach their handlers in the order they came: concurrent checks could
   * finish in any order, and the per-socket message limit would then refuse another message than the
   * one over the limit.
   */
  private accessRefusal(socket: ChatSocket): Promise<string | null> {
    const identity = socket.data.identity;
    const check = (): Promise<string | null> =>
      identity.kind === 'widget'
        ? this.widgetKeys.refusal(identity.widgetKey.key, pageOrigin(socket.handshake.headers))
        : identity.scope
          ? this.agentRefusal(socket, identity.scope)
          : Promise.resolve(null);
    const previous = socket.data.accessCheck ?? Promise.resolve();
    const next = previous.then(check, check);
    socket.data.accessCheck = next.catch(() => undefined);
    return next;
  }

  /**
   * Why a signed-in agent socket may no longer serve (its session logged out or expired, its key
   * revoked, an organisation it served lost), or null, its scope brought up to date.
   */
  private async agentRefusal(socket: ChatSocket, scope: NonNullable<AgentScope>): Promise<string | null> {
    let now: NonNullable<AgentScope>;
    try {
      now = await this.chat.currentAgentScope(socket.handshake.auth, {
        cookie: socket.handshake.headers.cookie,
        authorization: socket.handshake.headers.authorization,
      });
    } catch (err) {
      if (err instanceof ChatError && err.code === 'forbidden') return err.message;
      throw err;
    }
    if (now.kbId !== scope.kbId || scope.organisationIds.some((o) => !now.organisationIds.includes(o)))
      return 'you no longer serve the customers of an organisation (removed, or your role there is below agent): open the console again';
    socket.data.identity = { kind: 'agent', scope: now };
    if (socket.data.agent) socket.data.agent = { ...socket.data.agent, scope: now };
    return null;
  }

  private release(data: unknown, socket: ChatSocket, event: string, action: 'hand_back' | 'close') {
    const { sessionId } = parseAgentSession(data, event);
    return this.chat.agentRelease(this.agent(socket), sessionId, action, this).then(async (result) => {
      await socket.leave(sessionAgentsRoom(sessionId));
      return result;
    });
  }

  private session(socket: ChatSocket): string {
    if (!socket.data.sessionId) throw new ChatError('no_session', 'start a session first (session:start)');
    return socket.data.sessionId;
  }

  private agent(socket: ChatSocket): Agent {
    if (!socket.data.agent) throw new ChatError('not_agent', 'join as an agent first (agent:join)');
    return socket.data.agent;
  }

  private sender(socket: ChatSocket): MessageSender {
    const identity = socket.data.identity;
    return {
      socketId: socket.id,
      ip: this.clientIp(socket),
      widgetKeyId: identity.kind === 'widget' ? identity.widgetKey.id : undefined,
    };
  }

  /** The client's IP, as the HTTP rate limits see it (req.ip): behind trusted proxies, X-Forwarded-For. */
  private clientIp(socket: ChatSocket): string {
    const { headers, address } = socket.handshake;
    const ip = proxyaddr({ headers, connection: { remoteAddress: address } } as never, this.trustProxy);
    return normalizeIp(ip);
  }

  private toChatError(err: unknown): ChatError {
    if (err instanceof ChatError) return err;
    if (err instanceof HttpException && err.getStatus() === 404)
      return new ChatError('not_found', err.message);
    if (isDatabaseUnavailable(err))
      return new ChatError('unavailable', 'the database is unavailable; try again shortly');
    return new ChatError('internal', 'internal server error');
  }
}
