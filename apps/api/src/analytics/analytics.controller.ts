/**
 * HTTP shape of /api/kbs/:id/analytics/<chart>: one route per dashboard chart, JSON by default and
 * the chart's data as a CSV download with ?format=csv.
 */
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { analyticsCsv, type AnalyticsChart, type CsvLanguage } from './analytics-csv';
import { AnalyticsQueryDto } from './analytics-query.dto';
import { AnalyticsService } from './analytics.service';

@ApiTags('analytics')
@Controller('api/kbs/:id/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('messages')
  messages(
    @Param('id') kbId: string,
    @Query() q: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.reply('messages', this.analytics.messages(kbId, q), q, res);
  }

  @Get('outcomes')
  outcomes(
    @Param('id') kbId: string,
    @Query() q: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.reply('outcomes', this.analytics.outcomes(kbId, q), q, res);
  }

  @Get('intents')
  intents(
    @Param('id') kbId: string,
    @Query() q: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.reply('intents', this.analytics.intents(kbId, q), q, res);
  }

  @Get('unanswered')
  unanswered(
    @Param('id') kbId: string,
    @Query() q: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.reply('unanswered', this.analytics.unanswered(kbId, q), q, res);
  }

  @Get('feedback')
  feedback(
    @Param('id') kbId: string,
    @Query() q: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.reply('feedback', this.analytics.feedback(kbId, q), q, res);
  }

  @Get('latency')
  latency(
    @Param('id') kbId: string,
    @Query() q: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.reply('latency', this.analytics.latency(kbId, q), q, res);
  }

  private async reply<C extends AnalyticsChart>(
    chart: C,
    report: Promise<Parameters<(typeof analyticsCsv)[C]>[0]>,
    q: AnalyticsQueryDto,
    res: Response,
  ) {
    const data = await report;
    if (q.format !== 'csv') return data;
    const { from, to } = data.range;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="wendao-${chart}-${from}-${to}.csv"`);
    return (analyticsCsv[chart] as (r: typeof data, lang?: CsvLanguage) => string)(data, q.lang);
  }
}
