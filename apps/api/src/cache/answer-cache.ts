/**
 * Where finished answers are remembered. Keys are built by the ask service from KB id, KB version
 * and the normalised question, so a KB change makes old entries unreachable instead of stale.
 */

export interface AnswerCache {
  readonly kind: 'memory' | 'redis' | 'off';
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  close(): Promise<void>;
}

export const ANSWER_CACHE = Symbol('ANSWER_CACHE');
