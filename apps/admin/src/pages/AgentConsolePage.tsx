/**
 * Agent console: live handoffs over the chat socket (/chat, signed in with the session cookie and
 * the CSRF token). Sessions waiting for a human; the inbox of messages left while nobody was online
 * (listed over REST when the console opens or reconnects, new ones live, marked handled by any agent;
 * answered in the chat while the customer is still there, else through the contact details, which copy
 * with a click); take a session to see its whole history, reply, hand it back to the bot or close it.
 * The sessions taken stay this agent's: after a reconnect or a reload, `agent:join` brings them back.
 */
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useReducer, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { io, type Socket } from 'socket.io-client';
import { CheckIcon, CopyIcon } from '../components/LineIcons';
import { QueryState } from '../components/QueryState';
import {
  deskReducer,
  EMPTY_DESK,
  type DeskMessage,
  type LeftMessage,
  type QueuedSession,
  type TakenSession,
} from '../lib/agent-desk';
import { apiJson, apiPage, getCsrfToken } from '../lib/api';
import { useAuth } from '../lib/auth';
import { formatTime } from '../lib/dates';
import { useT } from '../lib/i18n-context';
import type { KnowledgeBase } from '../lib/types';
import { notify } from '../lib/notify';
import { agentErrorText, type ChatRefusal } from '../lib/request-error-text';
import { emitAck, type Ack } from '../lib/agent-ack';
import { kbLabels } from '../lib/kb-labels';
import { sessionSummary } from '../lib/session-summary';

