/**
 * Finds and loads the ONNX models the API answers with: a sentence encoder (embeddings for
 * retrieval and FAQ matching) and an extractive QA reader. No models means lexical mode:
 * BM25 retrieval and the answer-type lexical reader. The mode is logged and shown in /health.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AnswerPipeline, type AnswerMode } from '@wendao/answer';
import { SentenceEncoder, type Embedder } from '@wendao/encoder';
import { listModels, resolveModel, type ModelFolder } from '@wendao/models';
import { LexicalReader, NeuralReader, type Reader } from '@wendao/reader';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

export interface LoadedModelInfo {
  /** The folder's name under the models dir (what WENDAO_ENCODER_MODEL / WENDAO_READER_MODEL take). */
  id: string;
  /** The model's own id (stored with embeddings and in index manifests). */
  modelId: string;
  task: string;
  dir: string;
  quantized: boolean;
  /** 'packed' when the fp32 model runs rebuilt without padding, else 'padded' (the file as is). */
  layout: 'packed' | 'padded';
}

@Injectable()
export class ModelsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ModelsService');
  private encoderInstance?: SentenceEncoder;
  private neuralReader?: NeuralReader;
  private readonly lexicalReader = new LexicalReader();
  private readonly loaded: LoadedModelInfo[] = [];
  private answerPipeline?: AnswerPipeline;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const encoderFolder = this.pick('embedder', this.config.encoderModel);
    const readerFolder = this.pick('qa', this.config.readerModel);
    const threads = this.config.onnxThreads || undefined;
    if (encoderFolder) {
      this.encoderInstance = await SentenceEncoder.load(encoderFolder.dir, {
        threads,
        cacheSize: this.config.embeddingCacheSize,
        preferInt8: this.config.preferInt8,
        packed: this.config.packedLayout,
      });
      this.register('encoder', encoderFolder, this.encoderInstance);
    }
    if (readerFolder) {
      const reader = await NeuralReader.load(readerFolder.dir, {
        threads,
        preferInt8: this.config.preferInt8,
        packed: this.config.packedLayout,
      });
      this.neuralReader = reader;
      this.register('reader', readerFolder, reader);
    }
    this.answerPipeline = new AnswerPipeline({
      embedder: this.encoderInstance,
      reader: this.reader,
      readerPassages: this.config.readerPassages,
    });
    this.logger.log(
      this.loaded.length
        ? `answer mode ${this.mode}: ${this.loaded.map((m) => `${m.task}=${m.id}`).join(', ')}`
        : `answer mode lexical: no models in ${this.config.modelsDir} (BM25 retrieval + lexical reader)`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const closable = [this.encoderInstance, this.neuralReader] as { close?: () => Promise<void> }[];
    for (const model of closable) await model?.close?.();
  }

  /** neural when an extractive QA model reads the passages; lexical otherwise. */
  get mode(): AnswerMode {
    return this.neuralReader ? 'neural' : 'lexical';
  }

  /** Which kind of score each decision compares: FAQ confidence (cosine vs lexical) and reader probability. */
  get scoreModes(): { faq: AnswerMode; answer: AnswerMode } {
    return this.pipeline.scoreModes;
  }

  /** The answer pipeline over the loaded models (available once the module has initialised). */
  get pipeline(): AnswerPipeline {
    if (!this.answerPipeline) throw new Error('models are not loaded yet');
    return this.answerPipeline;
  }

  /** Identifies the loaded models, so cached answers from another model set are never reused. */
  get signature(): string {
    return this.loaded.map((m) => m.modelId).join('+') || 'lexical';
  }

  get encoder(): Embedder | undefined {
    return this.encoderInstance;
  }

  get reader(): Reader {
    return this.neuralReader ?? this.lexicalReader;
  }

  get models(): LoadedModelInfo[] {
    return [...this.loaded];
  }

  /** Lists a loaded model (for /health and the cache signature) and logs how it runs. */
  private register(
    role: 'encoder' | 'reader',
    folder: ModelFolder,
    model: { modelId: string; layout: 'packed' | 'padded'; layoutNote?: string },
  ): void {
    const { modelId, layout, layoutNote } = model;
    this.loaded.push({ id: folder.id, modelId, task: folder.task, dir: folder.dir, quantized: folder.quantized, layout });
    this.logger.log(`${role} ${modelId} runs the ${layout} layout${layoutNote ? ` (${layoutNote})` : ''}`);
  }

  /** The configured model (which must exist and fit the task), else the first folder that fits. */
  private pick(task: 'embedder' | 'qa', configured: string | undefined): ModelFolder | undefined {
    const preferInt8 = this.config.preferInt8;
    if (configured) {
      const folder = resolveModel(configured, { modelsDir: this.config.modelsDir, preferInt8 });
      if (!folder) throw new Error(`model "${configured}" not found (looked in ${this.config.modelsDir})`);
      if (folder.task !== task) throw new Error(`model "${configured}" is a ${folder.task} model, expected ${task}`);
      return folder;
    }
    for (const summary of listModels(this.config.modelsDir, { preferInt8 })) {
      if (summary.error !== undefined) this.logger.warn(`skipping ${summary.dir}: ${summary.error}`);
      else if (summary.task === task) return summary;
    }
    return undefined;
  }
}
