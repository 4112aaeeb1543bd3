/**
 * Liveness and readiness endpoints.
 */
import { Module } from '@nestjs/common';
import { IndexesModule } from '../indexes/indexes.module';
import { HealthController } from './health.controller';

@Module({ imports: [IndexesModule], controllers: [HealthController] })
export class HealthModule {}
