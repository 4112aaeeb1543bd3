/**
 * Sparse lexical features of an utterance: character 1-3-grams (Chinese has no spaces, and a
 * character trigram covers most two- and three-character words), character 4-grams of Latin text, and
 * Latin word unigrams and bigrams; sublinear TF times smoothed IDF, L2-normalised, as scikit-learn's
 * TfidfVectorizer(sublinear_tf=True) computes them.
 */
import { isCjkChar, normalizeQuestion } from '@wendao/text';
import type { SparseRow } from './sparse-row';

export interface NgramTfidfJson {
  terms: string[];
  idf: number[];
}

/** The normalised text with punctuation and symbols turned into spaces. */
function cleanText(text: string): string {
  return normalizeQuestion(text)
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every feature term of an utterance, repeats included (their count is the term frequency). */
export function ngramTerms(text: string): string[] {
  const clean = cleanText(text);
  const terms: string[] = [];
  const chars = [...` ${clean} `];
  for (let n = 1; n <= 4; n++) {
    for (let i = 0; i + n <= chars.length; i++) {
      const gram = chars.slice(i, i + n);
      if (n === 1 && gram[0] === ' ') continue;
      if (n > 1 && gram.every((ch) => ch === ' ')) continue;
      if (n === 4 && gram.some(isCjkChar)) continue;
      terms.push(`c:${gram.join('')}`);
    }
  }
  const words = clean.match(/[\p{L}\p{N}]+/gu)?.filter((w) => ![...w].some(isCjkChar)) ?? [];
  for (let i = 0; i < words.length; i++) {
    terms.push(`w:${words[i]}`);
    if (i + 1 < words.length) terms.push(`w:${words[i]} ${words[i + 1]}`);
  }
  return terms;
}

function countTerms(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of ngramTerms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

export interface NgramTfidfOptions {
  /** Keep at most this many terms, the most frequent by document frequency (ties by term). */
  maxTerms?: number;
}

export class NgramTfidf {
  private readonly index: Map<string, number>;

  private constructor(
    readonly terms: readonly string[],
    readonly idf: Float64Array,
  ) {
    this.index = new Map(terms.map((t, i) => [t, i]));
  }

  get dim(): number {
    return this.terms.length;
  }

  static fit(texts: readonly string[], options: NgramTfidfOptions = {}): NgramTfidf {
    const df = new Map<string, number>();
    for (const text of texts)
      for (const term of countTerms(text).keys()) df.set(term, (df.get(term) ?? 0) + 1);
    let terms = [...df.keys()].sort();
    if (options.maxTerms !== undefined && terms.length > options.maxTerms)
      terms = terms
        .sort((a, b) => df.get(b)! - df.get(a)! || (a < b ? -1 : 1))
        .slice(0, options.maxTerms)
        .sort();
    const n = texts.length;
    const idf = Float64Array.from(terms, (t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1);
    return new NgramTfidf(terms, idf);
  }

  static fromJSON(json: NgramTfidfJson): NgramTfidf {
    if (!Array.isArray(json?.terms) || !Array.isArray(json?.idf) || json.terms.length !== json.idf.length)
      throw new Error('NgramTfidf.fromJSON: terms and idf must be arrays of the same length');
    return new NgramTfidf(json.terms, Float64Array.from(json.idf));
  }

  toJSON(): NgramTfidfJson {
    return { terms: [...this.terms], idf: [...this.idf] };
  }

  /** The L2-normalised TF-IDF row of a text (terms unseen in training are dropped). */
  transform(text: string): SparseRow {
    const entries: Array<[number, number]> = [];
    for (const [term, count] of countTerms(text)) {
      const i = this.index.get(term);
      if (i !== undefined) entries.push([i, (1 + Math.log(count)) * this.idf[i]]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((s, [, v]) => s + v * v, 0)) || 1;
    return {
      indices: Int32Array.from(entries, ([i]) => i),
      values: Float64Array.from(entries, ([, v]) => v / norm),
    };
  }
}
