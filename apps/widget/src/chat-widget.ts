/**
 * The customer chat widget: a launcher bubble and a chat panel in a closed-off shadow root, talking to
 * the API's /chat socket.io namespace (docs/chat.md). Every text from the server is set with
 * textContent, never parsed as HTML. The session id, the last seq seen and whether the panel is open
 * live in localStorage, so a reconnect or a page reload resumes the conversation with exactly the
 * messages missed, and a panel open at the reload comes back open.
 */
import { io, type Socket } from 'socket.io-client';
import { STRINGS, type Lang, type UiStrings } from './strings';
import { WIDGET_CSS } from './widget-styles';

export interface WidgetOptions {
  /** The API's origin (where widget.js came from). */
  server: string;
  key: string;
  lang: Lang;
  /** Where the host element goes (document.body). */
  mount: HTMLElement;
}

interface QuickReply {
  id: string;
  label: string;
}

interface MessageSource {
  kind?: string;
  question?: string;
  fileName?: string;
  text?: string;
  start?: number;
  end?: number;
}

/** A ChatMessage as the server sends it (docs/chat.md); only the fields the widget shows. */
export interface ChatMessage {
  sessionId: string;
  seq: number;
  role: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  clientId?: string | null;
  kind?: string | null;
  type?: string | null;
  source?: MessageSource | null;
  quickReplies?: QuickReply[] | null;
  event?: string | null;
  /** Bot messages replayed on resume: the customer's stored vote. */
  feedback?: Vote | null;
}

type Vote = 'up' | 'down';

/** Who serves the session (docs/chat.md, session:start). */
type Handoff = 'bot' | 'waiting_for_agent' | 'with_agent' | 'leaving_message' | 'closed';

/** Who serves the customer after a message with this `event` (docs/chat.md, ChatMessage). */
const HANDOFF_AFTER: Record<string, Handoff> = {
  queued: 'waiting_for_agent',
  no_agent: 'leaving_message',
  handoff_cancelled: 'bot',
  agent_joined: 'with_agent',
  handed_back: 'bot',
  closed: 'closed',
};

/** The `error` event (docs/chat.md, Acks and errors). */
interface ChatErrorPayload {
  code?: string;
  message?: string;
  event?: string;
  /** The numbers in the message (message_too_long: length, limit). */
  values?: Record<string, number>;
}

interface SessionReady {
  sessionId: string;
  lastSeq: number;
  handoff?: Handoff;
  messages: ChatMessage[];
}

// offline: lost, socket.io reconnects by itself; unavailable: the server refused or closed the chat
// (a revoked key, a page the key does not allow) and nothing will retry.
type ConnectionState = 'connecting' | 'online' | 'offline' | 'unavailable';

const CHAT_ICON =
  'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z';

/** A headset with a microphone: "talk to a human". */
const HEADSET =
  'M12 1c-4.97 0-9 4.03-9 9v7c0 1.66 1.34 3 3 3h3v-8H5v-2c0-3.87 3.13-7 7-7s7 3.13 7 7v2h-4v8h4v1h-7v2h6c1.66 0 3-1.34 3-3V10c0-4.97-4.03-9-9-9z';

const THUMB_UP =
  'M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z';

/** An inline SVG icon from one path (`flip`: upside down, the thumbs-down). */
function icon(d: string, flip = false): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  if (flip) svg.setAttribute('transform', 'rotate(180)');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  return node;
}

export class ChatWidget {
  readonly host: HTMLElement;
  private readonly t: UiStrings;
  private readonly storageKey: string;
  private socket?: Socket;
  private sessionId?: string;
  private lastSeq = 0;
  private readonly shown = new Set<number>();
  /** Customer messages sent but not yet acknowledged, by clientId, in the order sent. */
  private readonly pending = new Map<
    string,
    { event: string; payload: Record<string, string>; node: HTMLElement; attempts: number }
  >();
  private state: ConnectionState = 'connecting';
  private handoff: Handoff = 'bot';
  private counter = 0;

  private readonly panel: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly log: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly human: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly handoffBar: HTMLElement;
  private readonly handoffNote: HTMLElement;
  private readonly cancelHandoff: HTMLButtonElement;

