/**
 * What parsing an uploaded file yields: FAQ entries found in it and the plain text of its prose,
 * which the chunker turns into passages for the reader.
 */
import type { IngestWarning } from './ingest-warning';

export type SourceType = 'csv' | 'xlsx' | 'json' | 'markdown' | 'html' | 'txt' | 'docx' | 'pdf';

export interface ParsedFaq {
  question: string;
  alternates: string[];
  answer: string;
  tags: string[];
  /** false when the file switches the entry off (an FAQ table's enabled column); absent: enabled. */
  enabled?: boolean;
}

export interface DocumentSection {
  /** The heading text exactly as it appears in the document text at `start`; absent for text before any heading. */
  heading?: string;
  start: number;
  end: number;
}

/** The prose of a file as plain text; headings are kept as their own lines so passages keep their context. */
export interface ParsedDocument {
  text: string;
  title?: string;
  sections?: DocumentSection[];
}

export interface ParseResult {
  type: SourceType;
  faqs: ParsedFaq[];
  document: ParsedDocument | null;
  /**
   * Things the uploader should know about (skipped rows, unanswered questions ...), in file order, as
   * data; `ingestWarningMessage` words one in English.
   */
  warnings: IngestWarning[];
}
