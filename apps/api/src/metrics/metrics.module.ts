/**
 * Prometheus metrics: one registry per app (WendaoMetrics), global so any service can count what it
 * decides, and the scrape-time gauges (MetricsGauges). The endpoints are wired in create-app.ts.
 */
import { Global, Module } from '@nestjs/common';
import { MetricsGauges } from './metrics-gauges';
import { WendaoMetrics } from './wendao-metrics';

@Global()
@Module({ providers: [WendaoMetrics, MetricsGauges], exports: [WendaoMetrics] })
export class MetricsModule {}
