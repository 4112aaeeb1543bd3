/**
 * The error a persisted vector index raises when it cannot be trusted for the current knowledge base:
 * wrong model, dimension, space or KB version, a missing file, or a corrupted index file.
 */

export class IndexMismatchError extends Error {
  constructor(
    message: string,
    /** Which manifest field (or 'file'/'checksum') disagreed, so callers can decide to rebuild. */
    readonly field: string,
  ) {
    super(message);
    this.name = 'IndexMismatchError';
  }
}
