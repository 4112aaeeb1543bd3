/**
 * Turns mixed Chinese/English text into BM25 terms. Chinese gets three channels so that segmentation
 * disagreements between a question and an FAQ still match: jieba words (precise mode), character
 * bigrams ("b:退货") and single characters ("c:退", so "怎么退" still reaches "退货"), the last two only
 * from stopword-free spans. Chinese stopwords are dropped, or, with `keepChineseStopwords`, kept as
 * terms of their own (see there).
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { isCjkChar, toHalfWidth } from '@wendao/text';
import { stemEnglish } from './english-stemmer';
import { STOPWORDS } from './stopwords';

export interface TextAnalyzerOptions {
  /** A jieba instance (e.g. with a custom product dictionary); defaults to one shared default-dict instance. */
  jieba?: Jieba;
  /** Replaces the built-in stopword list. */
  stopwords?: Iterable<string>;
  /** Apply the light English stemmer (default true). */
  stem?: boolean;
  /**
   * Keep each Chinese stopword as a term of its own ("s:怎么", "s:吗") instead of dropping it; it still
   * breaks the bigram/character spans (no "b:费怎"). Default false. For ranking with BM25, whose IDF
   * discounts them anyway and where short colloquial questions differ by them ("能退吗" / "怎么退"):
   * Recall@1 SMP2017 68.12 → 71.46, LCQMC 66.25 → 67.07, BQ 8.81 → 9.58, AFQMC 8.26 → 8.71, CAIS
   * 93.18 → 93.27, CMRC 2018 / DRCD dev passages 96.86 / 94.38 → 96.96 / 94.41 (docs/evaluation.md).
   * Set-overlap scores (LexicalFaqScorer) keep the default: there they inflate every overlap.
   */
  keepChineseStopwords?: boolean;
}

