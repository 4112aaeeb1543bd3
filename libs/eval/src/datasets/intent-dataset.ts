/**
 * Intent sets as FAQs (BANKING77 CSV, CLINC150 JSON, SMP2017-ECDT TSV): each intent is an entry whose
 * alternates are its training utterances; test utterances are the queries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { RetrievalSet } from './retrieval-set';
import { seededRandom, shuffled } from './seeded-random';

export interface LabelledUtterance {
  text: string;
  label: string;
}

export interface IntentSplit {
  train: LabelledUtterance[];
  test: LabelledUtterance[];
}

/** BANKING77: CSV with header text,category. */
export function parseBanking77Csv(text: string, source = 'BANKING77 CSV'): LabelledUtterance[] {
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return rows.map((row, i) => {
    if (typeof row.text !== 'string' || typeof row.category !== 'string')
      throw new Error(`${source}: row ${i + 2} needs text and category columns`);
    return { text: row.text.trim(), label: row.category.trim() };
  });
}

export function loadBanking77(dir: string): IntentSplit {
  return {
    train: parseBanking77Csv(readFileSync(`${dir}/train.csv`, 'utf8'), `${dir}/train.csv`),
    test: parseBanking77Csv(readFileSync(`${dir}/test.csv`, 'utf8'), `${dir}/test.csv`),
  };
}

/**
 * CLINC150: {split: [[text, intent], ...]}. In-scope train/test only: out-of-scope queries have no
 * FAQ to find, and are a separate (answer/no-answer) question.
 */
export function parseClinc150Json(json: unknown, source = 'CLINC150 JSON'): IntentSplit {
  const data = json as Record<string, unknown>;
  const split = (name: string): LabelledUtterance[] => {
    const rows = data?.[name];
    if (!Array.isArray(rows)) throw new Error(`${source}: no "${name}" split`);
    return rows.map((row, i) => {
      if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string')
        throw new Error(`${source}: ${name}[${i}] is not [text, intent]`);
      return { text: row[0], label: row[1] };
    });
  };
  return { train: split('train'), test: split('test') };
}

export function loadClinc150(path: string): IntentSplit {
  return parseClinc150Json(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** SMP2017-ECDT task 1: tab-separated despite the .csv name, header Sentence\tTag. */
export function parseSmp2017Tsv(text: string, source = 'SMP2017 TSV'): LabelledUtterance[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!/^sentence\ttag$/i.test(lines[0]?.trim() ?? ''))
    throw new Error(`${source}: expected header Sentence<TAB>Tag`);
  return lines.slice(1).map((line, i) => {
    const cols = line.split('\t');
    if (cols.length !== 2) throw new Error(`${source}:${i + 2}: expected 2 tab-separated columns`);
    return { text: cols[0].trim(), label: cols[1].trim() };
  });
}

/**
 * A fixed-seed stratified split: each label keeps about `trainShare` of its utterances for training
 * (at least one, and at least one left for testing when the label has two or more).
 */
export function stratifiedSplit(
  rows: readonly LabelledUtterance[],
  trainShare: number,
  seed = 2017,
): IntentSplit {
  if (!(trainShare > 0 && trainShare < 1))
    throw new Error(`stratifiedSplit: trainShare must be in (0, 1), got ${trainShare}`);
  const byLabel = new Map<string, LabelledUtterance[]>();
  for (const row of rows) {
    if (!byLabel.has(row.label)) byLabel.set(row.label, []);
    byLabel.get(row.label)!.push(row);
  }
  const random = seededRandom(seed);
  const split: IntentSplit = { train: [], test: [] };
  for (const label of [...byLabel.keys()].sort()) {
    const group = shuffled(byLabel.get(label)!, random);
    const take =
      group.length === 1 ? 1 : Math.min(group.length - 1, Math.max(1, Math.round(group.length * trainShare)));
    split.train.push(...group.slice(0, take));
    split.test.push(...group.slice(take));
  }
  return split;
}

/** SMP2017 merged file split about 500 train / the rest test, to test the "~500 labelled samples" claim. */
export function loadSmp2017(path: string, trainShare = 500 / 3069): IntentSplit {
  return stratifiedSplit(parseSmp2017Tsv(readFileSync(path, 'utf8'), path), trainShare);
}

/**
 * CAIS (Chinese SLU): `ch.X` holds one character and its slot tag per line, a blank line between
 * utterances; `ch.X.intent` one intent per line, in the same order.
 */
export function parseCais(chars: string, intents: string, source = 'CAIS'): LabelledUtterance[] {
  const texts = chars
    .split(/\r?\n\s*\r?\n/)
    .map((block) =>
      block
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line) => line.split(/\s/)[0])
        .join(''),
    )
    .filter((text) => text !== '');
  const labels = intents
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (texts.length !== labels.length)
    throw new Error(`${source}: ${texts.length} utterances but ${labels.length} intent labels`);
  return texts.map((text, i) => ({ text, label: labels[i] }));
}

/**
 * CAIS train (alternates) and test (queries) from its folder. Test utterances of an intent with no
 * training utterance (GetDate, which only the test split has) are left out: no entry could match them.
 */
export function loadCais(dir: string): IntentSplit {
  const read = (split: string) =>
    parseCais(
      readFileSync(join(dir, `ch.${split}`), 'utf8'),
      readFileSync(join(dir, `ch.${split}.intent`), 'utf8'),
      join(dir, `ch.${split}`),
    );
  const train = read('train');
  const known = new Set(train.map((r) => r.label));
  return { train, test: read('test').filter((r) => known.has(r.label)) };
}

/** Intents become entries (alternates = training utterances); test utterances are the queries. */
export function intentsToRetrievalSet(split: IntentSplit, language: 'zh' | 'en'): RetrievalSet {
  const byLabel = new Map<string, string[]>();
  for (const row of split.train) {
    if (!byLabel.has(row.label)) byLabel.set(row.label, []);
    byLabel.get(row.label)!.push(row.text);
  }
  const unknown = split.test.find((row) => !byLabel.has(row.label));
  if (unknown) throw new Error(`intent "${unknown.label}" appears in test but has no training utterance`);
  return {
    entries: [...byLabel].map(([label, texts]) => ({ id: label, texts })),
    queries: split.test.map((row) => ({ text: row.text, relevant: [row.label] })),
    language,
  };
}

/** Keeps at most `perLabel` training utterances of each label (fixed seed): the N-shot setting. */
export function limitPerLabel(split: IntentSplit, perLabel: number, seed = 77): IntentSplit {
  if (!Number.isInteger(perLabel) || perLabel < 1)
    throw new Error(`limitPerLabel: perLabel must be a positive integer, got ${perLabel}`);
  const byLabel = new Map<string, LabelledUtterance[]>();
  for (const row of split.train) {
    if (!byLabel.has(row.label)) byLabel.set(row.label, []);
    byLabel.get(row.label)!.push(row);
  }
  const random = seededRandom(seed);
  const train = [...byLabel.keys()]
    .sort()
    .flatMap((label) => shuffled(byLabel.get(label)!, random).slice(0, perLabel));
  return { train, test: split.test };
}
