/**
 * The agents' inbox of messages customers left while no agent was online: listed for the
 * organisations (a KB-scoped API key: the KB) the caller serves as an agent, as the chat socket
 * decides it, and marked handled (or back) by one agent for all — the others online hear of it, and
 * the audit log of the message's organisation records it.
 */
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { describeAudit } from '../audit/audit-in-flight';
import type { Caller } from '../auth/caller';
import type { ListPage } from '../common/list-query.dto';
import { agentScopeOf } from './agent-scope';
import type { ChatOutbox } from './chat-outbox';
import type { LeftMessageListQueryDto } from './left-message.dto';
import { leftMessageView, type LeftMessageView } from './left-message';
import { LeftMessagesRepository, type LeftMessageRecord } from './left-messages.repository';

@Injectable()
export class LeftMessagesService {
  constructor(private readonly repository: LeftMessagesRepository) {}

  async list(caller: Caller, query: LeftMessageListQueryDto): Promise<ListPage<LeftMessageView>> {
    const page = await this.repository.list(this.scope(caller), query);
    return { total: page.total, items: page.items.map(leftMessageView) };
  }

  async mark(
    caller: Caller,
    sessionId: string,
    seq: number,
    handled: boolean,
    out: ChatOutbox,
  ): Promise<LeftMessageView> {
    const scope = this.scope(caller);
    // The audit log keeps who marked it and when, not the customer's text and contact details: the
    // log outlives the conversation (a KB's deletion takes its conversations, not its audit rows).
    const mark = (m: LeftMessageRecord) => ({
      sessionId: m.sessionId,
      seq: m.seq,
      handled: m.handledAt !== null,
      handledAt: m.handledAt,
      handledBy: m.handledBy,
    });
    const marked = await this.repository.mark(scope, sessionId, seq, handled, scope.name, (before) =>
      describeAudit({
        organisationId: before.organisationId,
        kbId: before.kbId,
        targetId: `${sessionId}/${seq}`,
        before: mark(before),
      }),
    );
    // Another organisation's message, or one that is not a left message, is not found alike.
    if (!marked) throw new NotFoundException(`session ${sessionId} has no left message ${seq}`);
    describeAudit({ after: mark(marked) });
    const view = leftMessageView(marked);
    out.toAgents(
      { kbId: marked.kbId, organisationId: marked.organisationId },
      'agent:left-message-handled',
      view,
    );
    return view;
  }

  private scope(caller: Caller) {
    const scope = agentScopeOf(caller);
    // The access rule lets no one else in; kept so the service never lists with an empty scope's meaning.
    if (!scope.organisationIds.length)
      throw new ForbiddenException('this needs the agent role (or above) in an organisation');
    return scope;
  }
}