export function AgentConsolePage() {
  const { t, lang } = useT();
  const [desk, dispatch] = useReducer(deskReducer, EMPTY_DESK);
  const [status, setStatus] = useState<'connecting' | 'online' | 'offline'>('connecting');
  // Kept as it came (a refusal, an Error) and worded when shown: a change of language re-words it.
  const [error, setError] = useState<ChatRefusal | Error | null>(null);
  const socket = useRef<Socket | null>(null);
  // What the socket's handlers read of the page as it is now (they are set up once per connection).
  const current = useRef({ queue: desk.queue, t });
  useEffect(() => {
    current.current = { queue: desk.queue, t };
  });
  const queryClient = useQueryClient();
  const [showHandled, setShowHandled] = useState(false);
  // Left messages whose customer had gone when this agent tried to reply in the chat.
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  // The inbox: the messages waiting (or, shown on request, all of them), newest first.
  const leftList = useQuery({
    queryKey: ['left-messages', showHandled],
    queryFn: () =>
      apiPage<LeftMessage>('/api/agent/left-messages', {
        handled: showHandled ? undefined : 'false',
        limit: 200,
      }),
  });
  useEffect(() => {
    if (leftList.data) dispatch({ type: 'left:listed', messages: leftList.data.items });
  }, [leftList.data]);
  useEffect(() => {
    if (leftList.error) setError(leftList.error);
  }, [leftList.error]);
  const kbs = useQuery({
    queryKey: ['kbs', 'all'],
    queryFn: () => apiPage<KnowledgeBase>('/api/kbs', { limit: 200 }),
  });
  // KBs of two organisations named alike also say whose each is.
  const memberships = useAuth().data?.session?.memberships;
  const kbName = useMemo(() => kbLabels(kbs.data?.items ?? [], memberships), [kbs.data, memberships]);

  useEffect(() => {
    const s = io('/chat', {
      auth: { agent: true, csrfToken: getCsrfToken() },
      transports: ['websocket'],
      withCredentials: true,
    });
    socket.current = s;
    s.on('connect', async () => {
      // Signed in, the server shows this agent as the user it is (no name to send).
      const ack = (await emitAck(s, 'agent:join', {})) as Ack & {
        queue?: QueuedSession[];
        sessions?: TakenSession[];
      };
      if (ack.error) {
        setError(ack.error);
        setStatus('offline');
        return;
      }
      setError(null);
      setStatus('online');
      // With the sessions this agent had taken before a reload or a dropped connection.
      dispatch({ type: 'joined', queue: ack.queue ?? [], sessions: ack.sessions ?? [] });
      // Messages left while this console was away (closed, or disconnected) are only in the list.
      void queryClient.invalidateQueries({ queryKey: ['left-messages'] });
    });
    s.on('connect_error', (err) => {
      setError(err);
      setStatus('offline');
    });
    s.on('disconnect', () => setStatus('offline'));
    // Closed by the server (signed out, removed from the organisation, role lowered): say why.
    s.on(
      'error',
      (e: { code?: string; message?: string; event?: string; values?: Record<string, unknown> }) => {
        if (e.event === 'connection' && e.message) setError({ ...e, message: e.message });
      },
    );
    s.on('agent:queue', (session: QueuedSession) => dispatch({ type: 'agent:queue', session }));
    s.on('agent:taken', ({ sessionId }: { sessionId: string }) =>
      dispatch({ type: 'agent:taken', sessionId }),
    );
    s.on('agent:dequeued', ({ sessionId, reason }: { sessionId: string; reason?: string }) => {
      // A customer who stopped waiting, or whom nobody took in time, leaves the queue with a word
      // why: an agent about to click 接入 would otherwise see the row just vanish.
      const waiting = current.current.queue.find((q) => q.sessionId === sessionId);
      if (waiting && (reason === 'cancelled' || reason === 'timeout')) {
        const title = current.current.t(reason === 'cancelled' ? 'agent.cancelled' : 'agent.timedOut');
        if (waiting.text) notify('info', waiting.text, { title });
        else notify('info', title);
      }
      dispatch({ type: 'agent:dequeued', sessionId });
    });
    s.on('agent:message-left', (message: LeftMessage) => dispatch({ type: 'agent:message-left', message }));
    s.on('agent:left-message-handled', (message: LeftMessage) => dispatch({ type: 'left:handled', message }));
    s.on('customer:message', (message: DeskMessage) => dispatch({ type: 'customer:message', message }));
    s.on('customer:left', (message: DeskMessage) => dispatch({ type: 'customer:left', message }));
    return () => {
      s.close();
      socket.current = null;
    };
  }, [queryClient]);

  const emit = async (event: string, data: object): Promise<Ack | null> => {
    const s = socket.current;
    if (!s) return null;
    const ack = await emitAck(s, event, data);
    if (ack.error) {
      setError(ack.error);
      return null;
    }
    setError(null);
    return ack;
  };
  const take = async (sessionId: string) => {
    const ack = (await emit('agent:take', { sessionId })) as
      (Ack & { kbId: string; messages: DeskMessage[] }) | null;
    if (ack) dispatch({ type: 'took', sessionId, kbId: ack.kbId, messages: ack.messages });
  };
  const release = async (sessionId: string, event: 'agent:handback' | 'agent:close') => {
    if (await emit(event, { sessionId })) dispatch({ type: 'released', sessionId });
  };
  const reply = async (sessionId: string, text: string) => {
    const ack = (await emit('agent:message', { sessionId, text })) as (Ack & { seq: number }) | null;
    if (ack)
      dispatch({
        type: 'own',
        message: { sessionId, seq: ack.seq, role: 'agent', text, createdAt: new Date().toISOString() },
      });
    return !!ack;
  };

  const markLeft = async (m: LeftMessage, handled: boolean) => {
    try {
      const message = await apiJson<LeftMessage>(
        'PATCH',
        `/api/agent/left-messages/${m.sessionId}/${m.seq}`,
        { handled },
      );
      setError(null);
      dispatch({ type: 'left:handled', message });
    } catch (err) {
      setError(err as Error);
    }
  };

  /**
   * Reply to a left message in the chat: take its session while the customer is still there (then
   * it is handled, by this agent); once they have gone, the card says to use the contact details.
   */
  const followUp = async (m: LeftMessage) => {
    const s = socket.current;
    if (!s) return;
    const ack = (await emitAck(s, 'agent:take', { sessionId: m.sessionId })) as Ack & {
      kbId: string;
      messages: DeskMessage[];
    };
    if (ack.error?.code === 'customer_offline') {
      setError(null);
      setGone((prev) => new Set(prev).add(leftKey(m)));
      return;
    }
    if (ack.error) {
      setError(ack.error);
      return;
    }
    setError(null);
    dispatch({ type: 'took', sessionId: m.sessionId, kbId: ack.kbId, messages: ack.messages });
    await markLeft(m, true);
  };

  const taken = Object.entries(desk.sessions);
  const waiting = desk.left.filter((m) => !m.handled).length;
  const shownLeft = desk.left.filter((m) => showHandled || !m.handled);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('nav.agent')}</Title>
        <Badge
          color={status === 'online' ? 'teal' : status === 'connecting' ? 'gray' : 'red'}
          data-testid="agent-status"
        >
          {t(`agent.${status}`)}
        </Badge>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {agentErrorText(error, t)}
        </Alert>
      )}
      <QueryState query={kbs}>
        {() => (
          <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
            <Stack>
              <Card withBorder data-testid="agent-queue">
                <Title order={5} mb="xs">
                  {t('agent.queue')}
                </Title>
                {desk.queue.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('agent.queueEmpty')}
                  </Text>
                ) : (
                  <Stack gap="xs">
                    {desk.queue.map((q) => (
                      <Paper key={q.sessionId} withBorder p="xs" data-testid="queued-session">
                        <Text size="sm" fw={600}>
                          {kbName.get(q.kbId) ?? q.kbId}
                        </Text>
                        {q.text && (
                          <Text size="sm" lineClamp={2}>
                            {q.text}
                          </Text>
                        )}
                        <Group justify="space-between" mt={4}>
                          <Text size="xs" c="dimmed">
                            {t(`agent.reason.${q.reason}`)} · {formatTime(q.since, lang)}
                          </Text>
                          <Button size="xs" onClick={() => void take(q.sessionId)}>
                            {t('agent.take')}
                          </Button>
                        </Group>
                      </Paper>
                    ))}
                  </Stack>
                )}
              </Card>
              <Card withBorder data-testid="agent-left">
                <Group justify="space-between" mb="xs" gap="xs">
                  <Group gap="xs">
                    <Title order={5}>{t('agent.left')}</Title>
                    {waiting > 0 && (
                      <Badge color="orange" variant="light" data-testid="left-count">
                        {t('agent.leftCount', { n: waiting })}
                      </Badge>
                    )}
                  </Group>
                  <Switch
                    size="xs"
                    label={t('agent.showHandled')}
                    checked={showHandled}
                    onChange={(e) => setShowHandled(e.currentTarget.checked)}
                  />
                </Group>
                {shownLeft.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('agent.leftEmpty')}
                  </Text>
                ) : (
                  <Stack gap="xs">
                    {shownLeft.map((m) => (
                      <LeftMessageCard
                        key={leftKey(m)}
                        message={m}
                        customerGone={gone.has(leftKey(m))}
                        inChat={!!desk.sessions[m.sessionId]}
                        onMark={(handled) => void markLeft(m, handled)}
                        onFollowUp={() => void followUp(m)}
                      />
                    ))}
                  </Stack>
                )}
              </Card>
            </Stack>
            <Stack style={{ gridColumn: 'span 2' }}>
              {taken.length === 0 ? (
                <Card withBorder>
                  <Text c="dimmed" ta="center" py="lg">
                    {t('agent.none')}
                  </Text>
                </Card>
              ) : (
                taken.map(([sessionId, session]) => (
                  <SessionCard
                    key={sessionId}
                    kbName={kbName.get(session.kbId) ?? session.kbId}
                    messages={session.messages}
                    ended={session.ended}
                    onReply={(text) => reply(sessionId, text)}
                    onHandBack={() => void release(sessionId, 'agent:handback')}
                    onClose={() => void release(sessionId, 'agent:close')}
                  />
                ))
              )}
            </Stack>
          </SimpleGrid>
        )}
      </QueryState>
    </Stack>
  );
}

