/**
 * Gauges read when Prometheus scrapes, from the services that hold the state: open chat sockets and
 * the KB indexes in memory. Resolved lazily by class, so the metrics module depends on no domain module.
 */
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Gauge } from 'prom-client';
import { ChatGateway } from '../chat/chat.gateway';
import { KbIndexService } from '../indexes/kb-index.service';
import { KbVersionListener } from '../indexes/kb-version-listener';
import { WendaoMetrics } from './wendao-metrics';

@Injectable()
export class MetricsGauges implements OnModuleInit {
  constructor(
    private readonly metrics: WendaoMetrics,
    private readonly modules: ModuleRef,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const find = <T>(type: new (...args: never[]) => T): T | undefined => {
      try {
        return this.modules.get(type, { strict: false });
      } catch {
        return undefined;
      }
    };
    new Gauge({
      name: 'wendao_chat_sockets',
      help: 'Chat sockets open on this process, by kind (customer: a widget; agent: the agent console)',
      labelNames: ['kind'] as const,
      registers,
      collect() {
        const open = find(ChatGateway)?.openSockets() ?? { customer: 0, agent: 0 };
        this.set({ kind: 'customer' }, open.customer);
        this.set({ kind: 'agent' }, open.agent);
      },
    });
    new Gauge({
      name: 'wendao_kb_indexes_loaded',
      help: 'Knowledge-base indexes held in memory by this process (0 on a worker)',
      registers,
      collect() {
        this.set(find(KbIndexService)?.loadedCount ?? 0);
      },
    });
    new Gauge({
      name: 'wendao_kb_indexes_ready',
      help: '1 when every KB index this process serves is loaded (as /ready says), else 0',
      registers,
      collect() {
        this.set(find(KbIndexService)?.ready ? 1 : 0);
      },
    });
    new Gauge({
      name: 'wendao_kb_indexes_behind',
      help: 'KB indexes of this process behind a version another process announced (catching up)',
      registers,
      collect() {
        this.set(find(KbVersionListener)?.behind().length ?? 0);
      },
    });
  }
}
