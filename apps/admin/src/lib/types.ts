/**
 * The API's shapes as the console reads them (docs/api.md). What the answer pipeline returns is typed
 * by the pipeline's own declarations (type-only: nothing of the lib is bundled).
 */
import type {
  AnswerDecision,
  AnswerEvidence,
  AnswerMode,
  AnswerThresholds,
  AnswerType,
  ClarifyOption,
} from '../../../../libs/answer/src/answer-outcome';
import type { Role } from './roles';

export type { AnswerDecision, AnswerMode, AnswerType };
export type Language = 'zh' | 'en' | 'mixed';
/** The four thresholds every KB has (the fallback's suggestion floor, `suggest`, is set by calibration alone). */
export type ThresholdName = Exclude<keyof AnswerThresholds, 'suggest'>;

export interface ThresholdSource {
  value: number;
  source: 'admin' | 'calibrated' | 'default';
}

export interface KbSettings {
  chunkTargetLength?: number;
  chunkMaxLength?: number;
  chunkOverlap?: number;
  fallbackMessage?: string;
  targetPrecision?: number;
}

export interface KnowledgeBase {
  id: string;
  organisationId?: string;
  name: string;
  language: Language;
  faqThreshold: number | null;
  answerThreshold: number | null;
  /** `suggest` only where calibration set it (neural FAQ matching). */
  effectiveThresholds: Record<ThresholdName, number> & { suggest?: number };
  /** `suggest`: the fallback's suggestion floor (from servers since 2c121d5), calibrated or default. */
  thresholdSources: Record<ThresholdName, ThresholdSource> & { suggest?: ThresholdSource };
  calibration: {
    calibrated: boolean;
    calibratedAt: string;
    /** The KB version it was calibrated on (absent from older servers). */
    kbVersion?: number;
    /** The answer modes it was calibrated for (absent from older servers). */
    modes?: { faq: AnswerMode; answer: AnswerMode };
    thresholds?: Record<ThresholdName, number>;
    report: CalibrationReport;
  } | null;
  /** The reader's mode; `modes` has FAQ matching's too. */
  mode: AnswerMode;
  /** What answers the KB: FAQ matching (neural with an encoder for its language) and the reader. */
  modes: { faq: AnswerMode; answer: AnswerMode };
  /** The language the KB's content is written in (null: too little to tell). */
  contentLanguage: Language | null;
  settings: KbSettings;
  /** What each setting the KB leaves unset falls back to. */
  settingDefaults: Required<Omit<KbSettings, 'fallbackMessage'>> & {
    /** The default reply in each language the KB answers in, when it has questions to suggest. */
    fallbackMessages: string[];
    /** The same, when it has none (it asks to rephrase instead). */
    fallbackMessagesWithoutSuggestions: string[];
  };
  version: number;
  counts: { faqs: number; documents: number; passages: number };
  createdAt: string;
  updatedAt: string;
}

