/**
 * The one place that decides which model folders answer (a named model, else the first folder of
 * the task under the models directory that serves the language, else lexical mode) and loads them:
 * the API, the CLI and every eval go through it, so what is measured runs on exactly the models the
 * server would pick.
 */
import { SentenceEncoder, ThreadedEncoder } from '@wendao/encoder';
import { DEFAULT_CATALOG, findCatalogModel } from '@wendao/hub';
import { listModels, resolveModel, type ModelFolder } from '@wendao/models';
import { LanguageRoutedReader, LexicalReader, NeuralReader, type Reader } from '@wendao/reader';
import { CrossEncoderReranker } from '@wendao/retriever';
import { ANSWER_LANGUAGES, type AnswerLanguage, type AnswerReaders } from './answer-pipeline';

/** The tasks the answer pipeline loads: sentence embedder, extractive QA reader, cross-encoder reranker. */
export type AnswerModelTask = 'embedder' | 'qa' | 'classifier';

export interface PickModelOptions {
  /** Folder of model folders ("<name>" or "<org>/<name>"); absent means only paths can be named. */
  modelsDir?: string;
  /** Use int8 exports where a folder has both (default true). */
  preferInt8?: boolean;
  /** Told about each incomplete folder passed over while looking for the first one of the task. */
  onSkip?: (dir: string, reason: string) => void;
}

/**
 * Languages a model folder serves: its wendao.json `languages`, else the default catalog's for its
 * id (folders pulled before wendao.json recorded them); undefined when neither says.
 */
export function modelLanguages(folder: Pick<ModelFolder, 'id' | 'languages'>): string[] | undefined {
  return folder.languages ?? findCatalogModel(DEFAULT_CATALOG, folder.id)?.languages;
}

/**
 * Whether a folder serves a KB language: one that names no language serves every one; 'mixed' needs
 * both Chinese and English.
 */
export function servesLanguage(
  folder: Pick<ModelFolder, 'id' | 'languages'>,
  language: AnswerLanguage,
): boolean {
  const languages = modelLanguages(folder);
  if (!languages) return true;
  return language === 'mixed'
    ? languages.includes('zh') && languages.includes('en')
    : languages.includes(language);
}

/** A model named for some KB languages; the others pick their own. */
export type ModelsByLanguage = Partial<Record<AnswerLanguage, string>>;

/** A model named for every KB, names per KB language, true: picked per language, false: none. */
export type ModelChoice = string | boolean | ModelsByLanguage;

/**
 * `WENDAO_READER_MODEL=en=readers/medical` (or `zh=a,en=b`): models named per KB language; a value
 * without "=" names one model for every KB. Throws on a language other than zh, en, mixed.
 */
export function parseModelChoice(value: string): string | ModelsByLanguage {
  if (!value.includes('=')) return value.trim();
  const byLanguage: ModelsByLanguage = {};
  for (const part of value.split(',')) {
    const [language, name] = part.split('=').map((s) => s.trim());
    if (!ANSWER_LANGUAGES.includes(language as AnswerLanguage) || !name)
      throw new Error(`expected a model name, or language=name pairs (zh, en, mixed), got "${part.trim()}"`);
    byLanguage[language as AnswerLanguage] = name;
  }
  return byLanguage;
}

/**
 * Loads what to answer with. For each model: a string names it (a folder path, "org/name" or a
 * bare name under modelsDir) and must exist and fit the task; names per KB language name it for
 * those; `true` takes the first folder of the task, if any; `false` loads none.
 */
