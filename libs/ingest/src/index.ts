/**
 * Ingestion parsing: uploaded FAQ files (CSV, XLSX, JSON, Markdown, HTML, TXT, DOCX, PDF) to FAQ
 * entries and document text, and document text to sentence-aware passages.
 */
export type { SourceType, ParsedFaq, ParsedDocument, DocumentSection, ParseResult } from './parse-result';
export { IngestError, UnsupportedFileTypeError, FileTypeMismatchError, ParseError } from './ingest-errors';
export type {
  IngestFailure,
  IngestFailureCode,
  FoundContent,
  JsonItemProblem,
  ReadFormat,
} from './ingest-failure';
export { ingestFailureMessage } from './ingest-failure-message';
export { csvReadProblem, csvReadProblemText, type CsvReadProblem } from './csv-read-problem';
export type { IngestWarning, IngestWarningCode, SkippedRowProblem, TableRowPlace } from './ingest-warning';
export { ingestWarningMessage } from './ingest-warning-message';
export { detectSourceType } from './detect-source-type';
export { decodeText, type DecodedText } from './decode-text';
export { parseFile, DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse-file';
export { chunkText, type Passage, type ChunkOptions } from './chunk-text';
export { ParserPool, ParserLimitError, type ParserPoolOptions } from './parser-pool';
export { checkOfficeZip, ZipLimitError, DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-guard';
export { DEFAULT_PDF_LIMITS, type PdfLimits } from './parse-pdf';
