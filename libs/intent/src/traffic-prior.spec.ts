import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@wendao/random';
import {
  TEMPERATURES,
  TemperatureFit,
  calibrated,
  estimateTrafficPrior,
  totalVariation,
} from './traffic-prior';

/** Three classes, a 1-D Gaussian each (means -2, 0, 2, sd 1): the Bayes posterior under even priors. */
function posterior(x: number): Float64Array {
  const like = [-2, 0, 2].map((m) => Math.exp(-((x - m) ** 2) / 2));
  const sum = like.reduce((s, v) => s + v, 0);
  return Float64Array.from(like, (v) => v / sum);
}

function draw(prior: number[], n: number, random: SeededRandom): number[] {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = random.next();
    const c = u < prior[0] ? 0 : u < prior[0] + prior[1] ? 1 : 2;
    // Box-Muller
    const g = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    xs.push([-2, 0, 2][c] + g);
  }
  return xs;
}

describe('estimateTrafficPrior', () => {
  const even = [1 / 3, 1 / 3, 1 / 3];
  const traffic = [0.7, 0.2, 0.1];
  const pool = draw(traffic, 4000, new SeededRandom(5)).map(posterior);

  it('recovers the class mix of unlabelled data from calibrated posteriors (undamped EM)', () => {
    const { prior } = estimateTrafficPrior(pool, even, undefined, { damping: 0 });
    prior.forEach((p, c) => expect(p).toBeCloseTo(traffic[c], 1));
    expect(totalVariation(prior, traffic)).toBeLessThan(0.03);
    // The posteriors' plain mean is pulled towards the training mix: EM is needed.
    const mean = [0, 1, 2].map((c) => pool.reduce((s, p) => s + p[c], 0) / pool.length);
    expect(totalVariation(mean, traffic)).toBeGreaterThan(0.08);
  });

  it('damping pulls the estimate towards the training mix by the pseudo-count share', () => {
    const free = estimateTrafficPrior(pool, even, undefined, { damping: 0 }).prior;
    const damped = estimateTrafficPrior(pool, even, undefined, { damping: 0.1 }).prior;
    expect(totalVariation(damped, even)).toBeLessThan(totalVariation(free, even));
    expect(totalVariation(damped, even)).toBeGreaterThan(0.8 * totalVariation(free, even));
    expect(damped.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 10);
  });

  it('counts a question asked n times as n questions', () => {
    const texts = pool.slice(0, 50);
    const repeated = texts.flatMap((p, i) => Array.from({ length: (i % 3) + 1 }, () => p));
    const weights = texts.map((_, i) => (i % 3) + 1);
    const a = estimateTrafficPrior(repeated, even).prior;
    const b = estimateTrafficPrior(texts, even, weights).prior;
    b.forEach((p, c) => expect(p).toBeCloseTo(a[c], 9));
  });

  it('keeps the training mix for no traffic and refuses a class with no training share', () => {
    expect(estimateTrafficPrior([], even).prior).toEqual(even);
    expect(() => estimateTrafficPrior(pool, [0.5, 0.5, 0])).toThrow(/positive training share/);
  });
});

describe('TemperatureFit', () => {
  const random = new SeededRandom(9);
  const withLabels = Array.from({ length: 3000 }, () => {
    const c = Math.floor(random.next() * 3);
    const g = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    return { c, p: posterior([-2, 0, 2][c] + g) };
  });

  it('finds about 1 for calibrated probabilities, > 1 for over-confident and < 1 for under-confident ones', () => {
    const fit = (t: number) => {
      const f = new TemperatureFit();
      for (const { c, p } of withLabels) f.add(calibrated(p, t), c);
      return f.best();
    };
    expect(fit(1)).toBeGreaterThan(0.85);
    expect(fit(1)).toBeLessThan(1.2);
    // Probabilities sharpened by T = 0.5 need about T = 2 to be calibrated again; flattened by 2, about 0.5.
    expect(fit(0.5)).toBeGreaterThan(1.6);
    expect(fit(2)).toBeLessThan(0.65);
    expect(new TemperatureFit().best()).toBe(1);
    expect(TEMPERATURES[0]).toBeCloseTo(0.1, 10);
    expect(TEMPERATURES.at(-1)).toBeCloseTo(3, 10);
  });

  it('calibrated() is a distribution and leaves the order of the classes alone', () => {
    const p = Float64Array.from([0.6, 0.3, 0.1]);
    for (const t of [0.3, 1, 3]) {
      const q = calibrated(p, t);
      expect(q.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(q[0] > q[1] && q[1] > q[2]).toBe(true);
    }
    expect([...calibrated(p, 1)].map((v) => +v.toFixed(12))).toEqual([0.6, 0.3, 0.1]);
  });
});
