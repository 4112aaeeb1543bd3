/**
 * The seeded uniform generator training shuffles with: the same mulberry32 sequence as @wendao/models'
 * SeededRandom.next() (mulberry32.spec checks it), kept here so that training, which runs in a worker
 * thread, does not load @wendao/models and with it onnxruntime and the tokenizers' native addons.
 */
export class Mulberry32 {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
    this.state = Math.trunc(seed) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
