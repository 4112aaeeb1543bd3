/**
 * Errors the upload path maps to HTTP statuses: a file type we do not read or whose bytes contradict
 * its name (415), and a file of a supported type that cannot be read (422, or a failed job). Each
 * carries its failure as data (`code`, `values`); the message is that failure in English.
 */
import type { IngestFailure, IngestFailureCode } from './ingest-failure';
import { ingestFailureMessage } from './ingest-failure-message';

/** Any of the three below: the failure as data, the message in English. */
export abstract class IngestError extends Error {
  readonly code: IngestFailureCode;
  readonly values: IngestFailure['values'];

  /** `message` only to rebuild an error that crossed a thread with its message as it was. */
  constructor(failure: IngestFailure, message = ingestFailureMessage(failure)) {
    super(message);
    this.code = failure.code;
    this.values = failure.values;
  }

  /** The failure as data, for an HTTP problem body or a failed job. */
  get failure(): IngestFailure {
    return { code: this.code, values: this.values } as IngestFailure;
  }
}

/** The file's extension (or MIME type) names a format Wendao does not ingest. */
export class UnsupportedFileTypeError extends IngestError {
  override readonly name = 'UnsupportedFileTypeError';
}

/** The extension names a supported format but the bytes are something else (e.g. a .pdf that is not a PDF). */
export class FileTypeMismatchError extends IngestError {
  override readonly name = 'FileTypeMismatchError';
}

/** A file of a supported type that is corrupt, empty or not in a shape we can turn into FAQs or text. */
export class ParseError extends IngestError {
  override readonly name = 'ParseError';
}
