/**
 * The customer chat: widget keys (REST: create, list, edit origins, revoke), the socket.io gateway on /chat, the dialogue service, the
 * conversation store and the agents' inbox of left messages (REST). Turns are answered through the
 * same KB answer context as the REST ask.
 */
import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AskModule } from '../ask/ask.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { ChatGateway } from './chat.gateway';
import { ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';
import { LeftMessagesController } from './left-messages.controller';
import { LeftMessagesRepository } from './left-messages.repository';
import { LeftMessagesService } from './left-messages.service';
import { WidgetKeysController } from './widget-keys.controller';
import { WidgetKeysRepository } from './widget-keys.repository';
import { WidgetKeysService } from './widget-keys.service';

@Module({
  imports: [AskModule, KnowledgeBasesModule, AnalyticsModule],
  controllers: [WidgetKeysController, LeftMessagesController],
  providers: [
    ChatGateway,
    ChatService,
    ChatRepository,
    LeftMessagesService,
    LeftMessagesRepository,
    WidgetKeysService,
    WidgetKeysRepository,
  ],
  // The demo seeder creates the demo page's widget key through the service (same origin checks).
  exports: [ChatService, WidgetKeysService],
})
export class ChatModule {}
