/**
 * What the dialogue remembers about one conversation between turns: the last turns, the topic (the
 * FAQ last answered and its key terms), a clarification awaiting a pick and the handoff state. Plain
 * JSON data, so the server can persist it as it is and resume a conversation on any replica.
 */
import type { AnswerType } from '@wendao/answer';

/** Who is answering the customer. */
export type HandoffState =
  /** The bot answers. */
  | 'bot'
  /** A handoff was requested and an agent is available: queued until one takes the session. */
  | 'waiting_for_agent'
  /** An agent has the session: the bot stays silent and messages go to the agent. */
  | 'with_agent'
  /** No agent was available: the next customer message is stored for an agent to read later. */
  | 'leaving_message'
  /** An agent closed the session. A new customer message reopens it with the bot. */
  | 'closed';

export interface SessionTurn {
  /** What the customer wrote. */
  user: string;
  /** The question retrieval saw (the rewrite, when the turn was a follow-up); null without retrieval. */
  asked: string | null;
  /** small talk, handoff, an answer type, or a clarification pick. */
  kind: TurnKind;
  /** The FAQ entry the bot answered from, if any. */
  faqId: string | null;
  bot: string | null;
  at: string;
}

export type TurnKind = AnswerType | 'small_talk' | 'handoff' | 'clarify_pick' | 'to_agent' | 'message_left';

/** The subject of the conversation: what an elliptical follow-up ("那换货呢？", "how much is it?") is about. */
export interface SessionTopic {
  faqId: string;
  /** The matched FAQ's own question. */
  faqQuestion: string;
  /** The question that found it (the customer's, or its rewrite). */
  question: string;
  /** The content words that question shares with the entry: what a pronoun ("how much is it?") stands for. */
  keyTerms: string[];
  /**
   * Those of them other entries' questions use too: the subject of a family of entries (积分 for
   * earning, redeeming, expiry), which a follow-up asking another aspect ("能抵多少钱？") borrows.
   */
  subjectTerms: string[];
}

export interface PendingClarification {
  options: Array<{ faqId: string; question: string; confidence: number }>;
  /** The scoring mode that offered them (the chosen answer reports it). */
  mode: 'neural' | 'lexical';
}

export interface SessionState {
  id: string;
  language: 'zh' | 'en' | 'mixed';
  /** The most recent turns, oldest first (at most `DialoguePolicyOptions.historyTurns`). */
  turns: SessionTurn[];
  topic: SessionTopic | null;
  clarification: PendingClarification | null;
  handoff: HandoffState;
  /** Fallbacks in a row since the last answer: at the policy's limit, the session is handed off. */
  consecutiveFallbacks: number;
  /** Messages the customer left while no agent was available. */
  messagesLeft: number;
  /**
   * The language of the widget the customer opened or last resumed the session in (session:start's
   * `language`), if it said: the reply language on a mixed KB until the customer has written letters
   * (since `widgetLanguageAt`, when a resume changed it).
   */
  widgetLanguage?: 'zh' | 'en';
  /**
   * When a resume changed `widgetLanguage` (ISO time): the customer switched the widget's language
   * since, so the words written before it no longer say the reply language.
   */
  widgetLanguageAt?: string;
}

export function newSession(
  id: string,
  language: SessionState['language'] = 'mixed',
  widgetLanguage?: SessionState['widgetLanguage'],
): SessionState {
  return {
    id,
    language,
    turns: [],
    topic: null,
    clarification: null,
    handoff: 'bot',
    consecutiveFallbacks: 0,
    messagesLeft: 0,
    ...(widgetLanguage ? { widgetLanguage } : {}),
  };
}

/** A stored session back as state; refuses what is not one (a corrupted or foreign row). */
export function parseSessionState(json: string | unknown): SessionState {
  const value = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<SessionState>;
  const handoffs: HandoffState[] = ['bot', 'waiting_for_agent', 'with_agent', 'leaving_message', 'closed'];
  if (
    !value ||
    typeof value.id !== 'string' ||
    !Array.isArray(value.turns) ||
    !handoffs.includes(value.handoff as HandoffState) ||
    typeof value.consecutiveFallbacks !== 'number'
  )
    throw new Error('not a dialogue session state');
  const state = { ...newSession(value.id, value.language), ...value } as SessionState;
  if (state.widgetLanguage !== 'zh' && state.widgetLanguage !== 'en') delete state.widgetLanguage;
  if (!state.widgetLanguage || typeof state.widgetLanguageAt !== 'string') delete state.widgetLanguageAt;
  return state;
}

/**
 * The session resumed in a widget of `language` (session:start's): a language other than the one the
 * session has becomes the reply language of the messages without letters that follow, ahead of the
 * words written before (an English widget switched to Chinese answers 48 in Chinese). The same
 * language, or none (an older widget), leaves the session as it was: null.
 */
export function resumedInLanguage(
  state: SessionState,
  language: SessionState['widgetLanguage'],
  now = new Date(),
): SessionState | null {
  if (!language || language === state.widgetLanguage) return null;
  return { ...state, widgetLanguage: language, widgetLanguageAt: now.toISOString() };
}
