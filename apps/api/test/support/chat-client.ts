/**
 * socket.io clients for the chat tests: connect to /chat, record every event, wait for one.
 */
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type { TestApp } from './test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Payload = Record<string, any>;

/** A socket.io client that records every event it receives. */
export class ChatClient {
  readonly events: { event: string; payload: Payload }[] = [];
  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: Payload) => this.events.push({ event, payload }));
  }

  send(event: string, data?: unknown): Promise<Payload> {
    return this.socket.timeout(5000).emitWithAck(event, data);
  }

  received(event: string): Payload[] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload);
  }

  /** The first `event` (from now on, or already received after `from`) that matches. */
  async waitFor(event: string, match: (p: Payload) => boolean = () => true, from = 0): Promise<Payload> {
    const until = Date.now() + 5000;
    for (;;) {
      const hit = this.events.slice(from).find((e) => e.event === event && match(e.payload));
      if (hit) return hit.payload;
      if (Date.now() > until) throw new Error(`no ${event} within 5 s; got ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Connects to /chat; resolves once connected, rejects with the server's connect error. */
export function connectChat(
  url: string,
  auth: object,
  headers: Record<string, string> = {},
): Promise<ChatClient> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/chat`, {
      auth,
      extraHeaders: headers,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const client = new ChatClient(socket);
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Makes the test app listen on a loopback port (sockets need one; supertest does not); returns its URL. */
export async function listen(t: TestApp): Promise<string> {
  const server = t.wendao.app.getHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
