export type { AnswerSpan, ReaderResult, ReaderOptions, Reader } from './reader';
export { DEFAULT_READER_OPTIONS } from './reader';
export {
  buildReaderWindows,
  type ReaderWindow,
  type TokenizedText,
  type PairTemplate,
  type WindowOptions,
} from './reader-windows';
export {
  postprocessWindows,
  type WindowLogits,
  type PostprocessOptions,
  type PostprocessResult,
} from './postprocess-windows';
export { LexicalReader } from './lexical-reader';
export { QuestionTerms, type TermCoverage, type TermHit } from './question-terms';
export { TypedSpanFinder, type TypedSpan } from './typed-span-finder';
export { QuestionSlotFinder, type SlotSpan } from './question-slot-finder';
export { EnglishChunkFinder, type ChunkSpan } from './english-chunk-finder';
export { foldTraditional } from './traditional-chars';
export {
  ANSWER_TYPE_CUES,
  ANSWER_TYPE_PATTERNS,
  ANSWER_TYPE_FALLBACKS,
  type AnswerType,
  type AnswerTypeCue,
} from './answer-type-table';
export { NeuralReader, type NeuralReaderOptions } from './neural-reader';
export { LanguageRoutedReader } from './language-routed-reader';
