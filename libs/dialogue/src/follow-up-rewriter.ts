/**
 * Rewrites an elliptical follow-up with the conversation's topic before retrieval, so "那换货呢？"
 * after a question on returns asks about exchanging under the same policy, and "how much is it?"
 * after expedited shipping asks what expedited shipping costs. Self-contained questions and explicit
 * topic switches ("对了，…", "Different question: …") are left alone: a rewrite that drags the old
 * topic into a new question answers the wrong entry.
 */
import { synonymHeads } from '@wendao/answer';
import { STOPWORDS, TextAnalyzer } from '@wendao/retriever';
import { writtenInChinese } from '@wendao/text';
import { regionNames } from './region-names';
import type { SessionTopic } from './session-state';

export type RewriteReason =
  /** No topic yet, or the message is not a question (left alone). */
  | 'no_topic'
  /** One letter or character, or filler alone ("退", "k", "嗯嗯", "hmm"): too little to be a follow-up (left alone). */
  | 'too_short'
  /** Starts with a topic-switch phrase (left alone). */
  | 'topic_switch'
  /** Names its subject itself (left alone). */
  | 'self_contained'
  /** Names another entry's subject ("发什么快递？" after a question on dispatch): a new topic, left alone. */
  | 'names_other_entry'
  /** Names something the KB never mentions ("谁是美国总统", "tell me a joke"): a new question, left alone. */
  | 'unknown_subject'
  /** "X呢？", "what about X?", "and for X?": X with the previous question. */
  | 'substitution'
  /**
   * A short question on another entry's subject that the topic's entry speaks of too, after a
   * question naming a place ("那运费呢？" after 能寄香港吗): asked for that place.
   */
  | 'place_kept'
  /** A short question without its subject ("要几天？", "how much is it?"): the topic's key terms added. */
  | 'ellipsis';

/** Which FAQ entries name a term in their questions or alternates (the KB's own subjects). */
export type EntryVocabulary = Map<string, Set<string>>;

export interface FollowUpRewrite {
  /** The question to ask retrieval. */
  question: string;
  rewritten: boolean;
  reason: RewriteReason;
}

const ZH_SWITCH =
  /^(对了|顺便问(一)?下|顺便问问|另外|另外问(一)?下|还有个问题|还有一个问题|换个问题|再问个别的|问个别的)/u;
const EN_SWITCH =
  /^(also|by the way|btw|different question|another question|one more thing|unrelated|on another note|separately)\b/iu;
const ZH_SUBSTITUTION = /^(?:那|那么|那如果|如果是|要是|还有)?(.+?)(?:的话)?呢$/u;
const EN_SUBSTITUTION = [
  /^(?:and |but |so )?(?:what|how) about (.+)$/iu,
  /^and (?:for |to |if |on |with |in |by )?(.+)$/iu,
];
const ZH_LEAD = /^(那|那么|那如果|还有|然后)/u;
// Question scaffolding: words made only of these say how something is asked, not what about.
const ZH_QUESTION_WORD =
  /^[多少哪些里儿是否有没为什么几吗呢怎样么可以能要会请问啥谁何时候办需支持久]+$|^(怎么办|什么时候|多长时间|需要|支持|可以|大概|一般)$/u;
const EN_QUESTION_WORDS = new Set(
  'much many long take does do get got which when where why who whom whose ok okay also else still then cost costs offer provide know tell possible'.split(
    ' ',
  ),
);
const EN_PRONOUN = /\b(it|they|them|that|one|ones|there)\b/iu;
/** At most this many CJK characters, a question without its own subject is elliptical. */
const ZH_SHORT = 8;
/** At most this many content words, an English question without a topic word is elliptical. */
const EN_SHORT = 2;
const MAX_KEY_TERMS = 4;
/**
 * Fewer letters than this (a Chinese character is one) say too little to be read as a follow-up: "退"
 * after a warranty question was asked as 手机保修退 and answered from the warranty entry. The shortest
 * follow-ups of the dialogue sets have two ("专票呢？" -> 专票).
 */
const MIN_LETTERS = 2;
/** Hesitation or acknowledgement noises alone: nothing is asked. */
const FILLER = /^(?:[嗯哦噢喔啊呃额唔]+|h+m+|u+h+|u+m+|e+r+m*|o+h+|a+h+)$/iu;