  constructor(private readonly options: WidgetOptions) {
    this.t = STRINGS[options.lang];
    this.storageKey = `wendao:${options.server}:${options.key}`;
    this.host = document.createElement('wendao-chat');
    const shadow = this.host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = WIDGET_CSS;
    const root = el('div', { className: 'root', attrs: { lang: options.lang === 'zh' ? 'zh-CN' : 'en' } });

    this.panel = el('section', { className: 'panel', attrs: { 'aria-label': this.t.title } });
    this.panel.hidden = true;
    const header = el('div', { className: 'header' });
    const title = el('h2', { text: this.t.title });
    this.status = el('span', { className: 'status', attrs: { role: 'status' } });
    const close = el('button', {
      className: 'icon-btn',
      text: '×',
      attrs: { 'aria-label': this.t.close, type: 'button' },
    });
    close.addEventListener('click', () => this.toggle(false));
    header.append(title, this.status, close);

    this.log = el('div', {
      className: 'log',
      attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': this.t.messages, tabindex: '0' },
    });
    this.typing = el('div', { className: 'typing', text: this.t.typing, attrs: { 'aria-hidden': 'true' } });
    this.typing.hidden = true;

    const composer = el('form', { className: 'composer' });
    // An icon (with the words where they fit beside the input, see strings.ts): "Talk to a human"
    // as a label cut the English placeholder to "Type your questior".
    this.human = el('button', {
      className: this.t.humanLabel ? 'human' : 'human icon-only',
      attrs: { type: 'button', 'aria-label': this.t.human, title: this.t.human },
    });
    this.human.append(icon(HEADSET));
    if (this.t.humanLabel) this.human.append(el('span', { text: this.t.humanLabel }));
    this.human.addEventListener('click', (e) => {
      this.requestHuman();
      this.keepKeyboardFocus(e);
    });
    this.input = el('input', {
      attrs: {
        type: 'text',
        placeholder: this.t.placeholder,
        'aria-label': this.t.placeholder,
        // No maxlength: it cut a pasted message at 500 UTF-16 units without a word, and the limit is
        // the server's to set (WENDAO_CHAT_MAX_MESSAGE_LENGTH); its refusal is said below, the text kept.
      },
    });
    this.sendButton = el('button', { className: 'send', text: this.t.send, attrs: { type: 'submit' } });
    composer.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendText(this.input.value);
    });
    composer.append(this.human, this.input, this.sendButton);
    // Queued for an agent, or leaving a message: said for as long as it lasts, not only in the bot's
    // notice that scrolls away.
    this.handoffBar = el('div', { className: 'handoff', attrs: { role: 'status' } });
    this.handoffBar.hidden = true;
    this.handoffNote = el('span', { className: 'note' });
    this.cancelHandoff = el('button', { className: 'cancel', attrs: { type: 'button' } });
    this.cancelHandoff.addEventListener('click', (e) => {
      if (this.socket && this.state === 'online') this.socket.emit('handoff:cancel', {});
      this.keepKeyboardFocus(e);
    });
    this.handoffBar.append(this.handoffNote, this.cancelHandoff);
    this.panel.append(header, this.log, this.handoffBar, composer);

    this.launcher = el('button', {
      className: 'launcher',
      attrs: { type: 'button', 'aria-label': this.t.open, 'aria-expanded': 'false' },
    });
    this.launcher.append(icon(CHAT_ICON));
    this.launcher.addEventListener('click', () => this.toggle());

    root.append(this.panel, this.launcher);
    shadow.append(style, root);
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.toggle(false);
    });
    this.setState('connecting');
    this.restore();
    options.mount.append(this.host);
  }

  /**
   * Opens or closes the panel; the socket connects on the first open. `focus: false` when the page
   * reopens it on load: the customer may be typing in the host page, and focus stays there.
   */
  toggle(open = this.panel.hidden, focus = true): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    this.launcher.setAttribute('aria-label', open ? this.t.close : this.t.open);
    this.persist();
    if (open) this.connect();
    if (!focus) return;
    // On a phone or a short screen the launcher is hidden while the panel is open (widget-styles.ts);
    // it is shown again by the time it takes the focus.
    if (open) this.input.focus();
    else this.launcher.focus();
  }

  private restore(): void {
    try {
      const saved = JSON.parse(localStorage.getItem(this.storageKey) ?? 'null') as {
        sessionId?: string;
        lastSeq?: number;
        open?: boolean;
      } | null;
      if (saved?.sessionId) {
        this.sessionId = saved.sessionId;
        // The history is replayed from the server: ask for everything once per page load.
        this.lastSeq = 0;
        // A returning customer gets the panel connected (and their history) without waiting for a click.
        this.connect();
      }
      // Open at the reload (or when the customer left the page): open again, without taking the focus.
      if (saved?.open) this.toggle(true, false);
    } catch {
      /* storage blocked or corrupt: start a new session */
    }
  }

  private persist(): void {
    try {
      localStorage.setItem(
        this.storageKey,
        JSON.stringify({ sessionId: this.sessionId, lastSeq: this.lastSeq, open: !this.panel.hidden }),
      );
    } catch {
      /* storage blocked: the session lasts as long as the page */
    }
  }

  private connect(): void {
    if (this.socket) return;
    const socket = io(`${this.options.server}/chat`, {
      auth: { key: this.options.key },
      // WebSocket first; polling is the fallback (proxies). A same-origin polling handshake carries no
      // Origin header: the server takes the page's origin from its Referer then (pageOrigin).
      // A page without WebSocket (removed by a script, an old embedded browser) polls from the start:
      // engine.io's WebSocket transport then throws before anyone listens, and the widget said
      // "connecting" for ever without ever trying polling.
      transports: typeof WebSocket === 'function' ? ['websocket', 'polling'] : ['polling'],
      tryAllTransports: true,
      reconnection: true,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on('connect', () => this.startSession());
    // `active`: socket.io will try again (a lost connection), not after the server refused or closed it.
    const lost = () => this.setState(socket.active ? 'offline' : 'unavailable');
    socket.on('disconnect', lost);
    socket.on('connect_error', lost);
    // An attempt that failed without the server refusing it (a proxy that takes the WebSocket upgrade
    // and never answers: no error, only socket.io's 20 s timeout, again and again) starts the next
    // ones over long-polling, upgrading to WebSocket from there where it works (socket.io's advice).
    socket.on('connect_error', () => {
      if (socket.active) socket.io.opts.transports = ['polling', 'websocket'];
    });
    socket.on('session:ready', (ready: SessionReady) => this.onReady(ready));
    socket.on('bot:typing', () => this.showTyping(true));
    // customer:message: the customer's own lines, also those written in another tab of the session.
    for (const event of ['customer:message', 'bot:message', 'agent:message', 'agent:joined'])
      socket.on(event, (message: ChatMessage) => this.receive(message));
    socket.on('error', (err: ChatErrorPayload) => {
      this.showTyping(false);
      const line = this.errorLine(err);
      if (line) this.addSystemLine(line);
    });
  }

  /**
   * A refusal (the key revoked, this page not allowed) and what the customer can act on (too fast, too
   * long, try again) in the customer's language; other errors (a bad request) in the server's own words.
   */
  private errorLine(err: ChatErrorPayload): string | null {
    if (err?.code === 'forbidden') return this.t.refused;
    if (err?.code === 'rate_limited') return this.t.tooFast;
    if (err?.code === 'message_too_long' && err.values)
      return this.t.tooLong.replace(/\{(length|limit)\}/g, (_, name: string) => String(err.values![name]));
    if (err?.code === 'unavailable' || err?.code === 'internal') return this.t.failed;
    // Cancelled just as an agent joined: the agent's arrival (agent:joined) says what happened.
    if (err?.code === 'illegal_transition' && err.event === 'handoff:cancel') return null;
    return err?.message ?? null;
  }

  private startSession(): void {
    // Its language: a first message without letters (😡) on a KB in both languages is answered in it.
    this.socket?.emit('session:start', {
      language: this.options.lang,
      ...(this.sessionId ? { sessionId: this.sessionId, lastSeq: this.lastSeq } : {}),
    });
  }

  private onReady(ready: SessionReady): void {
    if (this.sessionId !== ready.sessionId) {
      // A new session (none stored, or the stored one ended): nothing of the old one applies.
      this.sessionId = ready.sessionId;
      this.lastSeq = 0;
      this.shown.clear();
      this.log.replaceChildren();
      this.addSystemLine(this.t.greeting, 'bot');
    } else if (!this.log.querySelector('.msg.bot[data-seq="0"]')) {
      // Resumed after a reload: the server replays what it stored, never the greeting, and the
      // conversation opened with the customer's first question instead of as it had.
      this.log.prepend(this.addSystemLine(this.t.greeting, 'bot'));
    }
    for (const message of ready.messages) this.receive(message);
    if (ready.handoff) this.setHandoff(ready.handoff);
    this.persist();
    this.setState('online');
    // What the customer sent while the connection was lost or the server down goes now, in order.
    for (const clientId of this.pending.keys()) this.flush(clientId);
  }

  /**
   * Once a human is asked for, the button goes (there is nobody else to ask for) and comes back when
   * the customer is with the bot again: handed back, closed, the wait cancelled or the message left.
   * Waiting in the queue and leaving a message read differently, each with its way back to the bot.
   */
  private setHandoff(handoff: Handoff): void {
    this.handoff = handoff;
    const waiting = handoff === 'waiting_for_agent';
    const leaving = handoff === 'leaving_message';
    this.human.hidden = handoff !== 'bot' && handoff !== 'closed';
    this.handoffBar.hidden = !waiting && !leaving;
    this.handoffBar.dataset.handoff = handoff;
    this.handoffNote.textContent = waiting ? this.t.waiting : leaving ? this.t.leaving : '';
    this.cancelHandoff.textContent = leaving ? this.t.cancelLeaving : this.t.cancelWaiting;
    if (leaving) this.cancelHandoff.removeAttribute('aria-label');
    else this.cancelHandoff.setAttribute('aria-label', this.t.cancelWaitingName);
    const placeholder = leaving ? this.t.leavingPlaceholder : this.t.placeholder;
    this.input.placeholder = placeholder;
    this.input.setAttribute('aria-label', placeholder);
    this.refreshReplies();
  }

  /**
   * Only the latest bot message's quick replies can be pressed, and none while an agent is awaited,
   * serves or the next message is left for one: an old 转人工 pressed during an agent's chat asked for
   * a human again, and an old suggestion answered a question the conversation had moved past.
   */
  private refreshReplies(): void {
    const bots = this.log.querySelectorAll('.msg.bot');
    const latest = bots[bots.length - 1];
    const open = this.handoff === 'bot' || this.handoff === 'closed';
    for (const button of Array.from(this.log.querySelectorAll<HTMLButtonElement>('.reply')))
      button.disabled = !open || button.closest('.msg') !== latest;
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.status.dataset.state = state;
    this.status.textContent =
      state === 'online'
        ? this.t.online
        : state === 'offline'
          ? this.t.offline
          : state === 'unavailable'
            ? this.t.unavailable
            : this.t.connecting;
    // Offline (socket.io reconnects by itself) a message can still be sent: it waits, greyed and said
    // to wait, and goes once the session is back. Enter did nothing then, the text left in the input
    // and no word why.
    this.sendButton.disabled = state !== 'online' && state !== 'offline';
    this.panel.dataset.state = state;
    for (const vote of Array.from(this.log.querySelectorAll<HTMLButtonElement>('.vote')))
      vote.disabled = state !== 'online';
  }

  private nextClientId(): string {
    this.counter += 1;
    const random = Math.random().toString(36).slice(2, 10);
    return `w-${Date.now().toString(36)}-${random}-${this.counter}`;
  }

  private sendText(raw: string, quickReplyId?: string): void {
    const text = raw.trim();
    if (!text || !this.socket || (this.state !== 'online' && this.state !== 'offline')) return;
    if (!quickReplyId) this.input.value = '';
    const payload: Record<string, string> = { clientId: this.nextClientId(), text };
    if (quickReplyId) payload.quickReplyId = quickReplyId;
    this.emitMessage('message', payload);
  }

  private requestHuman(): void {
    if (!this.socket || this.state !== 'online') return;
    this.emitMessage('handoff:request', { clientId: this.nextClientId() });
  }

  /**
   * Sends a customer message and shows it at once, greyed, until the server acknowledges it with its
   * seq (while offline, saying it goes once reconnected). Unacknowledged, it waits for the
   * connection: a timeout while online retries with the same clientId (the server stores it once),
   * and a connection lost meanwhile (or sent offline) sends it once the session is resumed (onReady), never before: socket.io's own buffer replayed it ahead of
   * session:start after a server crash, and the server refused it (no_session) in English.
   */
  private emitMessage(event: string, payload: Record<string, string>): void {
    const text = payload.text ?? this.t.human;
    const node = el('div', { className: 'msg customer pending' });
    this.appendSpeaker(node, 'customer');
    node.append(el('div', { className: 'bubble', text }));
    // Shown while the widget is offline (widget-styles.ts): sent then, or before the connection was lost.
    node.append(el('span', { className: 'queued', text: this.t.queued }));
    this.log.append(node);
    this.log.scrollTop = this.log.scrollHeight;
    this.pending.set(payload.clientId, { event, payload, node, attempts: 0 });
    this.flush(payload.clientId);
  }

  /** Emits a pending message if the session is online (else onReady does, once it is). */
  private flush(clientId: string): void {
    const sending = this.pending.get(clientId);
    const socket = this.socket;
    if (!sending || !socket?.connected || this.state !== 'online') return;
    sending.attempts += 1;
    const { event, payload } = sending;
    socket.timeout(10_000).emit(event, payload, (err: unknown, ack?: { seq?: number; error?: unknown }) => {
      if (this.pending.get(clientId) !== sending) return;
      if (err) {
        // No answer in time: again while online (a few tries), else when the session is back.
        if (sending.attempts < 4) setTimeout(() => this.flush(clientId), 1000);
        else this.settle(clientId, this.t.failed);
        return;
      }
      if (ack?.seq && !ack.error && this.sessionId) {
        this.settle(clientId);
        this.receive({
          sessionId: this.sessionId,
          seq: ack.seq,
          role: 'customer',
          text: payload.text ?? this.t.human,
          clientId,
        });
      } else this.settle(clientId, null);
    });
  }

  /**
   * A pending message is done: acknowledged (no `refused`), or refused (its error event says why) or
   * given up (`refused` the line to show): the typed words come back to the input to send again.
   */
  private settle(clientId: string, refused?: string | null): void {
    const sending = this.pending.get(clientId);
    if (!sending) return;
    this.pending.delete(clientId);
    sending.node.remove();
    if (refused === undefined) return;
    if (refused) this.addSystemLine(refused);
    const { text, quickReplyId } = sending.payload;
    if (text && !quickReplyId && !this.input.value) this.input.value = text;
  }

  private receive(message: ChatMessage): void {
    // Stored (heard from the server before its ack, or replayed after a reconnect): no longer pending.
    if (message.role === 'customer' && message.clientId) this.settle(message.clientId);
    if (message.sessionId !== this.sessionId || this.shown.has(message.seq)) return;
    this.shown.add(message.seq);
    if (message.role !== 'customer') this.showTyping(false);
    const handoff = message.event ? HANDOFF_AFTER[message.event] : undefined;
    if (handoff) this.setHandoff(handoff);
    else if (message.kind === 'message_left') this.setHandoff('bot');
    const node = this.render(message);
    // Messages arrive in seq order except a customer line acked after the bot's reply: keep seq order.
    const after = Array.from(this.log.children).find(
      (child) => Number((child as HTMLElement).dataset.seq ?? 0) > message.seq,
    );
    this.log.insertBefore(node, after ?? null);
    this.refreshReplies();
    if (message.seq > this.lastSeq) {
      this.lastSeq = message.seq;
      this.persist();
    }
    this.log.scrollTop = this.log.scrollHeight;
  }

  private render(message: ChatMessage): HTMLElement {
    const role = message.role === 'customer' ? 'customer' : message.role;
    const item = el('div', { className: `msg ${role}`, attrs: { 'data-seq': String(message.seq) } });
    if (message.role === 'agent') item.append(el('span', { className: 'who', text: this.t.agent }));
    else this.appendSpeaker(item, message.role);
    item.append(el('div', { className: 'bubble', text: message.text }));
    if (message.role === 'bot' && message.source?.text) item.append(this.renderSource(message.source));
    if (message.quickReplies?.length) {
      const replies = el('div', { className: 'replies' });
      for (const reply of message.quickReplies) {
        const button = el('button', { className: 'reply', text: reply.label, attrs: { type: 'button' } });
        button.addEventListener('click', (e) => {
          if (reply.id === 'handoff') this.requestHuman();
          else this.sendText(reply.label, reply.id);
          this.keepKeyboardFocus(e);
        });
        replies.append(button);
      }
      item.append(replies);
    }
    // Thumbs only under a real answer: a clarification's options are what the customer does with it,
    // a fallback answered nothing, and the server refuses votes on either (not_an_answer).
    if (message.role === 'bot' && (message.type === 'faq' || message.type === 'extracted'))
      item.append(this.renderVotes(message.seq, message.feedback ?? null));
    return item;
  }

  /**
   * A button pressed from the keyboard (Enter or Space: a click of `detail` 0) that is about to be
   * disabled or hidden (a quick reply once answered, 转人工 once asked, 取消 once cancelled) took the
   * focus with it to the page's body: the customer goes on in the input instead. A tap or a mouse
   * click leaves the focus alone (a phone would open its keyboard).
   */
  private keepKeyboardFocus(event: MouseEvent): void {
    if (event.detail === 0) this.input.focus();
  }

  /** The source snippet, collapsed; the answer span inside it is marked. */
  private renderSource(source: MessageSource): HTMLElement {
    const details = el('details', { className: 'source' });
    const label = source.question ?? source.fileName;
    details.append(el('summary', { text: label ? `${this.t.source}: ${label}` : this.t.source }));
    // Blank lines between a document's headings and paragraphs only take room in a chat bubble.
    const tidy = (part: string) => part.replace(/\n{2,}/g, '\n');
    const text = source.text ?? '';
    const p = el('p');
    const { start, end } = source;
    if (typeof start === 'number' && typeof end === 'number' && end > start && end <= text.length) {
      // A window around the span keeps a long passage readable.
      const from = Math.max(0, start - 80);
      const to = Math.min(text.length, end + 80);
      p.append(
        document.createTextNode((from > 0 ? '…' : '') + tidy(text.slice(from, start))),
        el('mark', { text: text.slice(start, end) }),
        document.createTextNode(tidy(text.slice(end, to)) + (to < text.length ? '…' : '')),
      );
    } else {
      p.textContent = tidy(text.length > 300 ? `${text.slice(0, 300)}…` : text);
    }
    details.append(p);
    return details;
  }

  /** The thumbs under an answer; `given`: the vote already stored (a resumed session shows it pressed). */
  private renderVotes(seq: number, given: Vote | null): HTMLElement {
    const votes = el('div', { className: 'votes' });
    const note = el('span', { attrs: { role: 'status' } });
    const buttons = (
      [
        ['up', this.t.helpful],
        ['down', this.t.notHelpful],
      ] as const
    ).map(([vote, label]) => {
      const button = el('button', {
        className: 'vote',
        attrs: {
          type: 'button',
          'aria-label': label,
          title: label,
          'aria-pressed': String(vote === given),
          'data-vote': vote,
        },
      });
      // An SVG, not an emoji: many machines (and Linux servers' browsers) have no emoji font.
      button.append(icon(THUMB_UP, vote === 'down'));
      // Only online (a message sent offline waits for the session, a vote does not): a vote given
      // offline waited in socket.io's buffer, went ahead of session:start on the reconnect, and was
      // refused in the server's English words ('start a session first (session:start)'), the vote lost.
      button.disabled = this.state !== 'online';
      button.addEventListener('click', () => {
        if (this.state !== 'online' || !this.socket?.connected) return;
        this.socket.emit('feedback', { seq, vote }, (ack?: { ok?: boolean }) => {
          if (!ack?.ok) return;
          for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
          note.textContent = this.t.thanks;
        });
      });
      return button;
    });
    votes.append(...buttons, note);
    return votes;
  }

  /**
   * Who said it, for a screen reader: the bubbles' side and colour say it to the eye only, and the log
   * read "Hello! How can I help you? order Did you mean …" as one voice. Agents have a visible label.
   */
  private appendSpeaker(item: HTMLElement, role: ChatMessage['role']): void {
    const who = role === 'customer' ? this.t.you : role === 'bot' ? this.t.bot : null;
    if (who) item.append(el('span', { className: 'sr-only', text: `${who}: ` }));
  }

  private addSystemLine(text: string, role: 'system' | 'bot' = 'system'): HTMLElement {
    const item = el('div', { className: `msg ${role}`, attrs: { 'data-seq': '0' } });
    this.appendSpeaker(item, role);
    item.append(el('div', { className: 'bubble', text }));
    this.log.append(item);
    this.log.scrollTop = this.log.scrollHeight;
    return item;
  }

  private showTyping(on: boolean): void {
    this.typing.hidden = !on;
    if (on) {
      this.log.append(this.typing);
      this.log.scrollTop = this.log.scrollHeight;
    }
  }
}