export interface AnswerModelOptions extends PickModelOptions {
  /** Load no model at all (BM25 retrieval and the lexical reader), whatever modelsDir holds. */
  lexical?: boolean;
  /**
   * The sentence embedder (default true: for each KB language the first one found that serves it; a
   * named one serves every language; names per language serve those, and a mixed KB not named gets
   * the Chinese or English one).
   */
  encoder?: ModelChoice;
  /**
   * The extractive QA reader (default true: for each KB language the first one found that serves it;
   * a named one reads every language; names per language read those, and a mixed KB not named routes
   * between the Chinese and English ones).
   */
  reader?: ModelChoice;
  /** The cross-encoder reranker (default false); loaded only alongside an embedder, which it reranks for. */
  reranker?: string | boolean;
  /** ONNX intra-op threads per model (default: onnxruntime's). */
  threads?: number;
  /** Run fp32 models rebuilt without padding where they match the file (default true). */
  packed?: boolean;
  /** Embeddings the encoder keeps (default the encoder's; 0 turns the cache off). */
  embeddingCacheSize?: number;
  /**
   * Run the encoder on a worker thread of its own (ThreadedEncoder; default false): a server's event
   * loop then never waits for a model run.
   */
  encoderThread?: boolean;
}

/** One loaded model, for records, /health and the answer-cache signature. */
export interface AnswerModelUsed {
  role: 'embedder' | 'reader' | 'reranker';
  /** The folder's name under the models dir ("org/name"), or the folder name for a path. */
  id: string;
  /** Embedders and readers: the KB languages the model serves (a router between two readers serves 'mixed'). */
  serves?: AnswerLanguage[];
  /** The model's own id (what the encoder stores with embeddings and index manifests). */
  modelId: string;
  task: string;
  dir: string;
  quantized: boolean;
  /** 'packed' when the fp32 model runs rebuilt without padding, else 'padded' (the file as is). */
  layout: 'packed' | 'padded';
  /** Why the packed layout was not used, when it was asked for and could not be. */
  layoutNote?: string;
}

/** The loaded encoder, on the calling thread or on its own. */
export type AnswerEncoder = SentenceEncoder | ThreadedEncoder;

export interface AnswerModels {
  /**
   * The sentence encoder for each KB language: the first that serves it (a KB's index holds its
   * vectors); a language none serves matches lexically. A mixed KB embeds with one serving both, else
   * the Chinese one, else the English one.
   */
  embedders: Partial<Record<AnswerLanguage, AnswerEncoder>>;
  reranker?: CrossEncoderReranker;
  /**
   * The reader for each KB language: the neural reader of a QA model that serves it, else the lexical
   * reader (an English SQuAD model does not read Chinese). A mixed KB reads with a model serving both,
   * else with a router between a Chinese and an English one, else with the one neural reader loaded.
   */
  readers: AnswerReaders;
  used: AnswerModelUsed[];
  close(): Promise<void>;
}

const KIND: Record<AnswerModelTask, string> = {
  embedder: 'an embedder',
  qa: 'an extractive QA reader',
  classifier: 'a cross-encoder (classifier)',
};

/** A sentence encoder also runs a bare BERT ('base') with mean pooling, as sentence-transformers does. */
function fits(task: AnswerModelTask, folderTask: string): boolean {
  return folderTask === task || (task === 'embedder' && folderTask === 'base');
}

function haveList(modelsDir: string | undefined, preferInt8: boolean): string {
  const ids = modelsDir
    ? listModels(modelsDir, { preferInt8 })
        .filter((m) => m.error === undefined)
        .map((m) => `${m.id} (${m.task})`)
    : [];
  return ids.join(', ') || 'none';
}

/**
 * The folder for `task`: the one `wanted` names (an error naming what exists when it is missing or
 * of another task, never a silent fallback), else the first folder of the task under modelsDir; with
 * a `language`, of those that say they serve it the one naming the fewest languages (a model made for
 * Chinese before a multilingual one; the first in name order among equals), else the first that names
 * no language (one naming only other languages is never taken).
 */
