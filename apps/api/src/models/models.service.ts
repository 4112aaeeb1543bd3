/**
 * Finds and loads the ONNX models the API answers with: a sentence encoder (embeddings for
 * retrieval and FAQ matching) and an extractive QA reader. No models means lexical mode:
 * BM25 retrieval and the answer-type lexical reader. The mode is logged and shown in /health.
 */
import { existsSync, statSync } from 'node:fs';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  ANSWER_LANGUAGES,
  AnswerPipeline,
  loadAnswerModels,
  type AnswerLanguage,
  type AnswerMode,
  type AnswerModels,
  type AnswerModelUsed,
} from '@wendao/answer';
import type { Embedder } from '@wendao/encoder';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** A loaded model as /health lists it: the loader's record without its role and layout note. */
export type LoadedModelInfo = Omit<AnswerModelUsed, 'role' | 'layoutNote'>;

@Injectable()
export class ModelsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ModelsService');
  private loadedModels?: AnswerModels;
  private answerPipeline?: AnswerPipeline;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    // A mistyped WENDAO_MODELS_DIR is not "no models yet": say so, but start (lexical mode), as tests
    // and model-less installs rely on.
    const dir = this.config.modelsDir;
    const folderMissing = !existsSync(dir) || !statSync(dir).isDirectory();
    if (folderMissing)
      this.logger.warn(
        `WENDAO_MODELS_DIR: the models folder ${dir} does not exist (or is not a folder); ` +
          'starting in lexical mode. Set WENDAO_MODELS_DIR to the folder that holds the models, or create it with `npx wendao models pull` in the Wendao folder',
      );
    const models = await loadAnswerModels({
      modelsDir: this.config.modelsDir,
      encoder: this.config.encoderModel ?? true,
      reader: this.config.readerModel ?? true,
      preferInt8: this.config.preferInt8,
      threads: this.config.onnxThreads || undefined,
      packed: this.config.packedLayout,
      embeddingCacheSize: this.config.embeddingCacheSize,
      encoderThread: this.config.encoderThread,
      onSkip: (dir, reason) => this.logger.warn(`skipping ${dir}: ${reason}`),
    });
    this.loadedModels = models;
    for (const m of models.used) {
      const role = m.role === 'embedder' ? 'encoder' : m.role;
      const serves = m.serves ? ` for ${m.serves.join(', ')} KBs` : '';
      this.logger.log(`${role} ${m.modelId}${serves} runs the ${m.layout} layout${m.layoutNote ? ` (${m.layoutNote})` : ''}`);
    }
    this.answerPipeline = new AnswerPipeline({
      embedder: models.embedders,
      reader: models.readers,
      readerPassages: this.config.readerPassages,
    });
    this.logger.log(
      models.used.length
        ? `answer mode ${this.mode} (${this.modesByLanguage()}): ${this.models.map((m) => `${m.task}=${m.id}`).join(', ')}`
        : `answer mode lexical: ${folderMissing ? `no models folder ${dir}` : `no models in ${dir}`} (BM25 retrieval + lexical reader)`,
    );
  }

  /**
   * What each KB language runs, for the start-up log: "answer mode lexical" alone would hide that FAQ
   * matching is neural when only an embedder (no extractive QA model) was found.
   */
  private modesByLanguage(): string {
    return ANSWER_LANGUAGES.map((language) => {
      const { faq, answer } = this.pipeline.scoreModes(language);
      return `${language} KBs: FAQ matching ${faq}, reader ${answer}`;
    }).join('; ');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loadedModels?.close();
  }

  /** neural when an extractive QA model reads for some KB language; lexical otherwise. */
  get mode(): AnswerMode {
    const readers = this.loadedModels ? Object.values(this.loadedModels.readers) : [];
    return readers.some((r) => r.mode === 'neural') ? 'neural' : 'lexical';
  }

  /**
   * Which kind of score each decision compares for a KB in `language`: FAQ confidence (cosine vs
   * lexical) and its reader's probability.
   */
  scoreModes(language: AnswerLanguage): { faq: AnswerMode; answer: AnswerMode } {
    return this.pipeline.scoreModes(language);
  }

  /** The answer pipeline over the loaded models (available once the module has initialised). */
  get pipeline(): AnswerPipeline {
    if (!this.answerPipeline) throw new Error('models are not loaded yet');
    return this.answerPipeline;
  }

  /** Identifies the loaded models, so cached answers from another model set are never reused. */
  get signature(): string {
    return this.models.map((m) => m.modelId).join('+') || 'lexical';
  }

  /** The sentence encoder of a KB in `language` (undefined: that KB matches and retrieves lexically). */
  encoderFor(language: AnswerLanguage): Embedder | undefined {
    return this.loadedModels?.embedders[language];
  }

  get models(): LoadedModelInfo[] {
    return (this.loadedModels?.used ?? []).map(({ id, modelId, task, dir, quantized, layout, serves }) => ({
      id,
      modelId,
      task,
      dir,
      quantized,
      layout,
      ...(serves ? { serves } : {}),
    }));
  }
}
