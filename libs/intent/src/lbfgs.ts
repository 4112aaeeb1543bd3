/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithms 7.4 and 7.5) with a
 * backtracking Armijo line search: full-batch minimisation of a smooth convex objective such as the
 * L2-regularised softmax loss. No npm package of it is both maintained and typed, so it lives here
 * and is checked against scikit-learn's lbfgs fit (libs/intent/scripts/sklearn-reference.py).
 */

/** Writes the gradient at `x` into `gradient` and returns the objective's value there. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Correction pairs kept (scipy's default is 10). */
  memory?: number;
  maxIterations?: number;
  /** Stop when the largest gradient component is at most this (scipy's pgtol). */
  gradientTolerance?: number;
  /** Stop when an iteration lowers the value by less than this share of it (scipy's factr * eps). */
  valueTolerance?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** Objective evaluations (line-search tries included). */
  evaluations: number;
  /** True when a tolerance was met, false when the iteration cap or a failed line search stopped it. */
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

export function minimizeLbfgs(
  objective: Objective,
  start: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const memory = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? 500;
  const gradientTolerance = options.gradientTolerance ?? 1e-5;
  const valueTolerance = options.valueTolerance ?? 1e-12;
  const n = start.length;

  let x = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let evaluations = 1;
  let value = objective(x, gradient);
  if (!Number.isFinite(value)) throw new Error('minimizeLbfgs: the objective is not finite at the start');

  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  const alpha = new Float64Array(memory);
  let nextX = new Float64Array(n);
  let nextGradient = new Float64Array(n);

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(gradient) <= gradientTolerance)
      return { x, value, iterations: iteration, evaluations, converged: true };

    // Two-loop recursion: direction = -H * gradient.
    for (let i = 0; i < n; i++) direction[i] = -gradient[i];
    const k = sHistory.length;
    for (let j = k - 1; j >= 0; j--) {
      alpha[j] = rhoHistory[j] * dot(sHistory[j], direction);
      const y = yHistory[j];
      for (let i = 0; i < n; i++) direction[i] -= alpha[j] * y[i];
    }
    if (k > 0) {
      const gamma = dot(sHistory[k - 1], yHistory[k - 1]) / dot(yHistory[k - 1], yHistory[k - 1]);
      for (let i = 0; i < n; i++) direction[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const beta = rhoHistory[j] * dot(yHistory[j], direction);
      const s = sHistory[j];
      for (let i = 0; i < n; i++) direction[i] += s[i] * (alpha[j] - beta);
    }

    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHistory.length = yHistory.length = rhoHistory.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -gradient[i];
      slope = dot(gradient, direction);
    }

    // Backtracking line search (Armijo, c1 = 1e-4); the first step is scaled to length 1.
    let step = k === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let nextValue = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) nextX[i] = x[i] + step * direction[i];
      nextValue = objective(nextX, nextGradient);
      evaluations++;
      if (Number.isFinite(nextValue) && nextValue <= value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) return { x, value, iterations: iteration, evaluations, converged: false };

    // The oldest pair's arrays are reused once the memory is full.
    const recycled = sHistory.length === memory;
    const s = recycled ? sHistory.shift()! : new Float64Array(n);
    const y = recycled ? yHistory.shift()! : new Float64Array(n);
    if (recycled) rhoHistory.shift();
    for (let i = 0; i < n; i++) {
      s[i] = nextX[i] - x[i];
      y[i] = nextGradient[i] - gradient[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    }

    const decrease = value - nextValue;
    [x, nextX] = [nextX, x];
    [gradient, nextGradient] = [nextGradient, gradient];
    value = nextValue;
    if (decrease <= valueTolerance * Math.max(Math.abs(value), Math.abs(value + decrease), 1))
      return { x, value, iterations: iteration + 1, evaluations, converged: true };
  }
  return {
    x,
    value,
    iterations: maxIterations,
    evaluations,
    converged: maxAbs(gradient) <= gradientTolerance,
  };
}