export function pickModel(
  task: AnswerModelTask,
  wanted: string | undefined,
  opts: PickModelOptions & { language?: AnswerLanguage },
): ModelFolder | undefined {
  const preferInt8 = opts.preferInt8 ?? true;
  if (wanted) {
    const folder = resolveModel(wanted, { modelsDir: opts.modelsDir ?? '', preferInt8 });
    if (!folder) {
      const where = opts.modelsDir ? ` and under ${opts.modelsDir}` : '';
      throw new Error(
        `no model "${wanted}" (looked for a folder${where}; have: ${haveList(opts.modelsDir, preferInt8)})`,
      );
    }
    if (!fits(task, folder.task))
      throw new Error(
        `model "${wanted}" is ${/^[aeiou]/.test(folder.task) ? 'an' : 'a'} ${folder.task} model, not ${KIND[task]} (have: ${haveList(opts.modelsDir, preferInt8)})`,
      );
    return folder;
  }
  if (!opts.modelsDir) return undefined;
  let unlabelled: ModelFolder | undefined;
  let best: { folder: ModelFolder; languages: number } | undefined;
  for (const summary of listModels(opts.modelsDir, { preferInt8 })) {
    if (summary.error !== undefined) opts.onSkip?.(summary.dir, summary.error);
    else if (summary.task !== task) continue;
    else if (!opts.language) return summary;
    else {
      const languages = modelLanguages(summary)?.length;
      if (languages === undefined) unlabelled ??= summary;
      else if (servesLanguage(summary, opts.language) && languages < (best?.languages ?? Infinity))
        best = { folder: summary, languages };
    }
  }
  return best?.folder ?? unlabelled;
}

/**
 * Which folder serves each KB language, chosen and not loaded (what `loadAnswerModels` loads and
 * `wendao models list` shows). A mixed KB embeds with a model serving both languages, else the
 * Chinese one, else the English one (its index holds one encoder's vectors); it reads with a model
 * reading both, else a Chinese and an English one (each question routed by its script), else the one
 * there is.
 */
export interface AnswerModelPlan {
  embedders: Partial<Record<AnswerLanguage, ModelFolder>>;
  /** One folder, or a Chinese and an English one for a mixed KB; none: the lexical reader. */
  readers: Partial<Record<AnswerLanguage, ModelFolder[]>>;
  reranker?: ModelFolder;
}

/** Chooses the folders `options` ask for; a named model that is missing or of another task throws. */
export function planAnswerModels(options: AnswerModelOptions = {}): AnswerModelPlan {
  const plan: AnswerModelPlan = { embedders: {}, readers: {} };
  if (options.lexical) return plan;
  // Each incomplete folder is reported once, however many searches pass over it.
  const skipped = new Set<string>();
  const onSkip = (dir: string, reason: string) => {
    if (!skipped.has(dir)) options.onSkip?.(dir, reason);
    skipped.add(dir);
  };
  const pick = (task: AnswerModelTask) => (name?: string, language?: AnswerLanguage) =>
    pickModel(task, name, { ...options, onSkip, language });
  const encoders = pickPerLanguage(options.encoder ?? true, pick('embedder'));
  const mixedEncoder = encoders.mixed ?? encoders.zh ?? encoders.en;
  plan.embedders = { ...encoders, ...(mixedEncoder ? { mixed: mixedEncoder } : {}) };
  const readers = pickPerLanguage(options.reader ?? true, pick('qa'));
  const { zh, en, mixed } = readers;
  if (zh) plan.readers.zh = [zh];
  if (en) plan.readers.en = [en];
  if (mixed) plan.readers.mixed = [mixed];
  else if (zh && en && zh.dir !== en.dir) plan.readers.mixed = [zh, en];
  else if (zh || en) plan.readers.mixed = [(zh ?? en)!];
  // A reranker only reorders hybrid candidates, so it is loaded only alongside an embedder.
  const reranker = options.reranker ?? false;
  if (Object.keys(encoders).length > 0 && reranker !== false)
    plan.reranker = pick('classifier')(typeof reranker === 'string' ? reranker : undefined);
  return plan;
}

