/**
 * Approximate nearest-neighbour search over passage/FAQ embeddings (hnswlib HNSW graph), keyed by the
 * caller's integer ids, with deletes, in-place replacement, automatic growth and a checksummed manifest
 * so a stale or foreign index on disk is refused instead of silently answering from the wrong vectors.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HierarchicalNSW } from 'hnswlib-node';
import { IndexMismatchError } from './index-mismatch-error';
import type { IdFilter, ScoredId } from './scored-id';

export type VectorSpace = 'cosine' | 'ip' | 'l2';

export interface VectorIndexOptions {
  dim: number;
  space: VectorSpace;
  /** The embedding model the vectors came from; a loaded index must match it. */
  modelId: string;
  /** Initial capacity; the index doubles itself when full. */
  maxElements?: number;
  M?: number;
  efConstruction?: number;
  /**
   * Default search breadth, raised to k when k is larger (default 128: on 100k embedding-like 384-d
   * vectors ef 64 reached recall@10 0.87, ef 128 0.96; see docs/benchmarks.md).
   */
  efSearch?: number;
  /** Seed for the level generator, so builds are reproducible. */
  randomSeed?: number;
}

export interface VectorSearchOptions {
  ef?: number;
  filter?: IdFilter;
}

export interface VectorIndexManifest {
  formatVersion: number;
  dims: number;
  space: VectorSpace;
  modelId: string;
  /** Live (not removed) vectors. */
  count: number;
  kbVersion?: string | number;
  /** sha256 of the index file, hex. */
  checksum: string;
  createdAt: string;
  M: number;
  efConstruction: number;
  /** Ids still in the graph but marked deleted: hnswlib keeps them, `has()` must not. */
  deletedIds: number[];
}

export interface VectorIndexExpectation {
  dim: number;
  modelId: string;
  space?: VectorSpace;
  /** When given, an index saved for another KB version is refused (it is stale). */
  kbVersion?: string | number;
}

