/**
 * Word of a principal losing access — a member removed or dropped below the agent role, a login
 * session ended, an API key revoked — for whoever holds connections open on the strength of it (the
 * chat gateway's agent sockets). Access control decides; listeners only act on it, so the auth module
 * needs to know nothing of the chat.
 */
import { Injectable, Logger } from '@nestjs/common';

export type AccessLoss =
  /** The user no longer serves the organisation: removed, or their role there is now below agent. */
  | { kind: 'membership'; userId: string; organisationId: string }
  /** A login session was logged out. */
  | { kind: 'login-session'; sessionId: string }
  | { kind: 'api-key'; keyId: string };

@Injectable()
export class AccessEvents {
  private readonly logger = new Logger('AccessEvents');
  private readonly listeners: ((loss: AccessLoss) => void)[] = [];

  subscribe(listener: (loss: AccessLoss) => void): void {
    this.listeners.push(listener);
  }

  /** Tells every listener, after the change has committed; a listener's failure is logged, not thrown. */
  lost(loss: AccessLoss): void {
    for (const listener of this.listeners) {
      try {
        listener(loss);
      } catch (err) {
        this.logger.warn(`acting on a lost ${loss.kind} failed: ${String(err)}`);
      }
    }
  }
}
