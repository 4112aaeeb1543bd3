/**
 * Multinomial logistic regression (softmax) with an L2 penalty on the weights, fitted by L-BFGS on
 * the full batch. The objective is scikit-learn's LogisticRegression(C) one divided by the number of
 * examples: mean cross-entropy + ||W||² / (2·C·n), the intercept unpenalised.
 */
import { minimizeLbfgs } from './lbfgs';
import type { SparseRow } from './sparse-row';

export interface SoftmaxFitOptions {
  /** Inverse regularisation strength, as scikit-learn's C. */
  c: number;
  maxIterations?: number;
  gradientTolerance?: number;
}

export interface SoftmaxModel {
  classes: number;
  dim: number;
  /** Feature-major: weights[feature * classes + class]. */
  weights: Float64Array;
  bias: Float64Array;
}

export interface SoftmaxFit {
  model: SoftmaxModel;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Mean cross-entropy + penalty at the solution. */
  loss: number;
}

/** Class scores (logits) of one row into `out`. */
function logits(
  weights: Float64Array,
  bias: Float64Array,
  classes: number,
  row: SparseRow,
  out: Float64Array,
): void {
  out.set(bias.subarray(0, classes));
  const { indices, values } = row;
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k] * classes;
    const v = values[k];
    for (let c = 0; c < classes; c++) out[c] += v * weights[base + c];
  }
}

/** In-place softmax; returns log(sum(exp(z))) of the input. */
function softmaxInPlace(z: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c] - max);
    sum += z[c];
  }
  for (let c = 0; c < z.length; c++) z[c] /= sum;
  return max + Math.log(sum);
}

export function fitSoftmaxRegression(
  rows: readonly SparseRow[],
  labels: ArrayLike<number>,
  classes: number,
  dim: number,
  options: SoftmaxFitOptions,
): SoftmaxFit {
  const n = rows.length;
  if (n === 0) throw new Error('fitSoftmaxRegression: no examples');
  if (labels.length !== n) throw new Error(`fitSoftmaxRegression: ${n} rows but ${labels.length} labels`);
  if (!(options.c > 0)) throw new Error(`fitSoftmaxRegression: C must be positive, got ${options.c}`);
  const weightCount = dim * classes;
  const penalty = 1 / (options.c * n);
  const z = new Float64Array(classes);

  const objective = (x: Float64Array, gradient: Float64Array): number => {
    const weights = x.subarray(0, weightCount);
    const bias = x.subarray(weightCount);
    gradient.fill(0);
    const gradWeights = gradient.subarray(0, weightCount);
    const gradBias = gradient.subarray(weightCount);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      logits(weights, bias, classes, row, z);
      const y = labels[i];
      const zy = z[y];
      loss += softmaxInPlace(z) - zy;
      z[y] -= 1;
      const { indices, values } = row;
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k] * classes;
        const v = values[k];
        for (let c = 0; c < classes; c++) gradWeights[base + c] += v * z[c];
      }
      for (let c = 0; c < classes; c++) gradBias[c] += z[c];
    }
    let squared = 0;
    for (let j = 0; j < weightCount; j++) {
      const w = weights[j];
      squared += w * w;
      gradWeights[j] = gradWeights[j] / n + penalty * w;
    }
    for (let c = 0; c < classes; c++) gradBias[c] /= n;
    return loss / n + 0.5 * penalty * squared;
  };

  const result = minimizeLbfgs(objective, new Float64Array(weightCount + classes), {
    maxIterations: options.maxIterations ?? 500,
    gradientTolerance: options.gradientTolerance ?? 1e-6,
    // Each kept pair costs two parameter-sized arrays and four passes per iteration.
    memory: weightCount > 500_000 ? 5 : 10,
  });
  return {
    model: {
      classes,
      dim,
      weights: result.x.slice(0, weightCount),
      bias: result.x.slice(weightCount),
    },
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    loss: result.value,
  };
}

/** Class probabilities of one row. */
export function softmaxProbabilities(model: SoftmaxModel, row: SparseRow): Float64Array {
  const z = new Float64Array(model.classes);
  logits(model.weights, model.bias, model.classes, row, z);
  softmaxInPlace(z);
  return z;
}