const leftKey = (m: LeftMessage) => `${m.sessionId}-${m.seq}`;

function LeftMessageCard({
  message: m,
  customerGone,
  inChat,
  onMark,
  onFollowUp,
}: {
  message: LeftMessage;
  /** The customer had left the chat when this agent tried to reply there. */
  customerGone: boolean;
  /** This agent has the message's session open. */
  inChat: boolean;
  onMark(handled: boolean): void;
  onFollowUp(): void;
}) {
  const { t, lang } = useT();
  const { phones, emails } = m.contact;
  const hasContact = phones.length > 0 || emails.length > 0;
  return (
    <Paper withBorder p="xs" data-testid="left-message" bg={m.handled ? 'gray.0' : undefined}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={600} truncate>
          {m.kbName}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatTime(m.createdAt, lang)}
        </Text>
      </Group>
      <Text
        size="sm"
        mt={4}
        style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        c={m.handled ? 'dimmed' : undefined}
      >
        {m.text}
      </Text>
      <Stack gap={2} mt={4} data-testid="left-contact">
        {!hasContact ? (
          <Text size="xs" c="dimmed">
            {t('agent.noContact')}
          </Text>
        ) : (
          <>
            {phones.map((phone) => (
              <ContactLine key={phone} label={t('agent.phone')} value={phone} />
            ))}
            {emails.map((email) => (
              <ContactLine key={email} label={t('agent.email')} value={email} />
            ))}
          </>
        )}
      </Stack>
      {customerGone && !m.handled && (
        <Text size="xs" c="orange.8" mt={4} data-testid="left-customer-gone">
          {t(hasContact ? 'agent.customerGone' : 'agent.customerGoneNoContact')}
        </Text>
      )}
      {m.handled && (
        <Text size="xs" c="dimmed" mt={4} data-testid="left-handled">
          {t('agent.handledBy', {
            by: m.handledBy ?? '',
            time: m.handledAt ? formatTime(m.handledAt, lang) : '',
          })}
        </Text>
      )}
      <Group justify="space-between" mt={6} gap="xs">
        <Anchor component={Link} to={`/kbs/${m.kbId}/conversations?session=${m.sessionId}`} size="xs">
          {t('agent.viewConversation')}
        </Anchor>
        {m.handled ? (
          <Button size="xs" variant="subtle" onClick={() => onMark(false)}>
            {t('agent.reopen')}
          </Button>
        ) : (
          <Group gap={4}>
            {!customerGone && !inChat && (
              <Button size="xs" variant="light" onClick={onFollowUp}>
                {t('agent.replyInChat')}
              </Button>
            )}
            <Button size="xs" variant={customerGone ? 'light' : 'subtle'} onClick={() => onMark(true)}>
              {t('agent.markHandled')}
            </Button>
          </Group>
        )}
      </Group>
    </Paper>
  );
}

