/**
 * The shape every retrieval eval runs on: a knowledge base of entries (each matched on several
 * texts, like an FAQ's question, alternates and answer) and held-out queries with their gold entries.
 */

export interface RetrievalEntry {
  id: string;
  /** Texts the entry is indexed under; retrieval of any of them retrieves the entry. */
  texts: string[];
}

export interface RetrievalQuery {
  text: string;
  /** Entry ids that count as a correct retrieval. */
  relevant: string[];
  /** An entry this query must not retrieve (the query's own sentence, when queries come from the KB). */
  exclude?: string;
}

export interface RetrievalSet {
  entries: RetrievalEntry[];
  queries: RetrievalQuery[];
  language: 'zh' | 'en';
}
