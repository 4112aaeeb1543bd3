/**
 * The ask request and response shapes. Question length limits come from the config and are
 * checked in the service (the decorators here only check types).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { AnswerMode } from './thresholds';

export class AskDto {
  @ApiProperty({ example: '退货期限是多久？' })
  @IsString()
  question: string;

  @ApiPropertyOptional({ description: 'Conversation id, echoed back (multi-turn dialogue uses it)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sessionId?: string;
}

export type AnswerType = 'faq' | 'extracted' | 'fallback';

export interface FaqSource {
  kind: 'faq';
  id: string;
  question: string;
  /** The FAQ answer; for an extracted answer, start/end point into it. */
  text: string;
  documentId: string | null;
  start?: number;
  end?: number;
}

export interface PassageSource {
  kind: 'passage';
  id: string;
  documentId: string;
  fileName: string;
  ordinal: number;
  /** The passage text; `start`/`end` are the answer's UTF-16 offsets into it. */
  text: string;
  start: number;
  end: number;
  /** The same span as offsets into the document's extracted text. */
  documentStart: number;
  documentEnd: number;
}

export interface AnswerAlternative {
  answer: string;
  type: Exclude<AnswerType, 'fallback'>;
  confidence: number;
  source: FaqSource | PassageSource;
}

export interface AskTimings {
  total: number;
  cache: number;
  index: number;
  embed: number;
  faq: number;
  retrieve: number;
  read: number;
}

export interface AskResponse {
  answer: string;
  type: AnswerType;
  mode: AnswerMode;
  source: FaqSource | PassageSource | null;
  confidence: number;
  alternatives: AnswerAlternative[];
  /** Fallback only: FAQ questions the user may have meant. */
  suggestions: string[];
  /** Fallback only: offer a human agent. */
  handoff: boolean;
  timings: AskTimings;
  cached: boolean;
  kbVersion: number;
  sessionId?: string;
}