const FORMAT_VERSION = 1;
const INDEX_FILE = 'index.hnsw';
const MANIFEST_FILE = 'manifest.json';
const MAX_ID = 0xffffffff; // hnswlib labels are unsigned 32-bit here

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export class VectorIndex {
  readonly dim: number;
  readonly space: VectorSpace;
  readonly modelId: string;
  readonly M: number;
  readonly efConstruction: number;
  efSearch: number;
  private hnsw: HierarchicalNSW;
  private readonly live = new Set<number>();
  private readonly deleted = new Set<number>();

  constructor(options: VectorIndexOptions) {
    const { dim, space, modelId } = options;
    if (!Number.isInteger(dim) || dim <= 0)
      throw new Error(`VectorIndex: dim must be a positive integer, got ${dim}`);
    if (space !== 'cosine' && space !== 'ip' && space !== 'l2')
      throw new Error(`VectorIndex: space must be 'cosine', 'ip' or 'l2', got '${String(space)}'`);
    if (!modelId)
      throw new Error('VectorIndex: modelId is required (the embedding model the vectors came from)');
    this.dim = dim;
    this.space = space;
    this.modelId = modelId;
    this.M = options.M ?? 16;
    this.efConstruction = options.efConstruction ?? 200;
    this.efSearch = options.efSearch ?? 128;
    this.hnsw = new HierarchicalNSW(space, dim);
    this.hnsw.initIndex({
      maxElements: Math.max(1, options.maxElements ?? 1024),
      m: this.M,
      efConstruction: this.efConstruction,
      randomSeed: options.randomSeed ?? 100,
    });
  }

  /** Number of live (searchable) vectors. */
  get size(): number {
    return this.live.size;
  }

  /** Current capacity before the next doubling. */
  get capacity(): number {
    return this.hnsw.getMaxElements();
  }

  has(id: number): boolean {
    return this.live.has(id);
  }

  /** Live ids in no particular order. */
  ids(): number[] {
    return [...this.live];
  }

  /** Adds a new id; adding an id that is already live is a caller bug (use `upsert` to replace). */
  add(id: number, vector: Float32Array | number[]): void {
    this.checkId(id);
    if (this.live.has(id))
      throw new Error(`VectorIndex: id ${id} is already in the index; use upsert to replace it`);
    this.put(id, vector);
  }

  /** Adds or replaces: the previous vector of `id` is overwritten in the graph, so it can never match again. */
  upsert(id: number, vector: Float32Array | number[]): void {
    this.checkId(id);
    this.put(id, vector);
  }

  /** Marks `id` deleted; returns false when it was not in the index. */
  remove(id: number): boolean {
    if (!this.live.has(id)) return false;
    this.hnsw.markDelete(id);
    this.live.delete(id);
    this.deleted.add(id);
    return true;
  }

  /**
   * The k nearest live vectors, best first. Score: cosine similarity for 'cosine', inner product for
   * 'ip', negative squared distance for 'l2' (so higher is better everywhere). A filter may leave fewer
   * than k hits.
   */
  search(vector: Float32Array | number[], k: number, options: VectorSearchOptions = {}): ScoredId[] {
    const point = this.toPoint(vector, 'query');
    if (!Number.isInteger(k) || k < 0)
      throw new Error(`VectorIndex: k must be a non-negative integer, got ${k}`);
    const n = Math.min(k, this.live.size);
    if (n === 0) return [];
    this.hnsw.setEf(Math.max(options.ef ?? this.efSearch, n));
    const { distances, neighbors } = this.hnsw.searchKnn(point, n, options.filter);
    const hits: ScoredId[] = neighbors.map((id, i) => ({ id, score: this.toScore(distances[i]) }));
    return hits.sort((a, b) => b.score - a.score);
  }

  /** Writes `index.hnsw` and `manifest.json` into `dir` (created if needed); returns the manifest. */
  save(dir: string, options: { kbVersion?: string | number } = {}): VectorIndexManifest {
    mkdirSync(dir, { recursive: true });
    const indexPath = join(dir, INDEX_FILE);
    // Write-then-rename so a crash mid-save never leaves a half-written index next to an old manifest.
    const tmpIndex = `${indexPath}.${process.pid}.tmp`;
    this.hnsw.writeIndexSync(tmpIndex);
    const checksum = sha256File(tmpIndex);
    renameSync(tmpIndex, indexPath);
    const manifest: VectorIndexManifest = {
      formatVersion: FORMAT_VERSION,
      dims: this.dim,
      space: this.space,
      modelId: this.modelId,
      count: this.live.size,
      ...(options.kbVersion !== undefined ? { kbVersion: options.kbVersion } : {}),
      checksum,
      createdAt: new Date().toISOString(),
      M: this.M,
      efConstruction: this.efConstruction,
      deletedIds: [...this.deleted].sort((a, b) => a - b),
    };
    const manifestPath = join(dir, MANIFEST_FILE);
    writeFileSync(`${manifestPath}.tmp`, JSON.stringify(manifest, null, 2));
    renameSync(`${manifestPath}.tmp`, manifestPath);
    return manifest;
  }

  /** Reads the manifest of a saved index without loading it (e.g. to decide whether to rebuild). */
  static readManifest(dir: string): VectorIndexManifest {
    const manifestPath = join(dir, MANIFEST_FILE);
    if (!existsSync(manifestPath))
      throw new IndexMismatchError(`no vector index manifest at ${manifestPath}`, 'file');
    try {
      return JSON.parse(readFileSync(manifestPath, 'utf8')) as VectorIndexManifest;
    } catch (err) {
      throw new IndexMismatchError(
        `vector index manifest ${manifestPath} is not valid JSON: ${(err as Error).message}`,
        'manifest',
      );
    }
  }

  /**
   * Loads an index saved by `save`, refusing (IndexMismatchError) when the manifest disagrees with what
   * the caller needs or the index file does not match its checksum.
   */
  static load(
    dir: string,
    expected: VectorIndexExpectation,
    options: Pick<VectorIndexOptions, 'efSearch'> = {},
  ): VectorIndex {
    const m = VectorIndex.readManifest(dir);
    if (m.formatVersion !== FORMAT_VERSION)
      throw new IndexMismatchError(
        `vector index in ${dir} has format version ${m.formatVersion}, this build reads ${FORMAT_VERSION}`,
        'formatVersion',
      );
    if (m.dims !== expected.dim)
      throw new IndexMismatchError(
        `vector index in ${dir} has dims ${m.dims}, expected ${expected.dim} (model ${expected.modelId})`,
        'dims',
      );
    if (m.modelId !== expected.modelId)
      throw new IndexMismatchError(
        `vector index in ${dir} was built with model '${m.modelId}', expected '${expected.modelId}'`,
        'modelId',
      );
    if (expected.space !== undefined && m.space !== expected.space)
      throw new IndexMismatchError(
        `vector index in ${dir} uses space '${m.space}', expected '${expected.space}'`,
        'space',
      );
    if (expected.kbVersion !== undefined && String(m.kbVersion) !== String(expected.kbVersion))
      throw new IndexMismatchError(
        `vector index in ${dir} is for KB version ${String(m.kbVersion)}, expected ${String(expected.kbVersion)}`,
        'kbVersion',
      );
    const indexPath = join(dir, INDEX_FILE);
    if (!existsSync(indexPath))
      throw new IndexMismatchError(`vector index file ${indexPath} is missing (manifest present)`, 'file');
    const actual = sha256File(indexPath);
    if (actual !== m.checksum)
      throw new IndexMismatchError(
        `vector index file ${indexPath} does not match its manifest checksum (sha256 ${actual.slice(0, 12)}…, ` +
          `manifest ${String(m.checksum).slice(0, 12)}…): the file is corrupt or from another save`,
        'checksum',
      );

    const index = new VectorIndex({
      dim: m.dims,
      space: m.space,
      modelId: m.modelId,
      maxElements: 1,
      M: m.M,
      efConstruction: m.efConstruction,
      efSearch: options.efSearch,
    });
    const hnsw = new HierarchicalNSW(m.space, m.dims);
    hnsw.readIndexSync(indexPath);
    index.hnsw = hnsw;
    const deleted = new Set(m.deletedIds ?? []);
    for (const id of hnsw.getIdsList()) {
      if (deleted.has(id)) index.deleted.add(id);
      else index.live.add(id);
    }
    if (index.live.size !== m.count)
      throw new IndexMismatchError(
        `vector index in ${dir} holds ${index.live.size} live vectors, manifest says ${m.count}`,
        'count',
      );
    return index;
  }

  private put(id: number, vector: Float32Array | number[]): void {
    const point = this.toPoint(vector, `id ${id}`);
    const isNewLabel = !this.live.has(id) && !this.deleted.has(id);
    if (isNewLabel && this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements())
      this.hnsw.resizeIndex(this.hnsw.getMaxElements() * 2);
    // hnswlib's addPoint on an existing label (live or marked deleted) overwrites its vector and relinks
    // it, which is exactly replace semantics: the old vector is gone from the graph.
    this.hnsw.addPoint(point, id);
    this.deleted.delete(id);
    this.live.add(id);
  }

  private checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id > MAX_ID)
      throw new Error(`VectorIndex: id must be an integer in 0..${MAX_ID}, got ${id}`);
  }

  private toPoint(vector: Float32Array | number[], what: string): number[] {
    if (!(vector instanceof Float32Array) && !Array.isArray(vector))
      throw new Error(`VectorIndex: vector for ${what} must be a Float32Array or number[]`);
    if (vector.length !== this.dim)
      throw new Error(
        `VectorIndex: vector for ${what} has ${vector.length} values, index dimension is ${this.dim}`,
      );
    let norm = 0;
    for (let i = 0; i < vector.length; i++) {
      const v = vector[i];
      if (!Number.isFinite(v))
        throw new Error(`VectorIndex: vector for ${what} has a non-finite value at ${i} (${v})`);
      norm += v * v;
    }
    if (this.space === 'cosine' && norm === 0)
      throw new Error(`VectorIndex: vector for ${what} is all zeros, which has no cosine similarity`);
    return Array.from(vector);
  }

  private toScore(distance: number): number {
    // hnswlib distances: cosine/ip = 1 - dot (of normalised vectors for cosine), l2 = squared distance.
    return this.space === 'l2' ? -distance : 1 - distance;
  }
}
