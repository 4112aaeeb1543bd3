/**
 * The answer policy. Normalise -> cache -> FAQ match (question, alternates) above the KB's FAQ
 * threshold answers with the FAQ -> otherwise the reader reads the top passages and FAQ answers
 * from hybrid retrieval and an extracted span above the answer threshold answers -> otherwise a
 * fallback with "did you mean" suggestions and a handoff offer. Every stage is timed.
 */
import { performance } from 'node:perf_hooks';
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { normalizeQuestion } from '@wendao/text';
import { faqSimilarity } from '@wendao/retriever';
import { ANSWER_CACHE, type AnswerCache } from '../cache/answer-cache';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { KnowledgeIndex, type IndexedFaq, type ReadablePassage } from '@wendao/answer';
import { KbIndexService } from '../indexes/kb-index.service';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.entity';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { ModelsService } from '../models/models.service';
import type { AnswerAlternative, AskResponse, AskTimings, FaqSource, PassageSource } from './ask.dto';
import { thresholdsFor, type AnswerMode } from './thresholds';

const FAQ_CANDIDATES = 10;
const MAX_ALTERNATIVES = 3;
const MAX_SUGGESTIONS = 3;

interface ScoredFaq {
  faq: IndexedFaq;
  confidence: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function fallbackMessage(kb: KnowledgeBase): string {
  if (kb.settings.fallbackMessage) return kb.settings.fallbackMessage;
  return kb.language === 'en'
    ? "Sorry, I couldn't find an answer to that. Did you mean one of these, or would you like to talk to a person?"
    : '抱歉，没有找到相关答案。您是不是想问下面的问题？也可以转人工客服。';
}

@Injectable()
export class AskService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ANSWER_CACHE) private readonly cache: AnswerCache,
    private readonly kbs: KnowledgeBasesService,
    private readonly indexes: KbIndexService,
    private readonly models: ModelsService,
  ) {}

  async ask(kbId: string, rawQuestion: string, sessionId?: string): Promise<AskResponse> {
    const started = performance.now();
    const question = (rawQuestion ?? '').trim();
    if (!question) throw new BadRequestException('question must not be empty');
    if (question.length > this.config.maxQuestionLength)
      throw new BadRequestException(
        `question is too long (${question.length} characters; the limit is ${this.config.maxQuestionLength})`,
      );
    const kb = await this.kbs.require(kbId);
    const normalized = normalizeQuestion(question);
    if (!normalized) throw new BadRequestException('question has no words in it');
    const thresholds = thresholdsFor(this.models.scoreModes, kb);
    const timings: AskTimings = { total: 0, cache: 0, index: 0, embed: 0, faq: 0, retrieve: 0, read: 0 };

    let t = performance.now();
    const key = [
      kb.id,
      kb.version,
      thresholds.faq,
      thresholds.answer,
      this.models.signature,
      normalized,
    ].join('\u0000');
    const cached = await this.cache.get<AskResponse>(key);
    timings.cache = round(performance.now() - t);
    if (cached) {
      timings.total = round(performance.now() - started);
      return { ...cached, cached: true, timings, ...(sessionId ? { sessionId } : {}) };
    }

    t = performance.now();
    const index = await this.indexes.ensure(kb.id, kb.version);
    timings.index = round(performance.now() - t);

    t = performance.now();
    const encoder = this.models.encoder;
    const questionVector = encoder ? (await encoder.embed([question])).vectors[0] : undefined;
    timings.embed = round(performance.now() - t);

    t = performance.now();
    const faqs = this.scoreFaqs(index, question, questionVector);
    timings.faq = round(performance.now() - t);
    const faqMode: AnswerMode = encoder ? 'neural' : 'lexical';

    let response: Omit<AskResponse, 'timings' | 'cached'>;
    const best = faqs[0];
    if (best && best.confidence >= thresholds.faq) {
      response = {
        answer: best.faq.answer,
        type: 'faq',
        mode: faqMode,
        source: AskService.faqSource(best.faq),
        confidence: round3(best.confidence),
        alternatives: faqs
          .slice(1, 1 + MAX_ALTERNATIVES)
          .filter((f) => f.confidence > 0)
          .map((f) => ({
            answer: f.faq.answer,
            type: 'faq' as const,
            confidence: round3(f.confidence),
            source: AskService.faqSource(f.faq),
          })),
        suggestions: [],
        handoff: false,
        kbVersion: index.version,
      };
    } else {
      t = performance.now();
      const passages = await index.readablePassages(question, this.config.readerPassages, questionVector);
      timings.retrieve = round(performance.now() - t);
      t = performance.now();
      const reader = this.models.reader;
      const result = passages.length
        ? await reader.answer(
            question,
            passages.map((p) => AskService.passageText(p)),
            { topK: MAX_ALTERNATIVES + 1 },
          )
        : { spans: [], noAnswer: { score: 1, probability: 1 }, mode: reader.mode, windows: 0 };
      timings.read = round(performance.now() - t);
      const spans = result.spans.filter((s) => s.text.trim().length > 0);
      const answers: AnswerAlternative[] = [];
      const seen = new Set<string>();
      for (const span of spans) {
        if (seen.has(span.text)) continue;
        seen.add(span.text);
        answers.push({
          answer: span.text,
          type: 'extracted',
          confidence: round3(span.probability),
          source: AskService.spanSource(passages[span.passageIndex], span.start, span.end),
        });
      }
      const top = answers[0];
      if (top && top.confidence >= thresholds.answer) {
        response = {
          answer: top.answer,
          type: 'extracted',
          mode: reader.mode,
          source: top.source,
          confidence: top.confidence,
          alternatives: answers.slice(1, 1 + MAX_ALTERNATIVES),
          suggestions: [],
          handoff: false,
          kbVersion: index.version,
        };
      } else {
        response = {
          answer: fallbackMessage(kb),
          type: 'fallback',
          mode: reader.mode,
          source: null,
          confidence: round3(Math.max(top?.confidence ?? 0, best?.confidence ?? 0)),
          alternatives: answers.slice(0, MAX_ALTERNATIVES),
          suggestions: faqs
            .filter((f) => f.confidence > 0)
            .slice(0, MAX_SUGGESTIONS)
            .map((f) => f.faq.question),
          handoff: true,
          kbVersion: index.version,
        };
      }
    }
    // Cached without the session id: the answer depends on the question and KB state only.
    await this.cache.set(key, { ...response, timings, cached: false });
    timings.total = round(performance.now() - started);
    return { ...response, timings, cached: false, ...(sessionId ? { sessionId } : {}) };
  }

  /** FAQ candidates ranked by confidence: cosine with an encoder, lexical Dice without. */
  private scoreFaqs(index: KnowledgeIndex, question: string, questionVector?: Float32Array): ScoredFaq[] {
    return index
      .faqCandidates(question, FAQ_CANDIDATES, questionVector)
      .map((faq) => ({
        faq,
        confidence: questionVector
          ? Math.max(0, Math.min(1, KnowledgeIndex.bestCosine(questionVector, faq)))
          : Math.max(...[faq.question, ...faq.alternates].map((p) => faqSimilarity(question, p))),
      }))
      .sort((a, b) => b.confidence - a.confidence);
  }

  private static passageText(p: ReadablePassage): string {
    return p.kind === 'passage' ? p.passage.text : p.faq.answer;
  }

  static faqSource(faq: IndexedFaq, start?: number, end?: number): FaqSource {
    return {
      kind: 'faq',
      id: faq.id,
      question: faq.question,
      text: faq.answer,
      documentId: faq.documentId,
      ...(start !== undefined ? { start, end } : {}),
    };
  }

  private static spanSource(p: ReadablePassage, start: number, end: number): FaqSource | PassageSource {
    if (p.kind === 'faq') return AskService.faqSource(p.faq, start, end);
    return {
      kind: 'passage',
      id: p.passage.id,
      documentId: p.passage.documentId,
      fileName: p.passage.fileName,
      ordinal: p.passage.ordinal,
      text: p.passage.text,
      start,
      end,
      documentStart: p.passage.start + start,
      documentEnd: p.passage.start + end,
    };
  }
}
