/** GET /api/kbs/:id/jobs: paging, and `status` to see only queued, running, succeeded or failed jobs. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListQueryDto } from '../common/list-query.dto';
import type { JobStatus } from './ingestion-job.entity';

const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed'];

export class JobListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;
}
