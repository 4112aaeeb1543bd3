/**
 * What a benchmark number was measured on: CPU, cores, load, Node and the inference runtimes.
 * Recorded in every bench/results/*.json so numbers from different machines are never compared blind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { vectorExtensionOf } from '@wendao/eval';

export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs this process may use (nproc). */
  nproc: number;
  cpuFlags: { avx2: boolean; avx512: boolean; avx512vnni: boolean; amx: boolean };
  /** The widest INT8 vector extension (vectorExtensionOf): INT8 scores differ between CPUs that differ here. */
  vectorExtension: string;
  memoryGiB: number;
  os: string;
  node: string;
  onnxruntimeNode?: string;
  transformersJs?: string;
  /** /proc/loadavg's 1, 5 and 15 minute averages when the info was taken. */
  loadAverage: [number, number, number];
}

/** `name`'s package.json version, found by walking up from its resolved entry (works when "exports" hides package.json). */
export function packageVersion(name: string): string | undefined {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    return undefined;
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (json.name === name) return json.version;
  }
  return undefined;
}

function cpuInfo(): { model: string; flags: string[] } {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim();
    const flags = /^flags\s*:\s*(.+)$/m.exec(text)?.[1]?.split(/\s+/) ?? [];
    return { model: model ?? cpus()[0]?.model ?? 'unknown', flags };
  } catch {
    return { model: cpus()[0]?.model ?? 'unknown', flags: [] };
  }
}

export function machineInfo(): MachineInfo {
  const { model, flags } = cpuInfo();
  const [one, five, fifteen] = loadavg();
  return {
    cpuModel: model,
    nproc: availableParallelism(),
    cpuFlags: {
      avx2: flags.includes('avx2'),
      avx512: flags.includes('avx512f'),
      avx512vnni: flags.includes('avx512_vnni'),
      amx: flags.includes('amx_int8'),
    },
    vectorExtension: vectorExtensionOf(flags),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    onnxruntimeNode: packageVersion('onnxruntime-node'),
    transformersJs: packageVersion('@huggingface/transformers'),
    loadAverage: [one, five, fifteen].map((n) => Math.round(n * 100) / 100) as [number, number, number],
  };
}

/** One line for a table caption or log. */
export function describeMachine(info: MachineInfo): string {
  return (
    `${info.cpuModel} (${info.vectorExtension}), ${info.nproc} CPUs, ${info.memoryGiB} GiB, Node ${info.node}, ` +
    `onnxruntime-node ${info.onnxruntimeNode ?? '?'}, load ${info.loadAverage.join(' ')}`
  );
}