const BIGRAM = 'b:';
const CHAR = 'c:';
const STOP = 's:';
// Numbers keep their decimal/time separators ("3.5", "10:30"); other tokens are letter/digit runs.
const NON_CJK_TOKEN = /\d+(?:[.:]\d+)*|[\p{L}\p{N}]+/gu;
// English negations spelt out, so "isn't", "doesn't" and "didn't" all say "not" (split at the
// apostrophe they were "isn", "doesn", "didn": three terms no other wording shares, and "won" for
// "won't"). Shop sets, lexical top-1: en-dev 76.3 -> 77.2; KnowledgeIndex top-1 StackFAQ 72.5 -> 72.9,
// BANKING77 86.2 -> 86.4, CLINC150 85.2 -> 85.3; BM25 Recall@1 StackFAQ 70.4 -> 70.5, BANKING77
// 81.7 -> 82.2.
const NEGATIONS: Array<[RegExp, string]> = [
  [/\bcan['\u2019]t\b/g, 'can not'],
  [/\bwon['\u2019]t\b/g, 'will not'],
  [/n['\u2019]t\b/g, ' not'],
];

let sharedJieba: Jieba | undefined;
function defaultJieba(): Jieba {
  // Loading the default dictionary takes ~0.2 s, so every analyzer in the process shares one.
  sharedJieba ??= Jieba.withDict(dict);
  return sharedJieba;
}

export class TextAnalyzer {
  /** Bumped whenever the rules change, so persisted BM25 snapshots made by older rules are rebuilt. */
  static readonly VERSION = 3;

  private readonly jieba: Jieba;
  private readonly stopwords: ReadonlySet<string>;
  private readonly stem: boolean;
  private readonly keepChineseStopwords: boolean;

  constructor(options: TextAnalyzerOptions = {}) {
    this.jieba = options.jieba ?? defaultJieba();
    this.stopwords = options.stopwords ? new Set(options.stopwords) : STOPWORDS;
    this.stem = options.stem ?? true;
    this.keepChineseStopwords = options.keepChineseStopwords ?? false;
  }

  /** Terms for indexing a document (FAQ question/answer, passage); repeated terms repeat. */
  analyze(text: string): string[] {
    return this.terms(text);
  }

  /**
   * Terms for a query: the same as for a document. (Emitting characters only for jieba's one-character
   * query words was tried: on LCQMC/BQ/AFQMC partner retrieval it lost 0.2-1 point Recall@1 and up to
   * 1.6 points Recall@5 against this symmetric form, for ~1.5x faster queries.)
   */
  analyzeQuery(text: string): string[] {
    return this.terms(text);
  }

  /**
   * A second, coarser view of the text: every CJK character on its own (stopwords kept: 吗, 能, 的
   * change what a short colloquial question asks) and the non-CJK words as `analyze` makes them.
   * Character-unigram BM25 over these is what beats word BM25 on colloquial Chinese paraphrases
   * (shop sets zh-dev/zh-test top-1: 81.8/78.4 against 76.4/76.6, see LexicalFaqScorer).
   */
  characterTerms(text: string): string[] {
    if (typeof text !== 'string') throw new Error(`TextAnalyzer: text must be a string, got ${typeof text}`);
    const out: string[] = [];
    let other = '';
    for (const ch of this.normalize(text)) {
      if (!isCjkChar(ch)) other += ch;
      else {
        if (other) this.nonCjkTerms(other, out);
        other = '';
        out.push(ch);
      }
    }
    if (other) this.nonCjkTerms(other, out);
    return out;
  }

  /**
   * The text's words with jieba's part-of-speech tags (its dictionary's: `ns` a place name such as
   * 香港 or 新疆, `n` a noun, `v` a verb ...), normalized as for `analyze`.
   */
  tag(text: string): Array<{ word: string; tag: string }> {
    return this.jieba.tag(this.normalize(text), true);
  }

  /** Full-width to half-width, compatibility forms folded, lower case. */
  normalize(text: string): string {
    return toHalfWidth(text).normalize('NFKC').toLowerCase();
  }

  private terms(text: string): string[] {
    if (typeof text !== 'string') throw new Error(`TextAnalyzer: text must be a string, got ${typeof text}`);
    const out: string[] = [];
    const normalized = this.normalize(text);
    let run = '';
    let other = '';
    const flushCjk = () => {
      if (run) this.cjkTerms(run, out);
      run = '';
    };
    const flushOther = () => {
      if (other) this.nonCjkTerms(other, out);
      other = '';
    };
    for (const ch of normalized) {
      if (isCjkChar(ch)) {
        flushOther();
        run += ch;
      } else {
        flushCjk();
        other += ch;
      }
    }
    flushCjk();
    flushOther();
    return out;
  }

  private cjkTerms(run: string, out: string[]): void {
    // Bigrams and single characters come only from stopword-free spans, so "运费怎么算" yields the bigram
    // 运费 but not the meaningless 费怎 that straddles a stopword.
    let span: string[] = [];
    const flushSpan = () => {
      for (let i = 0; i + 1 < span.length; i++) out.push(BIGRAM + span[i] + span[i + 1]);
      for (const ch of span) out.push(CHAR + ch);
      span = [];
    };
    for (const word of this.jieba.cut(run, true)) {
      if (this.stopwords.has(word)) {
        flushSpan();
        if (this.keepChineseStopwords) out.push(STOP + word);
        continue;
      }
      const chars = [...word];
      if (chars.length >= 2) out.push(word);
      span.push(...chars);
    }
    flushSpan();
  }

  private nonCjkTerms(segment: string, out: string[]): void {
    for (const [pattern, replacement] of NEGATIONS) segment = segment.replace(pattern, replacement);
    for (const match of segment.matchAll(NON_CJK_TOKEN)) {
      const token = match[0];
      if (this.stopwords.has(token)) continue;
      const parts = /^\d+(?:[.:]\d+)*$/.test(token) ? [token] : (token.match(/\d+|\p{L}+/gu) ?? []);
      if (parts.length <= 1) {
        this.pushWord(token, out);
        continue;
      }
      // "iphone15" is indexed whole and as "iphone" + "15", so "iPhone 15" finds it too.
      out.push(token);
      for (const part of parts) if (!this.stopwords.has(part)) this.pushWord(part, out);
    }
  }

  private pushWord(word: string, out: string[]): void {
    if (/^\p{L}$/u.test(word)) return; // stray single letters ("s" of "customer's") say nothing
    out.push(this.stem && /^[a-z]+$/.test(word) ? stemEnglish(word) : word);
  }
}
