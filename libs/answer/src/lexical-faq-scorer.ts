/**
 * Lexical FAQ confidence in [0, 1] for one knowledge base: how well a question matches an FAQ entry's
 * phrasings (question and alternates) and, with less weight, its answer text. Terms are the BM25
 * analyzer's (jieba words, CJK bigrams and characters, stemmed English words) of the text with its
 * customer-service synonym heads appended; each term weighs its IDF over this KB's entries times a
 * weight for its kind, so the words that tell this shop's entries apart decide, and words no entry
 * uses (an out-of-domain question's) count against the match. Beside that confidence it gives each
 * entry a character-unigram BM25 score over its whole text (phrasings and answer), which ranks
 * colloquial Chinese paraphrases better than words do; the index fuses the two. In English that channel
 * is a word BM25, and it sees the English synonym heads too.
 */
import { TextAnalyzer } from '@wendao/retriever';
import { normalizeQuestion } from '@wendao/text';
import { synonymHeads, synonymWord } from './synonyms';
import { KbVocabulary, withCorrections, type KbWords, type TypoCorrection } from './typo-corrector';

/** Weight of a term by kind: whole words say most, bigrams less, single CJK characters least. */
// Tried on the shop dev sets (top-1 over paraphrases): characters at 0 lost 3.7 points (zh), at 0.4
// gained nothing; bigrams at 0.3-1 within 1 point. Dice beat recall-of-phrasing and their mixes by 2-8 points.
const KIND_WEIGHT = { word: 1, bigram: 0.6, char: 0.2 };
// Question words that every kind of question uses (多少, 哪些, 是否 ...): made only of these characters,
// a term says how something is asked, not what about; the question-type synonym groups (多久,
// 多少钱, 几点) carry the part of it that matters.
const QUESTION_CHARS = /^[多少哪些里儿是否有没为什么几吗呢怎样]+$/u;
const QUESTION_WORD_WEIGHT = 0.3;
// English words that say how something is asked (how long / many / much), in both channels: rare
// among a shop's entries, their IDF pulled a question towards whichever entry is phrased "How long
// …" ("How long does shipping take?" → "How long does a refund take?"). The question-type synonym
// heads (howlong, howmuch) carry what matters of them. Shop dev sets (lexical): en-dev answered
// correctly 45.6 → 48.2 % at the same 5.3 % wrong, its ceiling 37.7 → 44.7; zh unchanged;
// StackFAQ / BANKING77 / CLINC150 (1,000 each) within 0.1 point. "take" (how long does … take) was
// tried too: a tie on en-dev, StackFAQ -2.8 points.
const QUESTION_WORDS_EN = new Set(['long', 'many', 'much']);
/**
 * How much of the gap a phrasing match leaves (1 - similarity) the answer text can fill: a question
 * that matches no phrasing but is covered by the answer reaches at most this.
 */
// 0 -> 0.6 raised top-1 on the shop dev sets by 8 points (zh) and 9 (en); higher values gained nothing.
const ANSWER_WEIGHT = 0.6;

/**
 * English synonym heads (written in Latin letters) are terms of the character channel too: without them
 * that channel, weighed 1.5x the Dice in the fused score, outvoted the synonyms ("Is sending stuff back
 * free?" went to "How do I send an item back?" over "Are returns free?"). Shop sets, lexical top-1:
 * en-dev 69.3 -> 76.3, zh-dev unchanged; eval shop --lexical en-dev answered correctly 49.1 -> 55.3 %,
 * wrong 3.5 -> 4.4 %, but out-of-scope falling back 79.2 -> 62.5 % (questions that share a shop's topic
 * word, "return a rental car", now reach the threshold). Chinese heads stay out: their characters are
 * mostly the text's own, and adding them cost zh-dev 2.7 points answered correctly for 1.8 top-1.
 */
