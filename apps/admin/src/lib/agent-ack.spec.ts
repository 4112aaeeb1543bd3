import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitAck } from './agent-ack';
import { translate, type UiLanguage } from './i18n';
import { agentErrorText } from './request-error-text';

const t =
  (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);

describe('emitAck', () => {
  let http: HttpServer;
  let server: Server;
  let client: Socket;

  beforeAll(async () => {
    http = createServer();
    server = new Server(http);
    server.of('/chat').on('connection', (socket) => {
      socket.on('agent:take', (_data: unknown, ack: (a: unknown) => void) =>
        ack({ kbId: 'k1', messages: [] }),
      );
      socket.on('agent:close', (_data: unknown, ack: (a: unknown) => void) =>
        ack({ error: { code: 'not_found', message: 'session s1 does not exist' } }),
      );
      // A server busy elsewhere: the request is never acknowledged.
      socket.on('agent:message', () => undefined);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    client = io(`http://127.0.0.1:${port}/chat`, { transports: ['websocket'] });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  });

  afterAll(async () => {
    client.close();
    await server.close();
  });

  it("resolves with the server's acknowledgement, its refusal included", async () => {
    expect(await emitAck(client, 'agent:take', { sessionId: 's1' })).toEqual({ kbId: 'k1', messages: [] });
    const refused = await emitAck(client, 'agent:close', { sessionId: 's1' });
    expect(refused.error && agentErrorText(refused.error, t('zh'))).toBe('这个会话已不存在或已结束。');
  });

  it('says an acknowledgement that never came, in both languages, and does not reject', async () => {
    const ack = await emitAck(client, 'agent:message', { sessionId: 's1', text: 'hi' }, 200);
    expect(ack.error?.code).toBe('no_ack');
    expect(agentErrorText(ack.error!, t('zh'))).toBe('服务器没有回应，请重试。');
    expect(agentErrorText(ack.error!, t('en'))).toBe('The server did not answer: try again.');
  });
});
