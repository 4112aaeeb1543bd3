export type { AnswerSpan, ReaderResult, ReaderOptions, Reader } from './reader';
export { DEFAULT_READER_OPTIONS } from './reader';
export {
  buildReaderWindows,
  windowStarts,
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
