/**
 * In neural mode, a question closer to a question of the bundled out-of-domain bank than to any
 * phrasing of the KB's best FAQ is not answered from the FAQs ("What time does Boots in Piccadilly
 * close?" to a shop whose FAQ gives its customer-service hours). The threshold and the margin compare FAQ scores
 * only, and an off-topic question that shares a shop's words can score as high as a customer's; the
 * bank says what such questions look like. The rule has no constant to tune: the KB's best phrasing
 * must be at least as close as the nearest bank question (docs/evaluation.md, "Out-of-domain guard").
 */
import type { Embedder } from '@wendao/encoder';
import { outOfDomainQuestions } from './out-of-domain-bank';

type BankLanguage = 'zh' | 'en' | 'mixed';

export class OutOfDomainGuard {
  /** The bank's vectors per encoder and language, embedded on first use (or by `warm`). */
  private readonly banks = new WeakMap<Embedder, Map<BankLanguage, Promise<Float32Array[]>>>();

  constructor(private readonly questions: (language: BankLanguage) => string[] = outOfDomainQuestions) {}

  /** Embeds the bank for this encoder and language ahead of the first question. */
  async warm(embedder: Embedder, language: BankLanguage): Promise<void> {
    await this.bank(embedder, language);
  }

  /** The cosine of the bank question nearest to `vector` (unit-length vectors); -1 for an empty bank. */
  async nearest(embedder: Embedder, language: BankLanguage, vector: Float32Array): Promise<number> {
    let best = -1;
    for (const b of await this.bank(embedder, language)) {
      let dot = 0;
      for (let d = 0; d < b.length; d++) dot += b[d] * vector[d];
      if (dot > best) best = dot;
    }
    return best;
  }

  private bank(embedder: Embedder, language: BankLanguage): Promise<Float32Array[]> {
    let byLanguage = this.banks.get(embedder);
    if (!byLanguage) this.banks.set(embedder, (byLanguage = new Map()));
    let vectors = byLanguage.get(language);
    if (!vectors) {
      const texts = this.questions(language);
      vectors = texts.length ? embedder.embed(texts).then((r) => r.vectors) : Promise.resolve([]);
      byLanguage.set(language, vectors);
      // A failed embedding is not kept: the next question tries again.
      vectors.catch(() => byLanguage.delete(language));
    }
    return vectors;
  }
}
