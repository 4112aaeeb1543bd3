/**
 * REDIS_URL set: socket.io rooms span replicas through the Redis adapter, so an agent connected to
 * one replica hears the customers of another (the queue, their messages) and `agentsOnline` counts
 * every replica's agents. Keys carry the deployment's Redis prefix.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

export class RedisIoAdapter extends IoAdapter {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly adapter: ReturnType<typeof createAdapter>;

  constructor(app: INestApplicationContext, redisUrl: string, prefix: string) {
    super(app);
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.sub = this.pub.duplicate();
    this.adapter = createAdapter(this.pub, this.sub, { key: `${prefix}:socket.io` });
  }

  createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    server.adapter(this.adapter);
    return server;
  }

  async dispose(): Promise<void> {
    await super.dispose();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