/** Loads the models `options` ask for; what is not asked for or not found leaves lexical mode in its place. */
export async function loadAnswerModels(options: AnswerModelOptions = {}): Promise<AnswerModels> {
  // Every named model is checked before anything loads, so a typo fails fast.
  const plan = planAnswerModels(options);
  const used: AnswerModelUsed[] = [];
  const encoders = new Map<string, AnswerEncoder>();
  const neuralReaders = new Map<string, NeuralReader>();
  let reranker: CrossEncoderReranker | undefined;
  const close = async () => {
    for (const encoder of encoders.values()) await encoder.close();
    await reranker?.close();
    for (const reader of neuralReaders.values()) await reader.close();
  };
  const lexical = new LexicalReader();
  const embedders: AnswerModels['embedders'] = {};
  const readers: AnswerReaders = { zh: lexical, en: lexical, mixed: lexical };
  const preferInt8 = options.preferInt8 ?? true;
  const { threads, packed } = options;
  try {
    for (const language of ANSWER_LANGUAGES) {
      const folder = plan.embedders[language];
      if (!folder) continue;
      let encoder = encoders.get(folder.dir);
      if (!encoder) {
        // Loaded from the folder path so modelId is the model's own (wendao.json, else the folder
        // name): the id the API stores with embeddings, whatever name the folder was found by.
        const encoderOptions = { threads, preferInt8, packed, cacheSize: options.embeddingCacheSize };
        encoder = options.encoderThread
          ? await ThreadedEncoder.load(folder.dir, encoderOptions)
          : await SentenceEncoder.load(folder.dir, encoderOptions);
        encoders.set(folder.dir, encoder);
        used.push(describe('embedder', folder, encoder));
      }
      embedders[language] = encoder;
    }
    if (plan.reranker) {
      reranker = await CrossEncoderReranker.load(plan.reranker, { threads });
      used.push(describe('reranker', plan.reranker, { modelId: plan.reranker.id, layout: 'padded' }));
    }
    for (const language of ANSWER_LANGUAGES) {
      const loaded: NeuralReader[] = [];
      for (const folder of plan.readers[language] ?? []) {
        let reader = neuralReaders.get(folder.dir);
        if (!reader) {
          reader = await NeuralReader.load(folder.dir, { threads, preferInt8, packed });
          neuralReaders.set(folder.dir, reader);
          used.push(describe('reader', folder, reader));
        }
        loaded.push(reader);
      }
      if (loaded.length === 1) readers[language] = loaded[0];
      if (loaded.length === 2) readers[language] = new LanguageRoutedReader(loaded[0], loaded[1]);
    }
  } catch (err) {
    await close();
    throw err;
  }
  for (const m of used) {
    if (m.role === 'embedder') {
      const model = encoders.get(m.dir);
      m.serves = ANSWER_LANGUAGES.filter((language) => embedders[language] === model);
    } else if (m.role === 'reader') {
      const model = neuralReaders.get(m.dir)!;
      m.serves = ANSWER_LANGUAGES.filter((language) => readsWith(readers[language], model));
    }
  }
  return { embedders, reranker, readers, used, close };
}

function readsWith(reader: Reader, model: Reader): boolean {
  return (
    reader === model ||
    (reader instanceof LanguageRoutedReader && (reader.zh === model || reader.en === model))
  );
}

/**
 * The folder for each KB language: a model named for every KB serves all three; one named for a
 * language serves it; the others are picked by language (a mixed KB, when zh or en is named and it
 * is not, is left to the plan: the named ones serve it).
 */
function pickPerLanguage(
  choice: ModelChoice,
  pick: (name?: string, language?: AnswerLanguage) => ModelFolder | undefined,
): Partial<Record<AnswerLanguage, ModelFolder>> {
  if (choice === false) return {};
  if (typeof choice === 'string') {
    const folder = pick(choice)!;
    return { zh: folder, en: folder, mixed: folder };
  }
  const names: ModelsByLanguage = choice === true ? {} : choice;
  const folders: Partial<Record<AnswerLanguage, ModelFolder>> = {};
  for (const language of ANSWER_LANGUAGES) {
    const name = names[language];
    if (language === 'mixed' && !name && (names.zh || names.en)) continue;
    const folder = pick(name, language);
    if (folder) folders[language] = folder;
  }
  return folders;
}

function describe(
  role: AnswerModelUsed['role'],
  folder: ModelFolder,
  model: { modelId: string; layout: 'packed' | 'padded'; layoutNote?: string },
): AnswerModelUsed {
  return {
    role,
    id: folder.id,
    modelId: model.modelId,
    task: folder.task,
    dir: folder.dir,
    quantized: folder.quantized,
    layout: model.layout,
    ...(model.layoutNote ? { layoutNote: model.layoutNote } : {}),
  };
}
