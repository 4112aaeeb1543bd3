import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs';

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function at (1, 1)', () => {
    const result = minimizeLbfgs(
      (x, g) => {
        const [a, b] = x;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { maxIterations: 200, gradientTolerance: 1e-8, valueTolerance: 0 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });

  it('solves a badly scaled quadratic to its closed-form minimum', () => {
    const scales = [1, 10, 100, 1000];
    const targets = [3, -2, 0.5, 7];
    const result = minimizeLbfgs(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < x.length; i++) {
          f += 0.5 * scales[i] * (x[i] - targets[i]) ** 2;
          g[i] = scales[i] * (x[i] - targets[i]);
        }
        return f;
      },
      new Float64Array(4),
      { gradientTolerance: 1e-9, valueTolerance: 0 },
    );
    targets.forEach((t, i) => expect(result.x[i]).toBeCloseTo(t, 6));
  });
});
