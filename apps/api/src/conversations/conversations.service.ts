/**
 * Chat transcripts for the admin console: the KB must exist, a conversation of another KB is unknown.
 */
import { Injectable, NotFoundException } from '@nestjs/common';
import type { ListPage } from '../common/list-query.dto';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import type { ConversationListQueryDto } from './conversation-query.dto';
import {
  ConversationsRepository,
  type ConversationSummary,
  type Transcript,
} from './conversations.repository';

@Injectable()
export class ConversationsService {
  constructor(
    private readonly kbs: KnowledgeBasesService,
    private readonly conversations: ConversationsRepository,
  ) {}

  async list(kbId: string, query: ConversationListQueryDto): Promise<ListPage<ConversationSummary>> {
    await this.kbs.require(kbId);
    return this.conversations.list(kbId, query);
  }

  async transcript(kbId: string, conversationId: string): Promise<Transcript> {
    await this.kbs.require(kbId);
    const found = await this.conversations.transcript(kbId, conversationId);
    if (!found) throw new NotFoundException(`conversation ${conversationId} not found`);
    return found;
  }
}
