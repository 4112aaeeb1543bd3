/**
 * The API's root module: one module per domain, configured from the one AppConfig object.
 */
import { DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { AskModule } from './ask/ask.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CacheModule } from './cache/cache.module';
import { ChatModule } from './chat/chat.module';
import { ConversationsModule } from './conversations/conversations.module';
import type { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { DocumentsModule } from './documents/documents.module';
import { FaqsModule } from './faqs/faqs.module';
import { HealthModule } from './health/health.module';
import { IndexesModule } from './indexes/indexes.module';
import { IntentsModule } from './intents/intents.module';
import { KnowledgeBasesModule } from './knowledge-bases/knowledge-bases.module';
import { MetricsModule } from './metrics/metrics.module';
import { ModelsModule } from './models/models.module';
import { UnansweredModule } from './unanswered/unanswered.module';
import { RateLimitModule } from './rate-limits/rate-limit.module';
import { WidgetModule } from './widget/widget.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        MetricsModule,
        // First, so its guard counts a request before any other guard (auth) can refuse it.
        RateLimitModule,
        DatabaseModule.forRoot(config.databaseUrl),
        AuthModule,
        AuditModule,
        CacheModule,
        ModelsModule,
        IndexesModule,
        KnowledgeBasesModule,
        FaqsModule,
        IntentsModule,
        DocumentsModule,
        AskModule,
        ChatModule,
        HealthModule,
        DemoModule,
        WidgetModule,
        ConversationsModule,
        UnansweredModule,
        AdminModule,
      ],
    };
  }
}
