/**
 * The unanswered inbox: recent fallback and thumbs-down questions of a KB, minus those an enabled
 * FAQ entry now phrases exactly, grouped by similarity (sentence embeddings when an encoder is
 * loaded, lexical otherwise), biggest group first.
 */
import { Injectable } from '@nestjs/common';
import { normalizeQuestion } from '@wendao/text';
import type { Embedder } from '@wendao/encoder';
import type { ListPage } from '../common/list-query.dto';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { ModelsService } from '../models/models.service';
import { groupQuestions, type QuestionGroup, type UnansweredQuestion } from './question-groups';
import type { UnansweredQueryDto } from './unanswered-query.dto';
import { UnansweredRepository } from './unanswered.repository';

/** The newest questions read per request: grouping is quadratic in distinct phrasings. */
const MAX_QUESTIONS = 3000;
const DAY_MS = 86_400_000;

export interface UnansweredGroupView extends QuestionGroup {
  /** Up to five phrasings to show. */
  examples: string[];
}

@Injectable()
export class UnansweredService {
  constructor(
    private readonly kbs: KnowledgeBasesService,
    private readonly models: ModelsService,
    private readonly unanswered: UnansweredRepository,
  ) {}

  async groups(kbId: string, query: UnansweredQueryDto): Promise<ListPage<UnansweredGroupView>> {
    const kb = await this.kbs.require(kbId);
    const since = new Date(Date.now() - (query.days ?? 30) * DAY_MS);
    // A question an enabled entry now phrases exactly is answered; a voted-down answer stays in the
    // inbox until its entry is edited after the vote.
    const covered = new Map<string, number>();
    for (const { phrasing, updatedAt } of await this.unanswered.faqPhrasings(kbId)) {
      const key = normalizeQuestion(phrasing);
      covered.set(key, Math.max(covered.get(key) ?? 0, updatedAt.getTime()));
    }
    const questions: UnansweredQuestion[] = (await this.unanswered.recent(kbId, since, MAX_QUESTIONS))
      .map((row) => ({ ...row, question: row.question.trim(), normalized: normalizeQuestion(row.question) }))
      .filter((q) => {
        const changed = covered.get(q.normalized);
        if (!q.normalized) return false;
        return changed === undefined || (q.reason === 'thumbs_down' && q.at.getTime() > changed);
      });
    await this.embed(questions, this.models.encoderFor(kb.language));
    const all = groupQuestions(questions);
    const offset = query.offset ?? 0;
    const page = all.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
    return { total: all.length, items: page.map((g) => ({ ...g, examples: g.questions.slice(0, 5) })) };
  }

  private async embed(questions: UnansweredQuestion[], encoder: Embedder | undefined): Promise<void> {
    if (!encoder || questions.length === 0) return;
    const distinct = [...new Set(questions.map((q) => q.normalized))];
    const { vectors } = await encoder.embed(distinct);
    const byText = new Map(distinct.map((text, i) => [text, vectors[i]]));
    for (const q of questions) q.vector = byText.get(q.normalized);
  }
}
