import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '@wendao/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexMismatchError } from './index-mismatch-error';
import { VectorIndex } from './vector-index';

/**
 * Seeded 384-d vectors shaped like sentence embeddings: a random 32-d latent point pushed through one
 * fixed random 384x32 projection plus isotropic noise, then L2-normalised. Real embeddings have a low
 * intrinsic dimension; uniform noise in 384-d (no neighbourhood structure at all) is the adversarial
 * worst case for any ANN index and is measured separately in bench/hnsw.bench.ts.
 */
function embeddingLikeVectors(dim: number, latent: number, seed: number) {
  const random = new SeededRandom(seed);
  const rand = () => random.next();
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const projection = Array.from({ length: dim }, () => Float64Array.from({ length: latent }, gauss));
  return (n: number): Float32Array[] =>
    Array.from({ length: n }, () => {
      const z = Float64Array.from({ length: latent }, gauss);
      const v = new Float32Array(dim);
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        let s = gauss() * 0.1 * Math.sqrt(latent);
        for (let j = 0; j < latent; j++) s += projection[d][j] * z[j];
        v[d] = s;
        norm += s * s;
      }
      norm = Math.sqrt(norm);
      for (let d = 0; d < dim; d++) v[d] /= norm;
      return v;
    });
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function bruteForceTopK(
  vectors: Float32Array[],
  query: Float32Array,
  k: number,
  skip = new Set<number>(),
): number[] {
  return vectors
    .map((v, id) => ({ id, s: dot(v, query) }))
    .filter((h) => !skip.has(h.id))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((h) => h.id);
}

const tmpDirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wendao-vec-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('VectorIndex on 10k seeded embedding-like 384-d vectors', () => {
  const dim = 384;
  const sample = embeddingLikeVectors(dim, 32, 42);
  const vectors = sample(10_000);
  const queries = sample(100);
  let index: VectorIndex;

  beforeAll(() => {
    // Starts small on purpose: the build must grow the index several times on its own.
    index = new VectorIndex({ dim, space: 'cosine', modelId: 'test/random-384', maxElements: 1000 });
    vectors.forEach((v, id) => index.add(id, v));
  });

  it('grows past its initial capacity', () => {
    expect(index.size).toBe(10_000);
    expect(index.capacity).toBeGreaterThanOrEqual(10_000);
  });

  it('reaches recall@10 >= 0.98 against brute force', () => {
    let found = 0;
    for (const q of queries) {
      const truth = new Set(bruteForceTopK(vectors, q, 10));
      const hits = index.search(q, 10, { ef: 128 });
      found += hits.filter((h) => truth.has(h.id)).length;
    }
    const recall = found / (queries.length * 10);
    expect(recall).toBeGreaterThanOrEqual(0.98);
  });

  it('scores are cosine similarities, best first', () => {
    const hits = index.search(vectors[123], 5);
    expect(hits[0].id).toBe(123);
    expect(hits[0].score).toBeCloseTo(1, 5);
    expect(hits[1].score).toBeCloseTo(dot(vectors[hits[1].id], vectors[123]), 5);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
  });

  it('never returns removed ids, also after save/load, and save/load gives identical results', () => {
    const removed = new Set<number>();
    // Remove each query's current best answers: the strongest possible temptation to return them.
    for (const q of queries.slice(0, 20)) for (const h of index.search(q, 3)) removed.add(h.id);
    for (const id of removed) expect(index.remove(id)).toBe(true);
    expect(index.remove(removed.values().next().value!)).toBe(false);
    for (const id of removed) expect(index.has(id)).toBe(false);

    const before = queries.map((q) => index.search(q, 10));
    for (const hits of before) for (const h of hits) expect(removed.has(h.id)).toBe(false);

    const dir = tmp();
    const manifest = index.save(dir, { kbVersion: 7 });
    expect(manifest).toMatchObject({ dims: 384, space: 'cosine', modelId: 'test/random-384', kbVersion: 7 });
    expect(manifest.count).toBe(10_000 - removed.size);

    const loaded = VectorIndex.load(dir, { dim: 384, modelId: 'test/random-384', kbVersion: 7 });
    expect(loaded.size).toBe(index.size);
    for (const id of removed) expect(loaded.has(id)).toBe(false);
    const after = queries.map((q) => loaded.search(q, 10));
    expect(after).toEqual(before);
  });
});

