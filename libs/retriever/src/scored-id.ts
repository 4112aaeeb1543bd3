/**
 * The common currency of every retriever in this lib: a caller-owned integer id and a score where
 * higher is better. Passage/FAQ row ids come in, the same ids come out.
 */

export interface ScoredId {
  id: number;
  score: number;
}

/** Restricts results to ids the caller allows (e.g. one knowledge base, one language). */
export type IdFilter = (id: number) => boolean;
