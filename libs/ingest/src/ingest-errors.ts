/**
 * Errors the upload path maps to HTTP statuses: a file type we do not read or whose bytes contradict
 * its name (415), and a file of a supported type that cannot be read (422).
 */

/** The file's extension (or MIME type) names a format Wendao does not ingest. */
export class UnsupportedFileTypeError extends Error {
  override readonly name = 'UnsupportedFileTypeError';
}

/** The extension names a supported format but the bytes are something else (e.g. a .pdf that is not a PDF). */
export class FileTypeMismatchError extends Error {
  override readonly name = 'FileTypeMismatchError';
}

/** A file of a supported type that is corrupt, empty or not in a shape we can turn into FAQs or text. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
}
