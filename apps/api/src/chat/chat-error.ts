/**
 * A refusal the chat explains to the client: the gateway sends it as an `error` event (and as the
 * ack's `error` when the event asked for one) with a stable code and a sentence for people.
 */
export type ChatErrorCode =
  | 'invalid_payload'
  | 'unknown_event'
  | 'message_too_long'
  | 'rate_limited'
  | 'no_session'
  | 'not_found'
  | 'not_agent'
  | 'forbidden'
  | 'illegal_transition'
  | 'not_an_answer'
  | 'customer_offline'
  | 'unavailable'
  | 'internal';

export class ChatError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    message: string,
    /** The numbers in the sentence, for a client that says it in its own language (message_too_long). */
    readonly values?: Record<string, number>,
  ) {
    super(message);
  }

  toJSON(): { code: ChatErrorCode; message: string; values?: Record<string, number> } {
    return { code: this.code, message: this.message, ...(this.values ? { values: this.values } : {}) };
  }
}
