/**
 * Liveness (/health: the process answers, which mode, which models, without their folders) and readiness (/ready: the
 * database answers and every KB index is loaded; 503 until then, so a load balancer waits). /ready
 * also says whether the replica's index sync listens and how many KBs are behind an announced version
 * (informational: questions read the KB version themselves, so a lost LISTEN never serves stale answers).
 */
import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { KbIndexService } from '../indexes/kb-index.service';
import { KbVersionListener } from '../indexes/kb-version-listener';
import { ModelsService } from '../models/models.service';
import { SkipRateLimits } from '../rate-limits/rate-limit.module';

@ApiTags('health')
@SkipRateLimits()
@Controller()
export class HealthController {
  constructor(
    private readonly models: ModelsService,
    private readonly indexes: KbIndexService,
    private readonly sync: KbVersionListener,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /**
   * Public, so it says nothing an anonymous caller should not learn: each model's id, task and
   * layout, never the folder it was loaded from (WENDAO_MODELS_DIR and `wendao models list` say that).
   */
  @Get('health')
  health() {
    const models = this.models.models.map(({ dir: _dir, ...model }) => model);
    return { status: 'ok', mode: this.models.mode, models };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    let database = false;
    try {
      await this.db.query('SELECT 1');
      database = true;
    } catch {
      database = false;
    }
    const ready = database && this.indexes.ready;
    res.status(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'starting',
      database,
      indexes: { ready: this.indexes.ready, loaded: this.indexes.loadedCount },
      indexSync: { listening: this.sync.listening, behind: this.sync.behind().length },
    };
  }
}
