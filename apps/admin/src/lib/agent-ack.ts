/**
 * An agent console request over the chat socket, answered by the server's acknowledgement. socket.io
 * rejects emitWithAck when no acknowledgement comes in time ('operation has timed out'); that
 * rejection went unhandled and the console said nothing. Here it is a refusal like the server's own,
 * code `no_ack`, which agentErrorText words ("the server did not answer: try again").
 */
import type { Socket } from 'socket.io-client';
import type { ChatRefusal } from './request-error-text';

/** The server's acknowledgement: its refusal as `error`, else what was asked for. */
export type Ack = { error?: ChatRefusal } & Record<string, unknown>;

/** How long the console waits for an acknowledgement. */
export const ACK_TIMEOUT_MS = 10_000;

/** Emits `event` and resolves with its acknowledgement, or with a `no_ack` refusal: never rejects. */
export async function emitAck(
  socket: Pick<Socket, 'timeout'>,
  event: string,
  data: object,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<Ack> {
  try {
    const ack = (await socket.timeout(timeoutMs).emitWithAck(event, data)) as Ack | null | undefined;
    return ack ?? {};
  } catch (err) {
    return { error: { code: 'no_ack', message: (err as Error).message } };
  }
}