export interface FaqEntry {
  id: string;
  kbId: string;
  documentId: string | null;
  question: string;
  alternates: string[];
  answer: string;
  tags: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SourceDocument {
  id: string;
  fileName: string;
  type: string;
  mime: string;
  sha256: string;
  sizeBytes: number;
  faqCount: number;
  passageCount: number;
  createdAt: string;
}

export interface Passage {
  id: string;
  ordinal: number;
  text: string;
  start: number;
  end: number;
  embeddingModel: string | null;
}

export interface Job {
  id: string;
  kbId: string;
  file: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: { parsed: number; chunked: number; embedded: number; indexed: number; total: number };
  counts: { faqs: number; passages: number };
  documentId: string | null;
  duplicate: boolean;
  warnings: string[];
  /** The same warnings as data, in order (docs/api.md, "What a job warns about: codes"); absent on jobs stored before codes. */
  warningCodes?: { code: string; values: Record<string, unknown> }[];
  error?: string | null;
  /** The failure as data (docs/api.md, "Why an upload failed: codes"); absent on jobs failed before codes. */
  errorCode?: string;
  errorValues?: Record<string, unknown>;
}

export interface AnswerSource {
  kind: 'faq' | 'passage';
  id: string;
  question?: string;
  documentId?: string | null;
  fileName?: string;
  ordinal?: number;
  text: string;
  start?: number;
  end?: number;
}

export interface AskResponse {
  answer: string;
  type: AnswerType;
  mode: AnswerMode;
  source: AnswerSource | null;
  confidence: number;
  alternatives: { answer: string; type: AnswerType; confidence: number; source: AnswerSource | null }[];
  options: ClarifyOption[];
  suggestions: string[];
  handoff: boolean;
  answerType?: string;
  rewrittenQuestion?: string | null;
  evidence: {
    thresholds: Record<ThresholdName, number>;
    /** `score` fused (what the thresholds compare), `lexical` Dice, `bm25` character BM25 as a share of its maximum, `vector` cosine (neural). */
    faqCandidates: {
      faqId: string;
      question: string;
      score: number;
      lexical: number;
      bm25?: number;
      vector?: number;
      phrasing: number;
    }[];
    passages: AnswerEvidence['passages'];
    readerConfidence?: number;
    /** English words typo tolerance read as the KB's ('lnog' as 'long'); absent when none were. */
    corrections?: { from: string; to: string; distance: number }[];
    corrected?: string;
    /** Absent in answers cached or stored before decisions existed: show `reason` then. */
    decision?: AnswerDecision;
    /** The decision in English words. */
    reason: string;
  };
  timings: Record<string, number>;
  cached: boolean;
  kbVersion: number;
}

export interface AuthSession {
  user: { id: string; email: string; name: string };
  memberships: { organisationId: string; organisationName: string; role: string }[];
  csrfToken: string;
}

export interface ConversationSummary {
  id: string;
  status: 'open' | 'ended';
  agentId: string | null;
  firstQuestion: string | null;
  messages: number;
  customerMessages: number;
  answered: number;
  fallbacks: number;
  handoffs: number;
  feedback: { up: number; down: number };
  createdAt: string;
  updatedAt: string;
}

export interface TranscriptMessage {
  seq: number;
  role: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  payload: {
    kind?: string;
    type?: AnswerType | null;
    confidence?: number | null;
    rewrittenQuestion?: string | null;
    reason?: string;
    decision?: AnswerDecision;
    source?: AnswerSource | null;
    agentId?: string;
    event?: string;
    /** Customer: a message left for an agent while none was online. */
    leftForAgent?: boolean;
  } | null;
  feedback: { vote: 'up' | 'down'; comment: string | null } | null;
  /** Bot replies: the intent the customer's question was labelled with, if any. */
  intent?: string | null;
  /** A left message: when an agent marked it handled, and who (null while it waits). */
  handledAt?: string | null;
  handledBy?: string | null;
  createdAt: string;
}

export interface Transcript {
  id: string;
  status: 'open' | 'ended';
  agentId: string | null;
  createdAt: string;
  updatedAt: string;
  messages: TranscriptMessage[];
}

export interface UnansweredGroup {
  id: string;
  representative: string;
  count: number;
  fallbacks: number;
  thumbsDown: number;
  questions: string[];
  examples: string[];
  lastAskedAt: string;
}

export interface Intent {
  id: string;
  kbId: string;
  name: string;
  description: string | null;
  exampleCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface IntentExample {
  id: string;
  intentId: string;
  text: string;
  createdAt: string;
}

/** POST /api/kbs/:id/intents/import. */
export interface IntentImportResult {
  intentsCreated: number;
  examplesAdded: number;
  duplicatesSkipped: number;
  /** What the file warns about (a GBK file), in English; `warningCodes` the same as data, in order. */
  warnings: string[];
  warningCodes: { code: string; values: Record<string, unknown> }[];
}

/** GET /api/kbs/:id/intents/model. */
export interface IntentModelStatus {
  revision: number;
  trainedRevision: number | null;
  training: boolean;
  trained: boolean;
  source: 'trained' | 'stored' | null;
  intents: string[];
  examples: number;
  /** The cut of the classifier in force: the retrained one's where self-training applied. */
  threshold: number | null;
  /** The classifier in force's calibration temperature and C (absent from older servers). */
  temperature?: number | null;
  c?: number | null;
  /** Cross-validated on the labels: always the labels-only classifier's, also after a retraining. */
  inScopeAccuracy: number | null;
  outOfScopeRecall: number | null;
  /** The classifier trained on the labels alone (absent from older servers). */
  labelsOnly?: IntentModelFigures | null;
  usesEmbedder: boolean;
  embedder: string | null;
  trainedAt: string | null;
  trainMillis: number | null;
  lastError: { message: string; at: string } | null;
  /** Absent from servers before traffic weighting; null until the first estimate. */
  traffic?: IntentTraffic | null;
  /** Absent from servers before self-training; null until the first estimate, or when it is off. */
  selfTraining?: IntentSelfTraining | null;
}

/** What the KB's logged questions said about the intents' mix (GET /api/kbs/:id/intents/model). */
export interface IntentTraffic {
  questions: number;
  applied: boolean;
  rule: 'applied' | 'few-questions' | 'close-to-labels' | 'no-class-counts';
  reason: string;
  minQuestions: number;
  minTotalVariation: number;
  totalVariation: number;
  shares: Array<{ intent: string; labelled: number; traffic: number }>;
  estimatedAt: string;
}

/**
 * Whether the classifier trained again on the logged questions it accepted (at the traffic estimate).
 * `questions`: distinct logged questions that are not examples (0 when the traffic check stopped first);
 * `pseudoLabelled`: those it accepted and trained on.
 */
export interface IntentSelfTraining {
  questions: number;
  pseudoLabelled: number;
  applied: boolean;
  rule: 'applied' | 'few-questions' | 'traffic-weighed' | 'no-class-counts';
  reason: string;
  minQuestions: number;
  at: string;
  /**
   * Once retrained: whether the retrained classifier (the one in force) kept the labels-only cut or
   * had it chosen again on the labels and the accepted questions; null otherwise, absent from older servers.
   */
  cut?: 'kept' | 'chosen-again' | null;
  /** The retrained classifier's figures; null where it did not retrain, absent from older servers. */
  retrained?: IntentModelFigures | null;
}

/** One classifier's training and out-of-scope cut (GET /api/kbs/:id/intents/model). */
export interface IntentModelFigures {
  /** Labelled examples, the intents' names and descriptions, and (retrained) the accepted questions. */
  trainedOn: number;
  threshold: number;
  temperature: number;
  c: number;
  /** Cross-validated when its cut was chosen; null where the cut was kept. */
  inScopeAccuracy: number | null;
  outOfScopeRecall: number | null;
}

export interface IntentLabel {
  intent: string | null;
  confidence: number;
}

/** A KB's calibration report as the API returns it (fields after `targetReached` are missing in old reports). */
export interface CalibrationReport {
  reason: string;
  targetPrecision: number;
  targetReached: boolean;
  probeTarget?: number;
  positives?: number;
  negatives?: number;
  precision?: number;
  /** Questions the KB does not cover (a test question with its entry left out) answered or clarified. */
  uncoveredNotFallingBack?: number;
}

/** A KB's widget key (GET /api/kbs/:id/widget-keys): the public key a page's chat widget connects with. */
export interface WidgetKey {
  id: string;
  key: string;
  kbId: string;
  /** The admin's label for the key; null: none (absent from older servers). */
  name?: string | null;
  /** Empty: any website may use the key. */
  allowedOrigins: string[];
  createdAt: string;
  /** Last connection with the key, to the minute; null: never (absent from older servers). */
  lastUsedAt?: string | null;
  /** Set once revoked (absent from older servers). */
  revokedAt?: string | null;
}

/**
 * An organisation's API key (GET /api/organisations/:orgId/api-keys): never the key itself, only the
 * prefix the server keeps to tell keys apart.
 */
export interface ApiKey {
  id: string;
  /** '' when the owner gave none. */
  name: string;
  /** `wdk_` and the key's next six characters. */
  prefix: string;
  /** null: every KB of the organisation. */
  kbId: string | null;
  role: 'viewer' | 'agent' | 'editor';
  createdAt: string;
  /** To the minute; null: never used. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key just created (POST /api/organisations/:orgId/api-keys): the only answer with the whole key. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

/** A member of an organisation (GET /api/organisations/:orgId/users). */
export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  since: string;
}

/** A row of GET /api/organisations/:orgId/audit-log: one change, newest first. */
export interface AuditEntry {
  id: string;
  /** The user's email, `API key <id>`, or who else wrote it (`Wendao upgrade`). */
  actor: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  /** The route (`PATCH /api/kbs/:id/faqs/:faqId`), or `upgrade <migration>`. */
  action: string;
  kbId: string | null;
  /** The KB's name now, or a deleted KB's as its rows last recorded it (null: none recorded). */
  kbName: string | null;
  kbDeleted: boolean;
  targetId: string | null;
  before: unknown;
  after: unknown;
  createdAt: string;
}

/** A KB the audit log names (GET /api/organisations/:orgId/audit-log/kbs), deleted ones too. */
export interface AuditKb {
  id: string;
  name: string | null;
  deleted: boolean;
}