describe('VectorIndex on 10k uniform random 384-d vectors (the worst case: no neighbourhood structure)', () => {
  it('reaches recall@10 >= 0.98 against brute force with a denser graph and a wider search', () => {
    const dim = 384;
    const random = new SeededRandom(7);
    const rand = () => random.next();
    const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
    const unit = () => {
      const v = Float32Array.from({ length: dim }, gauss);
      const norm = Math.sqrt(dot(v, v));
      return v.map((x) => x / norm);
    };
    const vectors = Array.from({ length: 10_000 }, unit);
    const queries = Array.from({ length: 50 }, unit);
    // Defaults (M 16, ef 128) give ~0.62 here; M 32 / efConstruction 400 / ef 512 is what uniform noise needs.
    const index = new VectorIndex({
      dim,
      space: 'cosine',
      modelId: 'test/uniform-384',
      M: 32,
      efConstruction: 400,
    });
    vectors.forEach((v, id) => index.add(id, v));
    let found = 0;
    for (const q of queries) {
      const truth = new Set(bruteForceTopK(vectors, q, 10));
      found += index.search(q, 10, { ef: 512 }).filter((h) => truth.has(h.id)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.98);
  });
});

describe('VectorIndex editing', () => {
  const unit = (...xs: number[]) => new Float32Array(xs);

  it('upsert replaces the vector so the old one never matches', () => {
    const index = new VectorIndex({ dim: 3, space: 'cosine', modelId: 'm' });
    index.add(1, unit(1, 0, 0));
    index.add(2, unit(0, 1, 0));
    index.upsert(1, unit(0, 0, 1));
    expect(index.size).toBe(2);
    const nearOld = index.search(unit(1, 0, 0), 2);
    expect(nearOld.map((h) => h.score).every((s) => s < 0.01)).toBe(true);
    expect(index.search(unit(0, 0, 1), 1)).toEqual([{ id: 1, score: expect.closeTo(1, 5) }]);
  });

  it('a removed id can be added again with a new vector', () => {
    const index = new VectorIndex({ dim: 2, space: 'cosine', modelId: 'm' });
    index.add(5, unit(1, 0));
    index.add(6, unit(0, 1));
    index.remove(5);
    expect(index.search(unit(1, 0), 2).map((h) => h.id)).toEqual([6]);
    index.add(5, unit(-1, 0));
    expect(index.has(5)).toBe(true);
    expect(index.search(unit(-1, 0), 1)[0]).toEqual({ id: 5, score: expect.closeTo(1, 5) });
  });

  it('refuses to add a live id twice and explains upsert', () => {
    const index = new VectorIndex({ dim: 2, space: 'cosine', modelId: 'm' });
    index.add(1, unit(1, 0));
    expect(() => index.add(1, unit(0, 1))).toThrow(/already in the index; use upsert/);
  });

  it('applies a filter during search', () => {
    const index = new VectorIndex({ dim: 2, space: 'cosine', modelId: 'm' });
    [unit(1, 0), unit(0.9, 0.1), unit(0, 1), unit(0.1, 0.9)].forEach((v, i) => index.add(i, v));
    const hits = index.search(unit(1, 0), 4, { filter: (id) => id % 2 === 1 });
    expect(hits.map((h) => h.id)).toEqual([1, 3]);
  });

  it('rejects bad vectors and ids with clear errors', () => {
    const index = new VectorIndex({ dim: 3, space: 'cosine', modelId: 'm' });
    expect(() => index.add(1, unit(1, 0))).toThrow(/has 2 values, index dimension is 3/);
    expect(() => index.add(1, unit(1, NaN, 0))).toThrow(/non-finite value at 1/);
    expect(() => index.add(1, unit(0, 0, 0))).toThrow(/all zeros/);
    expect(() => index.add(-1, unit(1, 0, 0))).toThrow(/id must be an integer/);
    expect(() => index.add(1.5, unit(1, 0, 0))).toThrow(/id must be an integer/);
    expect(() => index.search(unit(1, 0), 1)).toThrow(/query has 2 values/);
    expect(() => new VectorIndex({ dim: 0, space: 'cosine', modelId: 'm' })).toThrow(
      /dim must be a positive/,
    );
  });

  it('inner-product and l2 spaces score so that higher is better', () => {
    const ip = new VectorIndex({ dim: 2, space: 'ip', modelId: 'm' });
    ip.add(1, unit(2, 0));
    ip.add(2, unit(1, 0));
    expect(ip.search(unit(1, 0), 2)).toEqual([
      { id: 1, score: expect.closeTo(2, 5) },
      { id: 2, score: expect.closeTo(1, 5) },
    ]);
    const l2 = new VectorIndex({ dim: 2, space: 'l2', modelId: 'm' });
    l2.add(1, unit(3, 0));
    l2.add(2, unit(1, 0));
    expect(l2.search(unit(0, 0), 2)).toEqual([
      { id: 2, score: expect.closeTo(-1, 5) },
      { id: 1, score: expect.closeTo(-9, 5) },
    ]);
  });

  it('returns nothing from an empty index and caps k at the live count', () => {
    const index = new VectorIndex({ dim: 2, space: 'cosine', modelId: 'm', maxElements: 2 });
    expect(index.search(unit(1, 0), 5)).toEqual([]);
    index.add(1, unit(1, 0));
    expect(index.search(unit(1, 0), 50)).toHaveLength(1);
  });
});

describe('VectorIndex.load refuses a mismatched index', () => {
  function saved(kbVersion?: number): string {
    const index = new VectorIndex({ dim: 4, space: 'cosine', modelId: 'org/model-a' });
    index.add(1, new Float32Array([1, 0, 0, 0]));
    index.add(2, new Float32Array([0, 1, 0, 0]));
    const dir = tmp();
    index.save(dir, { kbVersion });
    return dir;
  }
  const expectMismatch = (fn: () => unknown, field: string, message: RegExp) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(IndexMismatchError);
      expect((err as IndexMismatchError).field).toBe(field);
      expect((err as Error).message).toMatch(message);
      return;
    }
    throw new Error('expected an IndexMismatchError');
  };

  it('on dims', () => {
    const dir = saved();
    expectMismatch(
      () => VectorIndex.load(dir, { dim: 8, modelId: 'org/model-a' }),
      'dims',
      /dims 4, expected 8/,
    );
  });

  it('on modelId', () => {
    const dir = saved();
    expectMismatch(
      () => VectorIndex.load(dir, { dim: 4, modelId: 'org/model-b' }),
      'modelId',
      /built with model 'org\/model-a', expected 'org\/model-b'/,
    );
  });

  it('on space', () => {
    const dir = saved();
    expectMismatch(
      () => VectorIndex.load(dir, { dim: 4, modelId: 'org/model-a', space: 'ip' }),
      'space',
      /uses space 'cosine', expected 'ip'/,
    );
  });

  it('on kbVersion (stale index)', () => {
    const dir = saved(3);
    expectMismatch(
      () => VectorIndex.load(dir, { dim: 4, modelId: 'org/model-a', kbVersion: 4 }),
      'kbVersion',
      /KB version 3, expected 4/,
    );
    expect(VectorIndex.load(dir, { dim: 4, modelId: 'org/model-a', kbVersion: 3 }).size).toBe(2);
  });

  it('on a corrupted index file (checksum)', () => {
    const dir = saved();
    const path = join(dir, 'index.hnsw');
    const bytes = readFileSync(path);
    bytes[bytes.length - 5] ^= 0xff;
    writeFileSync(path, bytes);
    expectMismatch(
      () => VectorIndex.load(dir, { dim: 4, modelId: 'org/model-a' }),
      'checksum',
      /does not match its manifest checksum/,
    );
  });

  it('on missing files', () => {
    expectMismatch(
      () => VectorIndex.load(tmp(), { dim: 4, modelId: 'org/model-a' }),
      'file',
      /no vector index manifest/,
    );
    const dir = saved();
    rmSync(join(dir, 'index.hnsw'));
    expectMismatch(
      () => VectorIndex.load(dir, { dim: 4, modelId: 'org/model-a' }),
      'file',
      /index\.hnsw is missing/,
    );
  });
});