const LATIN_HEAD = /^[a-z]+$/;
/**
 * Question-type heads say how something is asked, not what about: they rank in the character channel,
 * but an entry sharing only them with a question shares no word with it (`sharesWord`; "When will I
 * get my refund?" and "How long does shipping take?" share only `howlong`).
 */
const QUESTION_TYPE_HEADS = new Set(['howlong', 'howmuch']);

/**
 * The share of its weight a term counts in an entry's favour when only a two-edit typo correction
 * brings it; the question's own weight keeps it whole (both channels). Until 2026-12-08 every
 * corrected term weighed 0.7 on both sides, which made a misspelt question lighter than the
 * question spelt right: entries without the word scored higher for it, and on the shop typo sets a
 * fallback or a clarification became a wrong answer ("is multifocal icnluded or do I pay on top"
 * answered from the payment entry). One-edit corrections now weigh in full (the question scores as
 * spelt right). Two-edit ones, guesses more often ("canadian" read as "canada" brought an
 * out-of-scope question to a clarification): en-dev with typos, correct / wrong %, at 0.5 51.75 /
 * 4.39, at 0.7 and 1 51.75 / 3.51 (docs/evaluation.md, Typo tolerance).
 */
const TWO_EDIT_SHARE = 0.7;

/** Okapi BM25 constants of the character channel (the usual ones; 1.2/0.75 as in Bm25Index). */
const CHAR_K1 = 1.2;
const CHAR_B = 0.75;

export type TermBag = Map<string, number>;

/** A question analysed once for scoring many entries. */
export interface LexicalQuery {
  /** Terms (synonym heads included) with their weights. */
  terms: TermBag;
  /** The sum of the terms' weights. */
  weight: number;
  /** Character-channel terms with their counts in the question. */
  characters: Map<string, number>;
  /** The question as normalizeQuestion() writes it: an exact phrasing match compares this. */
  normalized: string;
  /** Unknown English words taken for the KB's words, and the question as corrected (for BM25). */
  corrections?: TypoCorrection[];
  corrected?: string;
  /** Character-channel terms only a two-edit correction brings, with the share they score. */
  guessed?: Map<string, number>;
}

/** Counts of the character-channel terms of one text. */
interface CharacterPart {
  counts: Map<string, number>;
  length: number;
}

interface ScoredEntry {
  phrasings: Set<string>[];
  /** Each phrasing as normalizeQuestion() writes it. */
  phrasingTexts: string[];
  answer: Set<string>;
  /** Every term of the entry, counted once for document frequency. */
  all: Set<string>;
  /** Character-channel counts of each phrasing, then of the answer (last). */
  characterParts: CharacterPart[];
  /** Every character-channel term of the entry, counted once for its document frequency. */
  characters: Set<string>;
  /** The entry's English words, names and pairs of words (KbVocabulary), for typo tolerance. */
  words: KbWords;
  /** Character-channel counts and length of the whole entry (every phrasing and the answer). */
  characterTotal: CharacterPart;
  /** Each phrasing's summed term weight, valid while `weightsOf` equals the scorer's generation. */
  phrasingWeights: number[];
  weightsOf: number;
}

export interface LexicalFaqScore {
  confidence: number;
  /** Index of the phrasing (0 = question) that matched best. */
  phrasing: number;
  phrasingSimilarity: number;
  answerCoverage: number;
  /**
   * The question is one of the entry's phrasings, word for word (normalised): a certain match. Equal
   * analysed terms are not enough: stopwords and synonym heads make "How do I get points?" and "What
   * can I do with my points?" both {point}.
   */
  exactPhrasing: boolean;
}

let sharedAnalyzer: TextAnalyzer | undefined;

export class LexicalFaqScorer {
  private readonly analyzer: TextAnalyzer;
  private readonly entries = new Map<number, ScoredEntry>();
  private readonly df = new Map<string, number>();
  private readonly characterDf = new Map<string, number>();
  private characterLength = 0;
  /**
   * Term weights and character IDFs depend only on the document frequencies and the entry count:
   * cached until the next upsert or remove (the generation changes), so scoring a question against
   * every entry looks each weight up instead of computing it again.
   */
  private generation = 0;
  private readonly weights = new Map<string, number>();
  private readonly characterIdfs = new Map<string, number>();
  private readonly vocabulary = new KbVocabulary();

