/**
 * What tells taken sessions apart on the agent console, where two from the same KB looked alike: the
 * first words the customer wrote, when the session started, and how long the customer has been
 * waiting for a human: since the handoff notice (event `queued`) until an agent first writes, then
 * since their first message after the agent's last.
 */
import type { DeskMessage } from './agent-desk';
import { formatTime } from './dates';
import type { I18n } from './i18n-context';
import type { UiLanguage } from './i18n';

/** Characters of the customer's first message shown (whole characters: Chinese counts one each). */
export const OPENING_LENGTH = 40;

export interface SessionSummaryText {
  /** The customer's first message, cut to OPENING_LENGTH with an ellipsis. */
  opening?: string;
  /** When it started, and how long the customer has waited for a reply if they have. */
  meta: string;
}

export function sessionSummary(
  messages: DeskMessage[],
  now: number,
  t: I18n['t'],
  lang: UiLanguage,
): SessionSummaryText {
  const first = messages.find((m) => m.role === 'customer');
  const chars = first ? Array.from(first.text.replace(/\s+/g, ' ').trim()) : [];
  const opening =
    chars.length > OPENING_LENGTH
      ? `${chars.slice(0, OPENING_LENGTH).join('')}…`
      : chars.join('') || undefined;
  const parts: string[] = [];
  if (messages[0]) parts.push(t('agent.started', { time: formatTime(messages[0].createdAt, lang) }));
  const since = waitingSince(messages);
  if (since) {
    const minutes = Math.floor((now - Date.parse(since)) / 60_000);
    parts.push(minutes < 1 ? t('agent.waitingJustNow') : t('agent.waiting', { n: minutes }));
  }
  return { opening, meta: parts.join(' · ') };
}

/** Since when the customer has waited for an agent's word (undefined: they are not waiting). */
function waitingSince(messages: DeskMessage[]): string | undefined {
  const lastAgent = messages.findLastIndex((m) => m.role === 'agent');
  if (lastAgent >= 0) return messages.slice(lastAgent + 1).find((m) => m.role === 'customer')?.createdAt;
  const queued = messages.findLast((m) => m.event === 'queued');
  return (queued ?? messages.findLast((m) => m.role === 'customer'))?.createdAt;
}
