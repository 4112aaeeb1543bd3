import { describe, expect, it } from 'vitest';
import { describeMachine, vectorExtensionOf } from './eval-record';

describe('the machine a record names', () => {
  it('names the widest INT8 vector extension, since INT8 scores differ between them', () => {
    expect(vectorExtensionOf(['fpu', 'avx2', 'avx512f', 'avx512_vnni', 'amx_int8'])).toBe('amx');
    expect(vectorExtensionOf(['avx2', 'avx512f', 'avx512_vnni'])).toBe('avx512-vnni');
    expect(vectorExtensionOf(['avx2', 'avx512f'])).toBe('avx512');
    expect(vectorExtensionOf(['sse4_2', 'avx2', 'vaes'])).toBe('avx2');
    expect(vectorExtensionOf(['sse4_2'])).toBe('no avx2');
  });

  it('puts it after the CPU model on Linux', () => {
    const line = describeMachine();
    expect(line).toMatch(/ x\d+, \d+ GiB, Node v/);
    if (process.platform === 'linux') expect(line).toMatch(/\((amx|avx512-vnni|avx512|avx2|no avx2)\) x\d+,/);
  });
});
