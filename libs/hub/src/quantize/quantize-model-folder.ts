/**
 * Quantizes the fp32 ONNX file of a model folder into model_quantized.onnx beside it, the
 * name Hugging Face exports use and the model-folder loader already prefers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { arch } from 'node:os';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { quantizeOnnxModel, type DynamicQuantizeOptions } from './dynamic-quantizer';

export const QUANTIZED_ONNX_NAME = 'model_quantized.onnx';

export interface QuantizedFolder {
  fp32Path: string;
  int8Path: string;
  fp32Bytes: number;
  int8Bytes: number;
  quantizedMatMuls: number;
  quantizedGathers: number;
}

/** The fp32 model.onnx of a folder (root first, then onnx/), or a clear error. */
function findFp32Onnx(dir: string): string {
  const root = resolve(dir);
  for (const candidate of [join(root, 'model.onnx'), join(root, 'onnx', 'model.onnx')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${root} has no model.onnx (or onnx/model.onnx) to quantize; run "wendao models convert" first if it holds a checkpoint`,
  );
}

/**
 * x86 CPUs without VNNI multiply uint8 x int8 pairs with an instruction that saturates at int16,
 * which full-range int8 weights can hit; 7-bit weights cannot. Decided from /proc/cpuinfo.
 */
export function needsReducedRange(
  cpuinfo: string | undefined = readCpuinfo(),
  cpuArch: string = arch(),
): boolean {
  if (cpuArch !== 'x64' && cpuArch !== 'ia32') return false;
  if (cpuinfo === undefined) return false;
  const flags = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1].split(/\s+/) ?? [];
  return !flags.some((f) => f === 'avx512_vnni' || f === 'avx_vnni' || f === 'amx_int8');
}

function readCpuinfo(): string | undefined {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return undefined;
  }
}

/** reduceRange defaults to what this machine's CPU needs (see needsReducedRange). */
export async function quantizeModelFolder(
  dir: string,
  options: DynamicQuantizeOptions = {},
): Promise<QuantizedFolder> {
  const fp32Path = findFp32Onnx(dir);
  const int8Path = join(dirname(fp32Path), QUANTIZED_ONNX_NAME);
  const fp32 = await readFile(fp32Path);
  const result = quantizeOnnxModel(fp32, {
    ...options,
    reduceRange: options.reduceRange ?? needsReducedRange(),
  });
  // Write-then-rename: a reader (a running server) never opens a half-written model.
  await writeFile(`${int8Path}.tmp`, result.bytes);
  await rename(`${int8Path}.tmp`, int8Path);
  return {
    fp32Path,
    int8Path,
    fp32Bytes: fp32.length,
    int8Bytes: (await stat(int8Path)).size,
    quantizedMatMuls: result.quantizedMatMuls,
    quantizedGathers: result.quantizedGathers,
  };
}
