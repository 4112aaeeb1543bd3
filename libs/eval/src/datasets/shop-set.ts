/**
 * Wendao's own shop-style evaluation data (libs/eval/data): ten shop FAQs (zh/en; dev, test, test-b,
 * test-c, test-d) with customer paraphrases, out-of-scope questions and span questions over the shops' policy documents,
 * and the follow-up dialogues written over them. Loading checks every reference, so a set whose
 * paraphrase names a missing FAQ or whose gold span is not in its document fails at load, not mid-run.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RetrievalSet } from './retrieval-set';

export type ShopLanguage = 'zh' | 'en';

export interface ShopFaq {
  id: string;
  question: string;
  alternates: string[];
  answer: string;
  tags: string[];
}

export interface ShopDocument {
  fileName: string;
  text: string;
}

/** A customer's wording of one FAQ entry's question. */
export interface ShopParaphrase {
  question: string;
  faq: string;
}

/** A reader question whose gold answer is an exact substring of the named document. */
export interface ShopSpanQuestion {
  question: string;
  answer: string;
  document: string;
}

export interface ShopSet {
  name: string;
  language: ShopLanguage;
  split: 'dev' | 'test';
  description: string;
  faqs: ShopFaq[];
  documents: ShopDocument[];
  paraphrases: ShopParaphrase[];
  outOfScope: string[];
  spans: ShopSpanQuestion[];
}

/** One customer turn and what the bot should answer it with. */
export type DialogueTurn =
  | { user: string; faq: string }
  | { user: string; span: string; document: string }
  | { user: string; outOfScope: true };

export interface Dialogue {
  id: string;
  /** The shop set (file name without .json) whose FAQ and documents the turns refer to. */
  shop: string;
  turns: DialogueTurn[];
}

const DATA = join('libs', 'eval', 'data');

/** The data folder beside the sources, or found upwards from the build output. */
export function shopDataDir(): string {
  const local = join(__dirname, '..', '..', 'data');
  if (existsSync(join(local, 'shop'))) return local;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, DATA, 'shop'))) return join(dir, DATA);
  }
  throw new Error(`the shop evaluation data (${DATA}) is missing`);
}