  constructor(analyzer?: TextAnalyzer) {
    this.analyzer = analyzer ?? (sharedAnalyzer ??= new TextAnalyzer());
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether any entry's phrasings or answer has this analyzed term. */
  usesTerm(term: string): boolean {
    return this.df.has(term);
  }

  /** The distinct analyzed terms of a text, synonyms included. */
  termsOf(text: string): Set<string> {
    return this.analyzeText(text).terms;
  }

  /** A text's Dice terms (synonym heads included) and its character-channel counts. */
  private analyzeText(text: string): { terms: Set<string>; characters: CharacterPart } {
    const heads = synonymHeads(text);
    const terms = new Set(this.analyzer.analyze(heads.length ? `${text}\n${heads.join(' ')}` : text));
    const latin = heads.filter((head) => LATIN_HEAD.test(head));
    return { terms, characters: this.characterPart(latin.length ? `${text}\n${latin.join(' ')}` : text) };
  }

  upsert(seq: number, faq: { question: string; alternates: string[]; answer: string }): void {
    this.remove(seq);
    // Each phrasing, then the answer (last).
    const parts = [faq.question, ...faq.alternates, faq.answer].map((text) => this.analyzeText(text));
    const phrasings = parts.slice(0, -1).map((part) => part.terms);
    const phrasingTexts = [faq.question, ...faq.alternates].map(normalizeQuestion);
    const answer = parts[parts.length - 1].terms;
    const all = new Set<string>([...answer, ...phrasings.flatMap((p) => [...p])]);
    for (const term of all) this.df.set(term, (this.df.get(term) ?? 0) + 1);
    const characterParts = parts.map((part) => part.characters);
    const characters = new Set(characterParts.flatMap((part) => [...part.counts.keys()]));
    for (const term of characters) this.characterDf.set(term, (this.characterDf.get(term) ?? 0) + 1);
    for (const part of characterParts) this.characterLength += part.length;
    const characterTotal: CharacterPart = { counts: new Map(), length: 0 };
    for (const part of characterParts) {
      characterTotal.length += part.length;
      for (const [term, n] of part.counts)
        characterTotal.counts.set(term, (characterTotal.counts.get(term) ?? 0) + n);
    }
    const words = KbVocabulary.wordsOf([faq.question, ...faq.alternates, faq.answer]);
    this.vocabulary.add(words);
    this.changed();
    this.entries.set(seq, {
      words,
      phrasings,
      phrasingTexts,
      answer,
      all,
      characterParts,
      characters,
      characterTotal,
      phrasingWeights: [],
      weightsOf: -1,
    });
  }

  /** The document frequencies or the entry count changed: cached weights are stale. */
  private changed(): void {
    this.generation++;
    this.weights.clear();
    this.characterIdfs.clear();
  }

  private characterPart(text: string): CharacterPart {
    const counts = new Map<string, number>();
    const terms = this.analyzer.characterTerms(text);
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return { counts, length: terms.length };
  }

  remove(seq: number): boolean {
    const entry = this.entries.get(seq);
    if (!entry) return false;
    for (const term of entry.all) {
      const n = (this.df.get(term) ?? 0) - 1;
      if (n > 0) this.df.set(term, n);
      else this.df.delete(term);
    }
    for (const term of entry.characters) {
      const n = (this.characterDf.get(term) ?? 0) - 1;
      if (n > 0) this.characterDf.set(term, n);
      else this.characterDf.delete(term);
    }
    for (const part of entry.characterParts) this.characterLength -= part.length;
    this.vocabulary.remove(entry.words);
    this.entries.delete(seq);
    this.changed();
    return true;
  }

  /** The question's terms with their weights (computed once per question, reused for every entry). */
  weigh(question: string): LexicalQuery {
    const terms: TermBag = new Map();
    let weight = 0;
    // Typo tolerance: an English word no entry uses, within an edit or two of one that some entry
    // does, is read as that word (KbVocabulary.correct), at that word's weight. A two-edit reading
    // is a guess ("canadian" read as "canada"): an entry with the word gets TWO_EDIT_SHARE of it,
    // the question keeps the whole in its weight, so no entry scores higher for the misspelt
    // question than for the question spelt as it was read.
    const typos = this.vocabulary.correct(
      question,
      (word) => this.knows(word),
      (word) => this.analyzer.analyze(word).length === 0,
    );
    const analyzed = this.analyzeText(typos?.text ?? question);
    // The terms of the question with its one-edit corrections only: those it has for sure.
    let sure: ReturnType<LexicalFaqScorer['analyzeText']> | undefined;
    if (typos?.corrections.some((c) => c.distance > 1))
      sure = this.analyzeText(
        withCorrections(
          question,
          typos.corrections.filter((c) => c.distance === 1),
        ),
      );
    for (const term of analyzed.terms) {
      const w = this.weight(term);
      terms.set(term, sure && !sure.terms.has(term) ? w * TWO_EDIT_SHARE : w);
      weight += w;
    }
    const characters = analyzed.characters.counts;
    let guessed: Map<string, number> | undefined;
    if (sure)
      for (const term of characters.keys())
        if (!sure.characters.counts.has(term)) (guessed ??= new Map()).set(term, TWO_EDIT_SHARE);
    return {
      terms,
      weight,
      characters,
      ...(guessed ? { guessed } : {}),
      normalized: normalizeQuestion(question),
      ...(typos ? { corrections: typos.corrections, corrected: typos.text } : {}),
    };
  }

  /** Whether lexical matching knows an English word without typo tolerance. */
  private knows(word: string): boolean {
    const terms = this.analyzer.analyze(word);
    return terms.length === 0 || terms.some((term) => this.df.has(term)) || synonymWord(word);
  }

  /**
   * Scores one entry. `skipPhrasing` leaves one phrasing out (leave-one-out calibration asks an
   * entry's own phrasing as if the entry did not list it).
   */
  score(query: LexicalQuery, seq: number, skipPhrasing?: number): LexicalFaqScore | null {
    const entry = this.entries.get(seq);
    if (!entry) return null;
    const question = query.terms;
    const qWeight = query.weight;
    const exactPhrasing = entry.phrasingTexts.some(
      (text, i) => i !== skipPhrasing && text === query.normalized,
    );
    if (qWeight === 0)
      return { confidence: 0, phrasing: 0, phrasingSimilarity: 0, answerCoverage: 0, exactPhrasing };
    let best = 0;
    let bestIndex = 0;
    const pWeights = this.phrasingWeights(entry);
    entry.phrasings.forEach((terms, i) => {
      if (i === skipPhrasing) return;
      let shared = 0;
      for (const term of terms) {
        const w = question.get(term);
        if (w !== undefined) shared += w;
      }
      const dice = (2 * shared) / (qWeight + pWeights[i]);
      if (dice > best) [best, bestIndex] = [dice, i];
    });
    let inAnswer = 0;
    for (const [term, w] of question) if (entry.answer.has(term)) inAnswer += w;
    const answerCoverage = inAnswer / qWeight;
    return {
      confidence: best + ANSWER_WEIGHT * (1 - best) * answerCoverage,
      phrasing: bestIndex,
      phrasingSimilarity: best,
      answerCoverage,
      exactPhrasing,
    };
  }

  /**
   * Character-unigram BM25 of the question against the entry's whole text (without the skipped
   * phrasing), as a share (0..1) of the most any text could score for this question (every question
   * term saturated): comparable across questions, and low for a question whose characters this KB
   * does not use. Separate from `score` because only the candidates shown as evidence need it.
   */
  characterScore(query: LexicalQuery, seq: number, skipPhrasing?: number): number {
    const entry = this.entries.get(seq);
    return entry ? this.characterBm25(query.characters, entry, skipPhrasing, query.guessed) : 0;
  }

  /**
   * Whether the entry's text (without the skipped phrasing) has any character-channel term of the
   * question other than a question-type head: a word (a character in Chinese) in common.
   */
  sharesWord(query: LexicalQuery, seq: number, skipPhrasing?: number): boolean {
    const entry = this.entries.get(seq);
    if (!entry) return false;
    const skipped =
      skipPhrasing !== undefined && skipPhrasing < entry.characterParts.length - 1
        ? entry.characterParts[skipPhrasing]
        : undefined;
    for (const term of query.characters.keys())
      if (
        !QUESTION_TYPE_HEADS.has(term) &&
        (entry.characterTotal.counts.get(term) ?? 0) - (skipped?.counts.get(term) ?? 0) > 0
      )
        return true;
    return false;
  }

  private characterBm25(
    question: Map<string, number>,
    entry: ScoredEntry,
    skipPhrasing?: number,
    guessed?: Map<string, number>,
  ): number {
    const n = Math.max(1, this.entries.size);
    const average = this.characterLength / n || 1;
    const total = entry.characterTotal;
    // The answer is the last part and is never skipped.
    const skipped =
      skipPhrasing !== undefined && skipPhrasing < entry.characterParts.length - 1
        ? entry.characterParts[skipPhrasing]
        : undefined;
    const length = total.length - (skipped?.length ?? 0);
    const norm = CHAR_K1 * (1 - CHAR_B + (CHAR_B * length) / average);
    let score = 0;
    let bound = 0;
    for (const [term, qtf] of question) {
      const idf = this.characterIdf(term, n);
      bound += qtf * idf * (CHAR_K1 + 1);
      const tf = (total.counts.get(term) ?? 0) - (skipped?.counts.get(term) ?? 0);
      if (tf > 0) score += ((guessed?.get(term) ?? 1) * qtf * idf * tf * (CHAR_K1 + 1)) / (tf + norm);
    }
    return bound > 0 ? score / bound : 0;
  }

  private characterIdf(term: string, n: number): number {
    let idf = this.characterIdfs.get(term);
    if (idf === undefined) {
      const df = this.characterDf.get(term) ?? 0;
      idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      if (QUESTION_WORDS_EN.has(term)) idf *= QUESTION_WORD_WEIGHT;
      this.characterIdfs.set(term, idf);
    }
    return idf;
  }

  /** Each phrasing's summed term weight (the Dice denominator's entry half), cached per generation. */
  private phrasingWeights(entry: ScoredEntry): number[] {
    if (entry.weightsOf !== this.generation) {
      entry.phrasingWeights = entry.phrasings.map((terms) => {
        let sum = 0;
        for (const term of terms) sum += this.weight(term);
        return sum;
      });
      entry.weightsOf = this.generation;
    }
    return entry.phrasingWeights;
  }

  private weight(term: string): number {
    const cached = this.weights.get(term);
    if (cached !== undefined) return cached;
    // Questions bring terms no entry uses; keep the cache from growing without bound between edits.
    if (this.weights.size > 100_000) this.weights.clear();
    const w = this.computeWeight(term);
    this.weights.set(term, w);
    return w;
  }

  private computeWeight(term: string): number {
    const n = Math.max(1, this.entries.size);
    const df = this.df.get(term) ?? 0;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const kind = term.startsWith('b:')
      ? KIND_WEIGHT.bigram
      : term.startsWith('c:')
        ? KIND_WEIGHT.char
        : KIND_WEIGHT.word;
    const bare = term.startsWith('b:') || term.startsWith('c:') ? term.slice(2) : term;
    const asking = QUESTION_CHARS.test(bare) || QUESTION_WORDS_EN.has(term);
    return idf * kind * (asking ? QUESTION_WORD_WEIGHT : 1);
  }
}
