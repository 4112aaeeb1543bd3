/**
 * Elliptical follow-ups out of the public task-oriented multi-turn sets (CrossWOZ zh, MultiWOZ en in
 * ../shared/datasets), chosen from their user dialog-act annotations. One rule for both sets:
 *
 * - **follow-up** (a positive): two consecutive user turns; the first names an entity (a user act
 *   with slot 名称 / Name whose value is written in the turn's text) in domain D; every non-general
 *   act of the second is in D, at least one is a Request, none carries the name slot, and the name is
 *   not written in its text ("他家评分是多少？", "What is the phone number?"). Gold: that entity.
 * - **switch** (a control): the same first turn, and a second whose non-general acts are all in one
 *   other domain (a new subject, which a rewrite with the first turn's topic would spoil).
 *
 * Pairs are user turns only; the system turn between them is kept as the "answer" the first turn got.
 */
import { readFile } from 'node:fs/promises';
import yauzl from 'yauzl';

export type WozSet = 'crosswoz' | 'multiwoz';

export interface WozPair {
  /** `<dialogue id>#<index of the second turn among the dialogue's user turns, from 0>`. */
  id: string;
  set: WozSet;
  language: 'zh' | 'en';
  kind: 'follow_up' | 'switch';
  /** The first user turn (names the entity). */
  previous: string;
  /** The system turn between them (what the first turn was answered with). */
  reply: string;
  /** The second user turn. */
  followUp: string;
  /** The first turn's domain (CrossWOZ: 酒店, 餐馆, 景点; MultiWOZ: hotel, restaurant, attraction). */
  domain: string;
  /** The entity the first turn named, as written in the annotation. */
  entity: string;
  /** The second turn's domain (the same as `domain` for a follow-up). */
  followUpDomain: string;
}

interface UserAct {
  intent: string;
  domain: string;
  slot: string;
  value: string;
}

interface Turn {
  text: string;
  acts: UserAct[];
}

/** Lower case, letters and digits only: MultiWOZ writes "Pizza Hut Fen Ditton" as "pizza hut fenditton". */
const squash = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const NAME_SLOTS = new Set(['名称', 'name']);
const GENERAL = new Set(['general', 'General']);

interface ParsedDialogue {
  id: string;
  turns: Array<{ user: Turn; reply: string }>;
}

/** Every entity name the set's acts carry (user and system side), squashed, 3 characters or more. */
function knownNames(names: Iterable<string>): string[] {
  return [...new Set([...names].map(squash).filter((n) => n.length >= 3))];
}

function pairsOf(
  set: WozSet,
  dialogues: ParsedDialogue[],
  names: string[],
  language: 'zh' | 'en',
): WozPair[] {
  const pairs: WozPair[] = [];
  for (const { id: dialogueId, turns } of dialogues) {
    for (let i = 0; i + 1 < turns.length; i++) {
      const first = turns[i].user;
      const second = turns[i + 1].user;
      const named = first.acts.find(
        (a) =>
          NAME_SLOTS.has(a.slot.toLowerCase()) &&
          a.value.trim() !== '' &&
          !GENERAL.has(a.domain) &&
          squash(first.text).includes(squash(a.value)),
      );
      if (!named) continue;
      const acts = second.acts.filter((a) => !GENERAL.has(a.domain));
      const domains = new Set(acts.map((a) => a.domain));
      if (domains.size !== 1 || !acts.some((a) => a.intent === 'Request')) continue;
      const followUpDomain = [...domains][0];
      const base = {
        id: `${dialogueId}#${i + 1}`,
        set,
        language,
        previous: first.text,
        reply: turns[i].reply,
        followUp: second.text,
        domain: named.domain,
        entity: named.value,
        followUpDomain,
      };
      if (followUpDomain !== named.domain) {
        pairs.push({ ...base, kind: 'switch' });
        continue;
      }
      // Names no entity at all: not in its acts, and no name the set's annotations know in its text
      // (CrossWOZ leaves some named entities unannotated: "那北京顺景温泉贵宾会周边有餐馆吗？").
      const text = squash(second.text);
      const elliptical =
        !acts.some((a) => NAME_SLOTS.has(a.slot.toLowerCase())) &&
        !text.includes(squash(named.value)) &&
        !names.some((n) => text.includes(n));
      if (elliptical) pairs.push({ ...base, kind: 'follow_up' });
    }
  }
  return pairs;
}

