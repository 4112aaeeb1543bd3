/**
 * Ingestion parsing: uploaded FAQ files (CSV, XLSX, JSON, Markdown, HTML, TXT, DOCX, PDF) to FAQ
 * entries and document text, and document text to sentence-aware passages.
 */
export type { SourceType, ParsedFaq, ParsedDocument, DocumentSection, ParseResult } from './parse-result';
export { UnsupportedFileTypeError, FileTypeMismatchError, ParseError } from './ingest-errors';
export { detectSourceType } from './detect-source-type';
export { parseFile } from './parse-file';
export { chunkText, type Passage, type ChunkOptions } from './chunk-text';