/** Names of the shop sets, e.g. ['en-dev', 'en-test', 'en-test-b', 'en-test-c', 'zh-dev', ...]. */
export function listShopSets(dataDir = shopDataDir()): string[] {
  return readdirSync(join(dataDir, 'shop'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

export function loadShopSet(name: string, dataDir = shopDataDir()): ShopSet {
  const path = join(dataDir, 'shop', `${name}.json`);
  if (!existsSync(path)) throw new Error(`no shop set ${name} (looked for ${path})`);
  const set = parseShopSet(JSON.parse(readFileSync(path, 'utf8')), path);
  const problems = shopSetProblems(set);
  if (problems.length) throw new Error(`${path}:\n  ${problems.join('\n  ')}`);
  return set;
}

/** The set as a KB whose entries have no alternates (a plain question,answer upload). */
export function withoutAlternates(set: ShopSet): ShopSet {
  return { ...set, faqs: set.faqs.map((faq) => ({ ...faq, alternates: [] })) };
}

/** The follow-up dialogues of one language, each checked against the shop set it names. */
export function loadDialogues(language: ShopLanguage, dataDir = shopDataDir()): Dialogue[] {
  const path = join(dataDir, 'dialogues', `${language}.json`);
  const json = JSON.parse(readFileSync(path, 'utf8')) as { dialogues?: unknown };
  if (!Array.isArray(json.dialogues)) throw new Error(`${path}: expected {"dialogues": [...]}`);
  const dialogues = json.dialogues as Dialogue[];
  const shops = new Map<string, ShopSet>();
  const problems: string[] = [];
  for (const dialogue of dialogues) {
    if (!shops.has(dialogue.shop)) shops.set(dialogue.shop, loadShopSet(dialogue.shop, dataDir));
    problems.push(...dialogueProblems(dialogue, shops.get(dialogue.shop)!));
  }
  if (problems.length) throw new Error(`${path}:\n  ${problems.join('\n  ')}`);
  return dialogues;
}

function parseShopSet(json: unknown, source: string): ShopSet {
  const set = json as Partial<ShopSet>;
  const lists = ['faqs', 'documents', 'paraphrases', 'outOfScope', 'spans'] as const;
  for (const key of lists) {
    if (!Array.isArray(set[key])) throw new Error(`${source}: "${key}" must be a list`);
  }
  if (set.language !== 'zh' && set.language !== 'en') throw new Error(`${source}: language must be zh or en`);
  if (set.split !== 'dev' && set.split !== 'test') throw new Error(`${source}: split must be dev or test`);
  if (typeof set.name !== 'string') throw new Error(`${source}: name is missing`);
  return { description: '', ...set } as ShopSet;
}

/** Case, width, spaces and punctuation do not make two questions different. */
export function questionKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * What is wrong with a set's internals: unknown or duplicate ids, references to missing FAQs or
 * documents, gold spans that are not substrings of their document, and the same question appearing
 * twice (a paraphrase equal to an FAQ phrasing measures nothing; an out-of-scope question equal to a
 * paraphrase contradicts it). Size rules (how many of each) are the spec's business.
 */
export function shopSetProblems(set: ShopSet): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const faq of set.faqs) {
    if (!faq.id || !faq.question || !faq.answer)
      problems.push(`FAQ ${faq.id ?? '?'} lacks an id, question or answer`);
    if (ids.has(faq.id)) problems.push(`FAQ id ${faq.id} is used twice`);
    ids.add(faq.id);
  }
  const seen = new Map<string, string>();
  const claim = (text: string, owner: string) => {
    const key = questionKey(text);
    const earlier = seen.get(key);
    if (earlier) problems.push(`"${text}" (${owner}) repeats ${earlier}`);
    else seen.set(key, owner);
  };
  for (const faq of set.faqs) {
    claim(faq.question, `FAQ ${faq.id}`);
    for (const alternate of faq.alternates) claim(alternate, `an alternate of ${faq.id}`);
  }
  for (const paraphrase of set.paraphrases) {
    if (!ids.has(paraphrase.faq))
      problems.push(`paraphrase "${paraphrase.question}" names unknown FAQ ${paraphrase.faq}`);
    claim(paraphrase.question, `a paraphrase of ${paraphrase.faq}`);
  }
  for (const question of set.outOfScope) claim(question, 'out of scope');

  const documents = new Map(set.documents.map((document) => [document.fileName, document.text]));
  const spanQuestions = new Set<string>();
  for (const span of set.spans) {
    const text = documents.get(span.document);
    if (text === undefined)
      problems.push(`span question "${span.question}" names unknown document ${span.document}`);
    else if (!span.answer || !text.includes(span.answer))
      problems.push(`span "${span.answer}" is not in ${span.document} (question "${span.question}")`);
    const key = questionKey(span.question);
    if (spanQuestions.has(key)) problems.push(`span question "${span.question}" appears twice`);
    spanQuestions.add(key);
  }
  return problems;
}

export function dialogueProblems(dialogue: Dialogue, shop: ShopSet): string[] {
  const problems: string[] = [];
  const ids = new Set(shop.faqs.map((faq) => faq.id));
  const documents = new Map(shop.documents.map((document) => [document.fileName, document.text]));
  dialogue.turns.forEach((turn, i) => {
    const where = `dialogue ${dialogue.id} turn ${i + 1}`;
    if (!turn.user) problems.push(`${where} has no user text`);
    if ('faq' in turn) {
      if (!ids.has(turn.faq)) problems.push(`${where} names unknown FAQ ${turn.faq} of ${dialogue.shop}`);
    } else if ('span' in turn) {
      const text = documents.get(turn.document);
      if (text === undefined) problems.push(`${where} names unknown document ${turn.document}`);
      else if (!text.includes(turn.span))
        problems.push(`${where}: span "${turn.span}" is not in ${turn.document}`);
    } else if (turn.outOfScope !== true) {
      problems.push(`${where} expects neither an FAQ, a span nor out of scope`);
    }
  });
  return problems;
}

/**
 * The set as a retrieval benchmark: each FAQ indexed on its question, alternates and answer (as the
 * product matches them), each paraphrase a query for its entry.
 */
export function shopSetToRetrievalSet(set: ShopSet): RetrievalSet {
  return {
    language: set.language,
    entries: set.faqs.map((faq) => ({ id: faq.id, texts: [faq.question, ...faq.alternates, faq.answer] })),
    queries: set.paraphrases.map((paraphrase) => ({ text: paraphrase.question, relevant: [paraphrase.faq] })),
  };
}