/** A phone number or email from a left message, large enough to read out, with a copy button. */
function ContactLine({ label, value }: { label: string; value: string }) {
  const { t } = useT();
  return (
    <Group gap={6} wrap="nowrap" data-testid="left-contact-line">
      <Text size="xs" c="dimmed" w={32}>
        {label}
      </Text>
      <Text size="sm" fw={600} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('agent.copied') : t('agent.copy')} withArrow>
            <ActionIcon
              size="sm"
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={copy}
              aria-label={`${t('agent.copy')} ${value}`}
            >
              {copied ? <CheckIcon /> : <CopyIcon />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

function SessionCard({
  kbName,
  messages,
  ended,
  onReply,
  onHandBack,
  onClose,
}: {
  kbName: string;
  messages: DeskMessage[];
  ended: boolean;
  onReply(text: string): Promise<boolean>;
  onHandBack(): void;
  onClose(): void;
}) {
  const { t, lang } = useT();
  const [text, setText] = useState('');
  const log = useRef<HTMLDivElement>(null);
  // The customer's wait, in minutes, counts on without new messages.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const summary = sessionSummary(messages, now, t, lang);
  // Keep the newest message in view, as a chat window does.
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [messages.length]);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() && (await onReply(text.trim()))) setText('');
  };
  return (
    <Card withBorder data-testid="agent-session">
      <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
        {/* Two sessions of one KB told apart: the customer's first words, the start, the wait. */}
        <div style={{ minWidth: 0 }} data-testid="agent-session-summary">
          <Text fw={600}>{kbName}</Text>
          {summary.opening && (
            <Text size="sm" lineClamp={1} title={summary.opening}>
              “{summary.opening}”
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {summary.meta}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          {ended && <Badge color="gray">{t('agent.customerLeft')}</Badge>}
          <Button size="xs" variant="default" onClick={onHandBack}>
            {t('agent.handBack')}
          </Button>
          <Button size="xs" variant="default" color="red" onClick={onClose}>
            {t('agent.close')}
          </Button>
        </Group>
      </Group>
      <Stack ref={log} gap={6} mah={360} style={{ overflowY: 'auto' }} data-testid="agent-messages">
        {messages.map((m) => (
          <Group key={m.seq} justify={m.role === 'customer' ? 'flex-start' : 'flex-end'}>
            <Paper
              p={6}
              px="xs"
              radius="md"
              maw="80%"
              withBorder
              bg={m.role === 'customer' ? 'gray.0' : m.role === 'agent' ? 'teal.0' : 'white'}
            >
              <Text size="xs" c="dimmed">
                {t(`role.${m.role}`)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {m.text}
              </Text>
            </Paper>
          </Group>
        ))}
      </Stack>
      <form onSubmit={(e) => void send(e)}>
        <Group mt="sm" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            aria-label={t('agent.reply')}
            placeholder={t('agent.reply')}
            value={text}
            disabled={ended}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Button type="submit" disabled={ended || !text.trim()}>
            {t('agent.send')}
          </Button>
        </Group>
      </form>
    </Card>
  );
}
