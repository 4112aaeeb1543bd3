/**
 * Two extractive QA models, one per language, behind one reader: a question written mostly in Chinese
 * characters goes to the Chinese model, any other to the English one. What a KB holding both
 * languages reads with when no single model covers both (e.g. the default catalog's
 * roberta-base-chinese-extractive-qa and distilbert-base-cased-distilled-squad).
 */
import { writtenInChinese } from '@wendao/text';
import type { Reader, ReaderOptions, ReaderResult } from './reader';

export class LanguageRoutedReader implements Reader {
  readonly mode = 'neural' as const;

  constructor(
    readonly zh: Reader,
    readonly en: Reader,
  ) {
    if (zh.mode !== 'neural' || en.mode !== 'neural')
      throw new Error('a language-routed reader routes between two neural readers');
  }

  /** The reader a question goes to. */
  readerFor(question: string): Reader {
    return writtenInChinese(question) ? this.zh : this.en;
  }

  answer(question: string, passages: string[], options?: ReaderOptions): Promise<ReaderResult> {
    return this.readerFor(question).answer(question, passages, options);
  }

  /** Closes both models. */
  async close(): Promise<void> {
    await this.zh.close();
    await this.en.close();
  }
}
