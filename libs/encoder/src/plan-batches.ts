/**
 * Decides which texts share a model run. A batch costs a fixed overhead plus rows x its longest
 * sequence, so one batch of FAQ questions padded to its longest member wastes much of its compute;
 * cutting the length-sorted texts where padding costs more than an extra run avoids that.
 */

export interface BatchPlanOptions {
  /** Most sequences in one run. */
  maxRows: number;
  /**
   * The fixed cost of one run, in padded tokens: a new run is started only when it saves more
   * padding than this. Infinity gives plain length-sorted chunks of maxRows.
   */
  runCostTokens: number;
}

/**
 * Groups sequence indices into runs: ascending length, contiguous in that order, at most maxRows
 * each, minimising sum over runs of (runCostTokens + rows x longest). Every index appears exactly once.
 */
export function planBatches(lengths: readonly number[], opts: BatchPlanOptions): number[][] {
  const { maxRows, runCostTokens } = opts;
  if (!(Number.isInteger(maxRows) && maxRows >= 1))
    throw new RangeError(`maxRows must be a positive integer, got ${maxRows}`);
  if (!(runCostTokens >= 0)) throw new RangeError(`runCostTokens must be >= 0, got ${runCostTokens}`);
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const n = order.length;
  if (!Number.isFinite(runCostTokens)) {
    const chunks: number[][] = [];
    for (let start = 0; start < n; start += maxRows) chunks.push(order.slice(start, start + maxRows));
    return chunks;
  }
  // best[i]: least cost of the first i sorted sequences; cut[i]: where its last run starts.
  const best = new Float64Array(n + 1).fill(Infinity);
  const cut = new Int32Array(n + 1);
  best[0] = 0;
  for (let end = 1; end <= n; end++) {
    const longest = lengths[order[end - 1]];
    for (let start = Math.max(0, end - maxRows); start < end; start++) {
      const cost = best[start] + runCostTokens + (end - start) * longest;
      // Ties go to the larger run: fewer runs for the same padded work.
      if (cost < best[end] || (cost === best[end] && start < cut[end])) {
        best[end] = cost;
        cut[end] = start;
      }
    }
  }
  const runs: number[][] = [];
  for (let end = n; end > 0; end = cut[end]) runs.unshift(order.slice(cut[end], end));
  return runs;
}
