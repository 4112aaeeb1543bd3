/**
 * A message a customer left while no agent was online, as the agents' inbox lists it and as
 * `agent:message-left` carries it live: one shape, so the console merges both by (sessionId, seq).
 */
import { contactDetails, type ContactDetails } from '@wendao/dialogue';

export interface LeftMessageView {
  sessionId: string;
  seq: number;
  kbId: string;
  kbName: string;
  text: string;
  /** Phone numbers and emails found in the text. */
  contact: ContactDetails;
  createdAt: Date;
  handled: boolean;
  handledAt: Date | null;
  /** The agent who marked it handled (the user's name or email; `api` for an API key). */
  handledBy: string | null;
}

export function leftMessageView(m: {
  sessionId: string;
  seq: number;
  kbId: string;
  kbName: string;
  text: string;
  createdAt: Date;
  handledAt: Date | null;
  handledBy: string | null;
}): LeftMessageView {
  return {
    sessionId: m.sessionId,
    seq: m.seq,
    kbId: m.kbId,
    kbName: m.kbName,
    text: m.text,
    contact: contactDetails(m.text),
    createdAt: m.createdAt,
    handled: m.handledAt !== null,
    handledAt: m.handledAt,
    handledBy: m.handledBy,
  };
}
