/**
 * The ask request and response shapes. Question length limits come from the config and are
 * checked in the service (the decorators here only check types). The response is the answer
 * pipeline's outcome (@wendao/answer) plus the cache flag and the session id.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AnswerOutcome, AnswerTimings } from '@wendao/answer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export type { AnswerAlternative, AnswerType, ClarifyOption, FaqSource, PassageSource } from '@wendao/answer';

export class AskDto {
  @ApiProperty({ example: '退货期限是多久？' })
  @IsString()
  question: string;

  @ApiPropertyOptional({ description: 'Conversation id, echoed back (multi-turn dialogue uses it)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sessionId?: string;

  @ApiPropertyOptional({
    description:
      "A trial (the admin console's test console): answered as any question, but not recorded as a customer's (analytics, the unanswered inbox, the intents' traffic mix)",
  })
  @IsOptional()
  @IsBoolean()
  trial?: boolean;

  @ApiPropertyOptional({
    enum: ['zh', 'en'],
    description:
      "The customer's language: on a KB in both languages, a question without letters (an order number, an emoji) is answered, suggested and fallen back in it (else Chinese)",
  })
  @IsOptional()
  @IsIn(['zh', 'en'], { message: "language must be 'zh' or 'en'" })
  language?: 'zh' | 'en';
}

export interface AskTimings extends AnswerTimings {
  /** Answer-cache lookup. */
  cache: number;
  /** Waiting for the KB's index (loaded or rebuilt on first use). */
  index: number;
}

export interface AskResponse extends Omit<AnswerOutcome, 'timings'> {
  timings: AskTimings;
  cached: boolean;
  sessionId?: string;
}