/** CrossWOZ: `{id: {messages: [{role: 'usr'|'sys', content, dialog_act: [[intent, domain, slot, value]]}]}}`. */
export function crossWozPairs(json: unknown): WozPair[] {
  const dialogues: ParsedDialogue[] = [];
  const names: string[] = [];
  for (const [id, dialogue] of Object.entries(json as Record<string, { messages?: unknown[] }>)) {
    const turns: ParsedDialogue['turns'] = [];
    for (const raw of dialogue.messages ?? []) {
      const m = raw as { role?: string; content?: string; dialog_act?: unknown[][] };
      const acts = (m.dialog_act ?? []).map(([intent, domain, slot, value]) => ({
        intent: String(intent),
        domain: String(domain),
        slot: String(slot),
        value: String(value ?? ''),
      }));
      for (const a of acts) if (NAME_SLOTS.has(a.slot.toLowerCase())) names.push(a.value);
      if (m.role === 'usr') turns.push({ user: { text: String(m.content ?? ''), acts }, reply: '' });
      else if (m.role === 'sys' && turns.length) turns[turns.length - 1].reply = String(m.content ?? '');
    }
    dialogues.push({ id, turns });
  }
  return pairsOf('crosswoz', dialogues, knownNames(names), 'zh');
}

/** MultiWOZ (ConvLab-2): `{id: {log: [{text, dialog_act: {"Hotel-Request": [[slot, value]]}}]}}`, user turns even. */
export function multiWozPairs(json: unknown): WozPair[] {
  const dialogues: ParsedDialogue[] = [];
  const names: string[] = [];
  for (const [id, dialogue] of Object.entries(json as Record<string, { log?: unknown[] }>)) {
    const turns: ParsedDialogue['turns'] = [];
    for (const [i, raw] of (dialogue.log ?? []).entries()) {
      const t = raw as { text?: string; dialog_act?: Record<string, unknown[][]> };
      const acts: UserAct[] = [];
      for (const [key, slots] of Object.entries(t.dialog_act ?? {})) {
        const [domain, intent = ''] = key.split('-');
        for (const [slot, value] of slots)
          acts.push({ intent, domain: domain.toLowerCase(), slot: String(slot), value: String(value ?? '') });
      }
      for (const a of acts) if (NAME_SLOTS.has(a.slot.toLowerCase())) names.push(a.value);
      if (i % 2 === 0) turns.push({ user: { text: String(t.text ?? ''), acts }, reply: '' });
      else if (turns.length) turns[turns.length - 1].reply = String(t.text ?? '');
    }
    dialogues.push({ id, turns });
  }
  return pairsOf('multiwoz', dialogues, knownNames(names), 'en');
}

/** The one JSON file inside a dataset zip (test.json), read in memory. */
export async function readZippedJson(path: string, entryName = 'test.json'): Promise<unknown> {
  const buffer = await readFile(path);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, z) =>
      err || !z ? reject(err ?? new Error(`${path}: not a zip archive`)) : resolve(z),
    ),
  );
  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => reject(new Error(`${path}: no ${entryName} inside`)));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.split('/').pop() !== entryName) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error(`${path}: cannot read ${entryName}`));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          zip.close();
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (e) {
            reject(new Error(`${path}: ${entryName} is not JSON (${(e as Error).message})`));
          }
        });
      });
    });
    zip.readEntry();
  });
}

/** Follow-up and switch pairs of `<datasetsDir>/<set>/test.json.zip`. */
export async function loadWozPairs(datasetsDir: string, set: WozSet): Promise<WozPair[]> {
  const json = await readZippedJson(`${datasetsDir}/${set}/test.json.zip`);
  return set === 'crosswoz' ? crossWozPairs(json) : multiWozPairs(json);
}
