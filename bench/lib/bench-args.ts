/**
 * The flags every bench understands: --quick (smoke run, a few iterations), --threads N[,M...]
 * (onnxruntime intra-op threads, the same for every engine; a list runs each), --models-dir
 * (random-model cache) and --out (result JSON path).
 */
import { availableParallelism } from 'node:os';

export interface BenchArgs {
  quick: boolean;
  /** Intra-op threads (the first of --threads when it lists several). */
  threads: number;
  /** Every thread count --threads listed, in order; benches that compare thread counts run each. */
  threadCounts: number[];
  modelsDir?: string;
  out?: string;
}

export function parseBenchArgs(
  argv: readonly string[],
  defaults: { out?: string; threadCounts?: number[] } = {},
): BenchArgs {
  const threadCounts = defaults.threadCounts ?? [availableParallelism()];
  const args: BenchArgs = { quick: false, threads: threadCounts[0], threadCounts, out: defaults.out };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--quick':
        args.quick = true;
        break;
      case '--threads': {
        const list = value().split(',').map(Number);
        if (!list.every((n) => Number.isInteger(n) && n >= 1)) {
          throw new Error(`--threads takes positive integers separated by commas, got ${argv[i]}`);
        }
        args.threadCounts = list;
        args.threads = list[0];
        break;
      }
      case '--models-dir':
        args.modelsDir = value();
        break;
      case '--out':
        args.out = value();
        break;
      default:
        throw new Error(
          `unknown flag ${flag} (known: --quick, --threads N[,M], --models-dir DIR, --out FILE)`,
        );
    }
  }
  return args;
}
