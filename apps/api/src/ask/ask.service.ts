/**
 * Asking a KB over REST: validate the question, answer from the cache when the same question was
 * answered at this KB version with these thresholds and models, else wait for the KB's index and run
 * the answer pipeline (@wendao/answer) with the thresholds in force. The decision itself is the
 * pipeline's; this service only adds the cache, the index lookup and the HTTP errors. Every question
 * is recorded for the analytics except a trial (the test console's): an admin trying the KB out is
 * not a customer, and would otherwise fill the unanswered inbox with their own test questions.
 */
import { performance } from 'node:perf_hooks';
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { letterlessReplyLanguage } from '@wendao/answer';
import { normalizeQuestion } from '@wendao/text';
import { askQuestionEvent } from '../analytics/question-event';
import { QuestionEventRecorder } from '../analytics/question-event-recorder';
import { ANSWER_CACHE, type AnswerCache } from '../cache/answer-cache';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { WendaoMetrics } from '../metrics/wendao-metrics';
import { ModelsService } from '../models/models.service';
import type { AskResponse, AskTimings } from './ask.dto';
import { KbAnswerContextService } from './kb-answer-context.service';

const round = (ms: number) => Math.round(ms * 10) / 10;

@Injectable()
export class AskService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ANSWER_CACHE) private readonly cache: AnswerCache,
    private readonly contexts: KbAnswerContextService,
    private readonly models: ModelsService,
    private readonly questions: QuestionEventRecorder,
    private readonly metrics: WendaoMetrics,
  ) {}

  async ask(
    kbId: string,
    rawQuestion: string,
    sessionId?: string,
    { trial = false, language }: { trial?: boolean; language?: 'zh' | 'en' } = {},
  ): Promise<AskResponse> {
    const started = performance.now();
    const question = (rawQuestion ?? '').trim();
    if (!question) throw new BadRequestException('question must not be empty');
    // Characters as a customer counts them (an emoji is one), not UTF-16 units.
    const length = [...question].length;
    if (length > this.config.maxQuestionLength)
      throw new BadRequestException(
        `question is too long (${length} characters; the limit is ${this.config.maxQuestionLength})`,
      );
    const context = await this.contexts.forKb(kbId);
    const { kb, pipeline, thresholds } = context;
    const normalized = normalizeQuestion(question);
    if (!normalized) throw new BadRequestException('question has no words in it');
    const session = sessionId ? { sessionId } : {};
    // Only a mixed KB's question without letters is answered differently by language (and cached apart).
    const replyLanguage = kb.language === 'mixed' ? letterlessReplyLanguage(question, language) : undefined;

    let t = performance.now();
    const key = [
      kb.id,
      kb.version,
      thresholds.faq,
      thresholds.answer,
      thresholds.clarify,
      thresholds.margin,
      kb.settings.fallbackMessage ?? '',
      this.models.signature,
      replyLanguage ?? '',
      normalized,
    ].join('\u0000');
    const cached = await this.cache.get<AskResponse>(key);
    const cacheMs = round(performance.now() - t);
    if (cached) {
      // This request's timings: the stages that made the cached answer did not run for it.
      const timings: AskTimings = { ...cached.timings };
      for (const stage of Object.keys(timings) as (keyof AskTimings)[]) timings[stage] = 0;
      timings.cache = cacheMs;
      timings.total = round(performance.now() - started);
      if (!trial) this.questions.record(askQuestionEvent(kb.id, question, cached, timings.total, sessionId));
      this.metrics.asks.inc({ type: cached.type, mode: cached.mode, cache: 'hit' });
      return { ...cached, cached: true, timings, ...session };
    }

    t = performance.now();
    const index = await context.index();
    const indexMs = round(performance.now() - t);

    const outcome = await pipeline.run({
      question,
      index,
      thresholds,
      language: kb.language,
      replyLanguage,
      fallbackMessage: kb.settings.fallbackMessage,
    });
    const timings: AskTimings = { ...outcome.timings, cache: cacheMs, index: indexMs, total: 0 };
    const response: AskResponse = { ...outcome, timings, cached: false };
    // Cached without the session id: the answer depends on the question and KB state only.
    await this.cache.set(key, response);
    timings.total = round(performance.now() - started);
    if (!trial) this.questions.record(askQuestionEvent(kb.id, question, response, timings.total, sessionId));
    this.metrics.asks.inc({ type: response.type, mode: response.mode, cache: 'miss' });
    return { ...response, ...session };
  }
}
