/**
 * STS Benchmark pairs with 0-5 similarity scores: the English sentence-transformers packaging
 * (gzip TSV with a header, read with quoting disabled) and the Chinese CNSD translation (s1\ts2\tscore).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface StsPair {
  a: string;
  b: string;
  score: number;
}

function score(text: string, where: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 5)
    throw new Error(`${where}: score must be 0..5, got "${text}"`);
  return value;
}

/** English STS-B: header split genre dataset year sid score sentence1 sentence2; quotes are literal. */
export function parseStsbEnTsv(
  text: string,
  split: 'train' | 'dev' | 'test',
  source = 'STS-B TSV',
): StsPair[] {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = lines[0]?.split('\t') ?? [];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${source}: header has no "${name}" column`);
    return i;
  };
  const [splitCol, scoreCol, aCol, bCol] = [col('split'), col('score'), col('sentence1'), col('sentence2')];
  const pairs: StsPair[] = [];
  lines.slice(1).forEach((line, i) => {
    const cols = line.split('\t');
    if (cols[splitCol] !== split) return;
    pairs.push({ a: cols[aCol], b: cols[bCol], score: score(cols[scoreCol], `${source}:${i + 2}`) });
  });
  return pairs;
}

/** Chinese STS-B (CNSD): s1 \t s2 \t integer score, no header. */
export function parseStsbZhTsv(text: string, source = 'STS-B zh'): StsPair[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const cols = line.split('\t');
      if (cols.length !== 3) throw new Error(`${source}:${i + 1}: expected 3 tab-separated columns`);
      return { a: cols[0], b: cols[1], score: score(cols[2], `${source}:${i + 1}`) };
    });
}

export function loadStsbEn(path: string, split: 'train' | 'dev' | 'test' = 'test'): StsPair[] {
  const raw = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return parseStsbEnTsv(text, split, path);
}

export function loadStsbZh(path: string): StsPair[] {
  return parseStsbZhTsv(readFileSync(path, 'utf8'), path);
}
