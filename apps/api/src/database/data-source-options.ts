/**
 * TypeORM options shared by the app and tooling: entities and migration classes are imported
 * directly (no globs), so the same list works from TypeScript in tests and from the swc build.
 */
import type { DataSourceOptions } from 'typeorm';
import { InitialSchema1764000000000 } from '../../../../migrations/1764000000000-initial-schema';
import { JobAttemptsFaqOrdinals1765000000000 } from '../../../../migrations/1765000000000-job-attempts-faq-ordinals';
import { KbCalibration1765100000000 } from '../../../../migrations/1765100000000-kb-calibration';
import { Chat1765200000000 } from '../../../../migrations/1765200000000-chat';
import { QuestionEvent1765400000000 } from '../../../../migrations/1765400000000-question-event';
import { QuestionEventRollups1765400000001 } from '../../../../migrations/1765400000001-question-event-rollups';
import { QuestionIntentDaily1765400000002 } from '../../../../migrations/1765400000002-question-intent-daily';
import { Intents1765500000000 } from '../../../../migrations/1765500000000-intents';
import { IntentExampleOrder1765500000001 } from '../../../../migrations/1765500000001-intent-example-order';
import { Access1765300000000 } from '../../../../migrations/1765300000000-access';
import { AuditLog1765310000000 } from '../../../../migrations/1765310000000-audit-log';
import { KbVersionNotify1765600000000 } from '../../../../migrations/1765600000000-kb-version-notify';
import { IntentModel1766200000000 } from '../../../../migrations/1766200000000-intent-model';
import { QuestionFeedbackHourly1766200000001 } from '../../../../migrations/1766200000001-question-feedback-hourly';
import { LeftMessageHandled1766300000000 } from '../../../../migrations/1766300000000-left-message-handled';
import { WidgetKeyRevocation1766400000000 } from '../../../../migrations/1766400000000-widget-key-revocation';
import { JobErrorCode1766500000000 } from '../../../../migrations/1766500000000-job-error-code';
import { WidgetKeyName1766600000000 } from '../../../../migrations/1766600000000-widget-key-name';
import { JobWarningCodes1766600001000 } from '../../../../migrations/1766600001000-job-warning-codes';
import { ConversationAgentPrincipal1766700100000 } from '../../../../migrations/1766700100000-conversation-agent-principal';
import { WidgetKeyOriginsEdited1766800000000 } from '../../../../migrations/1766800000000-widget-key-origins-edited';
import { FeedbackOnAnswersOnly1766900000000 } from '../../../../migrations/1766900000000-feedback-on-answers-only';
import { QuestionEventMessageOutcomeIndex1766900000001 } from '../../../../migrations/1766900000001-question-event-message-outcome-index';
import { DropDocumentFaqCount1767000000000 } from '../../../../migrations/1767000000000-drop-document-faq-count';
import { KbNameUnique1767100000000 } from '../../../../migrations/1767100000000-kb-name-unique';
import { AuditLogKbName1767200000000 } from '../../../../migrations/1767200000000-audit-log-kb-name';
import { FaqEntry } from '../faqs/faq-entry.entity';
import { IngestionJob } from '../documents/ingestion-job.entity';
import { KnowledgeBase } from '../knowledge-bases/knowledge-base.entity';
import { Passage } from '../documents/passage.entity';
import { SourceDocument } from '../documents/source-document.entity';

export const ENTITIES = [KnowledgeBase, FaqEntry, SourceDocument, Passage, IngestionJob];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [
      InitialSchema1764000000000,
      JobAttemptsFaqOrdinals1765000000000,
      KbCalibration1765100000000,
      Chat1765200000000,
      QuestionEvent1765400000000,
      QuestionEventRollups1765400000001,
      QuestionIntentDaily1765400000002,
      Intents1765500000000,
      IntentExampleOrder1765500000001,
      Access1765300000000,
      AuditLog1765310000000,
      KbVersionNotify1765600000000,
      IntentModel1766200000000,
      QuestionFeedbackHourly1766200000001,
      LeftMessageHandled1766300000000,
      WidgetKeyRevocation1766400000000,
      JobErrorCode1766500000000,
      WidgetKeyName1766600000000,
      JobWarningCodes1766600001000,
      ConversationAgentPrincipal1766700100000,
      WidgetKeyOriginsEdited1766800000000,
      FeedbackOnAnswersOnly1766900000000,
      QuestionEventMessageOutcomeIndex1766900000001,
      DropDocumentFaqCount1767000000000,
      KbNameUnique1767100000000,
      AuditLogKbName1767200000000,
    ],
    migrationsRun: true,
    synchronize: false,
    extra: { max: 10 },
  };
}
