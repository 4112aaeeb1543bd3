/**
 * The no-model floor for sentence similarity: TF-IDF cosine over words (English) and characters plus
 * character bigrams (Chinese), IDF taken from the sentences being compared.
 */
import { isCjkChar, toHalfWidth } from '@wendao/text';

/** Lower-cased words, and for CJK runs every character and every adjacent pair. */
export function lexicalTerms(text: string): string[] {
  const terms: string[] = [];
  const normalized = toHalfWidth(text.normalize('NFKC')).toLowerCase();
  for (const match of normalized.matchAll(/[\p{L}\p{N}]+/gu)) {
    let latin = '';
    const chars = [...match[0]];
    let cjkRun: string[] = [];
    const flushCjk = () => {
      for (let i = 0; i < cjkRun.length; i++) {
        terms.push(cjkRun[i]);
        if (i + 1 < cjkRun.length) terms.push(cjkRun[i] + cjkRun[i + 1]);
      }
      cjkRun = [];
    };
    for (const ch of chars) {
      if (isCjkChar(ch)) {
        if (latin) terms.push(latin);
        latin = '';
        cjkRun.push(ch);
      } else {
        flushCjk();
        latin += ch;
      }
    }
    flushCjk();
    if (latin) terms.push(latin);
  }
  return terms;
}

export class LexicalSimilarity {
  private readonly idf = new Map<string, number>();
  private readonly documents: number;

  /** `corpus`: the sentences whose document frequencies define the IDF weights. */
  constructor(corpus: readonly string[]) {
    const df = new Map<string, number>();
    for (const text of corpus)
      for (const term of new Set(lexicalTerms(text))) df.set(term, (df.get(term) ?? 0) + 1);
    this.documents = corpus.length;
    for (const [term, count] of df) this.idf.set(term, Math.log((1 + this.documents) / (1 + count)) + 1);
  }

  private vector(text: string): Map<string, number> {
    const v = new Map<string, number>();
    const unseen = Math.log(1 + this.documents) + 1;
    for (const term of lexicalTerms(text)) v.set(term, (v.get(term) ?? 0) + (this.idf.get(term) ?? unseen));
    return v;
  }

  /** Cosine of the two TF-IDF vectors, 0 when either has no terms. */
  similarity(a: string, b: string): number {
    const va = this.vector(a);
    const vb = this.vector(b);
    let dot = 0;
    for (const [term, w] of va) dot += w * (vb.get(term) ?? 0);
    const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0));
    const denominator = norm(va) * norm(vb);
    return denominator === 0 ? 0 : dot / denominator;
  }
}
