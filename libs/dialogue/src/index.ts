/**
 * @wendao/dialogue: the chat's dialogue policy, framework-free: session context, follow-up rewriting,
 * clarification picks, small talk and the human-handoff state machine around the one answer pipeline
 * (@wendao/answer). The server persists the session state and carries the events; a test, the CLI or
 * a bench runs the same policy without one.
 */
export { DialoguePolicy, customerLanguage } from './dialogue-policy';
export type {
  AnswerRunner,
  DialoguePolicyOptions,
  TurnInput,
  TurnResult,
  AgentTurnResult,
  BotReply,
  ReplyKind,
  QuickReply,
} from './dialogue-policy';
export { newSession, parseSessionState, resumedInLanguage } from './session-state';
export type {
  SessionState,
  SessionTurn,
  SessionTopic,
  PendingClarification,
  HandoffState,
  TurnKind,
} from './session-state';
export { FollowUpRewriter } from './follow-up-rewriter';
export type { FollowUpRewrite, RewriteReason, EntryVocabulary } from './follow-up-rewriter';
export { contactDetails } from './contact-details';
export type { ContactDetails } from './contact-details';
export { SmallTalk } from './small-talk';
export type { SmallTalkKind, SmallTalkMatch } from './small-talk';
export { pickClarification, clarifyQuickReplyId } from './clarification-pick';
export { requestHandoff, applyAgentAction, cancelHandoff, IllegalHandoffTransition } from './handoff';
export type { DialogueEvent, AgentAction, HandoffReason, HandoffTransition } from './handoff';
