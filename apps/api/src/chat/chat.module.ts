/**
 * The customer chat: widget keys (REST), the socket.io gateway on /chat, the dialogue service and the
 * conversation store. Turns are answered through the same KB answer context as the REST ask.
 */
import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AskModule } from '../ask/ask.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { ChatGateway } from './chat.gateway';
import { ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';
import { WidgetKeysController } from './widget-keys.controller';

@Module({
  imports: [AskModule, KnowledgeBasesModule, AnalyticsModule],
  controllers: [WidgetKeysController],
  providers: [ChatGateway, ChatService, ChatRepository],
  // The demo seeder creates the demo page's widget key through the service (same origin checks).
  exports: [ChatService],
})
export class ChatModule {}
