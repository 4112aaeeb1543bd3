/**
 * @wendao/answer: the answer decision. A knowledge base's retrieval state (KnowledgeIndex) and the one
 * pipeline every caller (REST ask, dialogue, CLI, eval, bench) runs to turn a question into an FAQ
 * answer, an extracted span, a clarification or a fallback.
 */
export { KnowledgeIndex, faqPhrasings } from './knowledge-index';
export type { IndexedFaq, IndexedPassage, ReadablePassage, KnowledgeIndexManifest } from './knowledge-index';
