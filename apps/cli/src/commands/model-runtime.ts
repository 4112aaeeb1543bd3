/**
 * How the CLI's models run (ONNX threads, int8 exports, packed layout), from its config, in the
 * shape the answer-models loader takes.
 */
import type { AnswerModelOptions } from '@wendao/answer';
import type { CliConfig } from '../cli-config';

export type ModelRuntime = Pick<CliConfig, 'onnxThreads' | 'preferInt8' | 'packedLayout'>;

export function modelRuntime(
  runtime: ModelRuntime | undefined,
): Pick<AnswerModelOptions, 'threads' | 'preferInt8' | 'packed'> {
  if (!runtime) return {};
  return {
    threads: runtime.onnxThreads || undefined,
    preferInt8: runtime.preferInt8,
    packed: runtime.packedLayout,
  };
}