// A modal the segmenter leaves on a short question's verb ("能换什么？" -> 能换): not part of a subject.
const ZH_MODAL = /^(可以|能够|能|要|会|还|可|想)/u;
/** The part of a word that can name a subject: Chinese of 2+ characters, English of 3+ letters; else null. */
function subjectPart(word: string): string | null {
  if (!/\p{Script=Han}/u.test(word)) return /^[a-z][a-z'’-]{2,}$/u.test(word) ? word : null;
  const rest = word.replace(ZH_MODAL, '');
  return [...rest].length >= 2 ? rest : null;
}

const trimQuestion = (text: string) => text.trim().replace(/[\s?？!！。.,，~～]+$/u, '');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** A word of a question with what kind of thing it names: a place, or a synonym group's head. */
interface KindedWord {
  word: string;
  at: number;
  kinds: string[];
}

let englishPlaces: RegExp | undefined;
/** English country and region names, longest first ("united states" before "us"), as whole words. */
function englishPlacePattern(): RegExp {
  if (englishPlaces) return englishPlaces;
  const names = [...regionNames('en')].sort((a, b) => b.length - a.length).map(escapeRegExp);
  englishPlaces = new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return englishPlaces;
}

export class FollowUpRewriter {
  private readonly analyzer: TextAnalyzer;

  constructor(analyzer?: TextAnalyzer) {
    this.analyzer = analyzer ?? new TextAnalyzer();
  }

  /**
   * The content words of a question that the matched FAQ entry also uses (so the topic is what the
   * question and its answer share, not the question's incidental words), longest first; with the
   * KB's vocabulary, `subject` keeps those other entries' questions use too (积分 is shared by earning,
   * redeeming and expiry; 获得 is the aspect only this entry asks about).
   */
  keyTerms(
    question: string,
    faqTexts: string[],
    vocabulary?: EntryVocabulary,
  ): { keyTerms: string[]; subjectTerms: string[] } {
    const faqTerms = new Set(faqTexts.flatMap((t) => this.analyzer.analyze(t)));
    const faqText = this.analyzer.normalize(faqTexts.join(' '));
    const terms: string[] = [];
    for (const word of this.contentWords(question)) {
      const inFaq = /\p{Script=Han}/u.test(word)
        ? faqText.includes(word)
        : this.analyzer.analyze(word).some((t) => faqTerms.has(t));
      if (inFaq && !terms.includes(word)) terms.push(word);
    }
    terms.sort((a, b) => b.length - a.length);
    const keyTerms = terms.slice(0, MAX_KEY_TERMS);
    // Shared with other entries' phrasings (the subject), or named by no entry's phrasing at all (a
    // specific the customer asked about that only an answer mentions: Australia in an answer on
    // international shipping) - not the aspect only this entry asks about. With a place among them
    // the aspect goes with it: "how long?" after "Do you ship to Canada?" asks how long shipping to
    // Canada takes (shop sets: "ship: how long?" got the US delivery times, "australia: how long?" a
    // clarification offering the UK delivery times alone).
    const shared =
      vocabulary && !keyTerms.some((w) => this.namesPlace(w))
        ? keyTerms.filter((w) =>
            this.contentTerms(w).some((t) => (vocabulary.get(t)?.size ?? 0) >= 2 || !vocabulary.has(t)),
          )
        : [];
    return { keyTerms, subjectTerms: shared.length ? shared : keyTerms };
  }

  /** The content words of every entry's phrasings, for telling a new subject from an elliptical one. */
  vocabulary(faqs: Iterable<{ id: string; question: string; alternates: string[] }>): EntryVocabulary {
    const vocabulary: EntryVocabulary = new Map();
    for (const faq of faqs) {
      for (const phrasing of [faq.question, ...faq.alternates]) {
        for (const term of this.contentTerms(phrasing)) {
          let ids = vocabulary.get(term);
          if (!ids) vocabulary.set(term, (ids = new Set()));
          ids.add(faq.id);
        }
      }
    }
    return vocabulary;
  }

  /**
   * `vocabulary` (of the KB's entries) lets a follow-up that names another entry's subject stand as
   * it is: "发什么快递？" after a dispatch question is about couriers, "那换货呢？" after returns about
   * exchanges. Without it only the wording decides.
   */
  rewrite(
    text: string,
    topic: SessionTopic | null,
    vocabulary?: EntryVocabulary,
    mentionedByKb?: (word: string) => boolean,
    topicTexts?: string[],
  ): FollowUpRewrite {
    const question = text.trim();
    const keep = (reason: RewriteReason): FollowUpRewrite => ({ question, rewritten: false, reason });
    const core = trimQuestion(question);
    // Only emoji or punctuation ("🙂", "👍👍"): nothing is asked, and with the topic glued on it was
    // answered from the topic's entry with a confidence of 0.87. Digits alone (an order number) ask
    // nothing either: 2024120512345 after 运费怎么算？ was asked as 运费2024120512345 and got '20元'.
    if (!topic || !/\p{L}/u.test(core)) return keep('no_topic');
    const letters = core.replace(/[^\p{L}\p{N}]+/gu, '');
    if ([...letters].length < MIN_LETTERS || FILLER.test(letters)) return keep('too_short');
    const english = !writtenInChinese(core);
    if ((english ? EN_SWITCH : ZH_SWITCH).test(core)) return keep('topic_switch');

    const substitute = english
      ? EN_SUBSTITUTION.map((re) => core.match(re)?.[1]).find((x) => x !== undefined)
      : core.match(ZH_SUBSTITUTION)?.[1];
    const otherEntry = (ids: Set<string> | undefined) => [...(ids ?? [])].some((id) => id !== topic.faqId);
    // A Chinese word inside another entry's word counts too: the segmenter reads 可以开发票吗 as
    // 开发票, so 发票怎么开？ after a shipping question was asked as 运费发票怎么开 and got shipping.
    const namesOther = (words: string) =>
      vocabulary !== undefined &&
      this.contentTerms(words).some(
        (t) =>
          otherEntry(vocabulary.get(t)) ||
          ([...t].length >= 2 &&
            /\p{Script=Han}/u.test(t) &&
            [...vocabulary].some(([term, ids]) => term !== t && term.includes(t) && otherEntry(ids))),
      );
    // A word the KB never uses is a subject of the message's own that the topic cannot be about:
    // "谁是美国总统" after a shipping question is not about shipping, and gluing the topic on would
    // answer it from the shipping entry.
    const subjects = this.contentWords(substitute ?? core).flatMap((w) => subjectPart(w) ?? []);
    if (mentionedByKb && subjects.some((w) => !mentionedByKb(w))) return keep('unknown_subject');
    if (namesOther(substitute ?? core)) {
      const kept = topicTexts && this.keepPlace(substitute ?? core, topic, topicTexts, english);
      return kept ? { question: kept, rewritten: true, reason: 'place_kept' } : keep('names_other_entry');
    }
    if (substitute && !this.mentionsTopic(substitute, topic)) {
      return {
        question: this.substitute(substitute, topic, english),
        rewritten: true,
        reason: 'substitution',
      };
    }

    if (this.mentionsTopic(core, topic)) return keep('self_contained');
    const elliptical = english
      ? EN_PRONOUN.test(core) || this.contentWords(core).length <= EN_SHORT
      : ZH_LEAD.test(core) || [...core].filter((ch) => /\p{Script=Han}/u.test(ch)).length <= ZH_SHORT;
    if (!elliptical || topic.keyTerms.length === 0) return keep('self_contained');
    // A Chinese question naming a subject of its own (a word of 3+ characters) that no entry asks
    // about (退休金怎么领取？ after
    // a shipping question) is a new question, not an ellipsis: prepending the topic would only drag
    // it towards the old entry.
    if (
      !english &&
      vocabulary !== undefined &&
      this.contentWords(core).some(
        (w) => [...w].length >= 3 && !vocabulary.has(w) && !this.mentionsTopic(w, topic),
      )
    )
      return keep('self_contained');
    return { question: this.withTopic(core, question, topic, english), rewritten: true, reason: 'ellipsis' };
  }

  /**
   * A short question on another entry's subject, asked for the place the previous question named,
   * when the topic's entry speaks of that subject too: "那运费呢？" after 能寄香港吗 (whose answer gives
   * the Hong Kong fee) asks 香港运费？, not the domestic fee of the shipping-fee entry it names; "and
   * the shipping fee?" after "Do you ship to Hong Kong?" asks it "to Hong Kong". Null when the previous
   * question names no place, the message names one itself or is not short, or the topic's entry never
   * mentions what it asks about ("那退货呢？" stays a question on returns).
   */
  private keepPlace(
    message: string,
    topic: SessionTopic,
    topicTexts: string[],
    english: boolean,
  ): string | null {
    const place = this.kindedWords(trimQuestion(topic.question), english)
      .filter((w) => w.kinds.includes('place'))
      .pop();
    if (!place || this.kindedWords(message, english).some((w) => w.kinds.includes('place'))) return null;
    const words = this.contentWords(message);
    const short = english
      ? words.length <= EN_SHORT
      : [...message].filter((ch) => /\p{Script=Han}/u.test(ch)).length <= ZH_SHORT;
    if (!words.length || !short) return null;
    const entryTerms = new Set(topicTexts.flatMap((t) => this.analyzer.analyze(t)));
    const entryText = this.analyzer.normalize(topicTexts.join(' '));
    const spokenOf = words.some((w) =>
      /\p{Script=Han}/u.test(w)
        ? entryText.includes(w)
        : this.analyzer.analyze(w).some((t) => entryTerms.has(t)),
    );
    if (!spokenOf) return null;
    const core = trimQuestion(message);
    return english ? `${core} to ${place.word}?` : `${place.word}${core.replace(ZH_LEAD, '')}？`;
  }

  /** Does the text already name the topic (one of its key terms)? */
  private mentionsTopic(text: string, topic: SessionTopic): boolean {
    const normalized = this.analyzer.normalize(text);
    const words = new Set(this.contentWords(text).flatMap((w) => this.analyzer.analyze(w)));
    return topic.keyTerms.some((term) =>
      /\p{Script=Han}/u.test(term)
        ? normalized.includes(term)
        : this.analyzer.analyze(term).some((t) => words.has(t)),
    );
  }

  /**
   * X in place of the word of the previous question it stands for: one of the same kind (a place for
   * a place: "what about the UK?" after "Do you ship to Canada?" asks "Do you ship to UK?", 澳门 for
   * 香港; words of one synonym group: PayPal for Visa) or, in Chinese, with the same last character
   * (换货 for 退货, 专票 for 发票). Without such a word, X in front of the previous question (偏远地区 +
   * 运费怎么收) or of the topic's key terms: appended to "canada ship", "the UK" was answered with the
   * Canada entry.
   */
  private substitute(x: string, topic: SessionTopic, english: boolean): string {
    const previous = trimQuestion(topic.question);
    const mark = english ? '?' : '？';
    // The kind first: 澳门 after 香港门店几点关门 shares its last character with 关门.
    const sameKind = this.replaceSameKind(x, previous, english);
    if (sameKind) return sameKind + mark;
    if (!english) {
      const last = [...x].pop()!;
      const replaced = this.contentWords(previous).find(
        (w) => w.length >= 2 && w !== x && [...w].pop() === last && !x.includes(w),
      );
      if (replaced) return previous.replace(replaced, x) + mark;
    }
    if (english) return `${x} ${topic.keyTerms.join(' ')}`.trim() + mark;
    return `${x}${previous}${mark}`;
  }

  /**
   * The previous question with its last word of the same kind as a word of X put in X's word's place,
   * X's other words in front; null when the previous question has no word of X's kinds. Words both
   * name are left out on each side ("Apple Pay" after "pay with PayPal": pay is no substitute).
   */
  private replaceSameKind(x: string, previous: string, english: boolean): string | null {
    const fresh = this.kindedWords(x, english).filter((w) => !this.includesWord(previous, w.word, english));
    const replaceable = this.kindedWords(previous, english).filter(
      (w) => !this.includesWord(x, w.word, english),
    );
    for (const word of fresh) {
      const target = replaceable.filter((w) => w.kinds.some((k) => word.kinds.includes(k))).pop();
      if (!target) continue;
      const replaced =
        previous.slice(0, target.at) + word.word + previous.slice(target.at + target.word.length);
      const rest = this.contentWords(x).filter(
        (w) => !this.includesWord(replaced, w, english) && !this.includesWord(word.word, w, english),
      );
      return [...rest, replaced].join(english ? ' ' : '');
    }
    return null;
  }

  /**
   * The words of a text that say what kind of thing they name, in text order, at their place in the
   * text: places (the segmenter's place names, 香港, 新疆; country and region names, UK, Canada) and
   * content words of a synonym group (its head is the kind: Visa and PayPal are both payment).
   */
  private kindedWords(text: string, english: boolean): KindedWord[] {
    const found: KindedWord[] = [];
    const taken = (at: number, length: number) =>
      found.some((w) => at < w.at + w.word.length && w.at < at + length);
    const add = (word: string, at: number, kinds: string[]) => {
      if (at >= 0 && kinds.length && !taken(at, word.length)) found.push({ word, at, kinds });
    };
    if (english) {
      for (const match of text.matchAll(englishPlacePattern())) {
        // "us" is a place only written as one: "ship to the US", not "contact us".
        if (match[0].toLowerCase() === 'us' && match[0] !== 'US') continue;
        add(match[0], match.index!, ['place', ...synonymHeads(match[0])]);
      }
    } else {
      const zhPlaces = regionNames('zh');
      let from = 0;
      const lower = this.analyzer.normalize(text);
      for (const { word, tag } of this.analyzer.tag(text)) {
        const at = lower.indexOf(word, from);
        if (at < 0) continue;
        from = at + word.length;
        if ([...word].length >= 2 && (tag === 'ns' || zhPlaces.has(word)))
          add(text.slice(at, at + word.length), at, ['place', ...synonymHeads(word)]);
      }
    }
    const lower = this.analyzer.normalize(text);
    for (const word of this.contentWords(text)) {
      const pattern = english
        ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'u')
        : new RegExp(escapeRegExp(word), 'u');
      const at = lower.search(pattern);
      // Only where normalizing kept the text's length, so the word's place in the text is known.
      const surface = text.slice(at, at + word.length);
      if (this.analyzer.normalize(surface) === word) add(surface, at, synonymHeads(word));
    }
    return found.sort((a, b) => a.at - b.at);
  }

  /** Is the word a place (Canada, 香港)? */
  private namesPlace(word: string): boolean {
    return this.kindedWords(word, !writtenInChinese(word)).some((w) => w.kinds.includes('place'));
  }

  /** Does the text name the word (English by stems: "ship" in "shipping to Canada")? */
  private includesWord(text: string, word: string, english: boolean): boolean {
    if (!english) return this.analyzer.normalize(text).includes(this.analyzer.normalize(word));
    const terms = new Set(this.analyzer.analyze(text));
    const own = this.analyzer.analyze(word);
    return own.length > 0 && own.every((t) => terms.has(t));
  }

  /**
   * The question with the topic: the whole topic for a pronoun ("how much is it?": it = expedited
   * shipping), otherwise the subject in front ("能抵多少钱？" asks about 积分, not about earning it).
   */
  private withTopic(core: string, question: string, topic: SessionTopic, english: boolean): string {
    const subject = topic.subjectTerms.join(english ? ' ' : '');
    if (english) {
      const pronoun = core.match(EN_PRONOUN)?.[0];
      if (pronoun && !/^there$/iu.test(pronoun))
        return question.replace(EN_PRONOUN, topic.keyTerms.join(' '));
      return `${subject}: ${question}`;
    }
    return `${subject}${question.replace(ZH_LEAD, '')}`;
  }

  /** Content words as the analyzer's terms (English stemmed), for comparing with a vocabulary. */
  private contentTerms(text: string): string[] {
    return this.contentWords(text).flatMap((w) =>
      /\p{Script=Han}/u.test(w)
        ? [w]
        : this.analyzer.analyze(w).filter((t) => !t.startsWith('b:') && !t.startsWith('c:')),
    );
  }

  /** Words of a question that say what it is about: no stopwords, no question scaffolding. */
  private contentWords(text: string): string[] {
    const normalized = this.analyzer.normalize(text);
    const words: string[] = [];
    for (const term of this.analyzer.analyze(normalized)) {
      if (term.startsWith('b:') || term.startsWith('c:')) continue;
      if (!/\p{Script=Han}/u.test(term)) continue;
      if (!ZH_QUESTION_WORD.test(term)) words.push(term);
    }
    // English words keep their surface form (the analyzer stems them).
    for (const match of normalized.matchAll(/[a-z][a-z'’-]*|\d+/gu)) {
      const word = match[0].replace(/['’]s$/u, '');
      if (!STOPWORDS.has(word) && !EN_QUESTION_WORDS.has(word) && !EN_PRONOUN.test(word)) words.push(word);
    }
    return words;
  }
}
