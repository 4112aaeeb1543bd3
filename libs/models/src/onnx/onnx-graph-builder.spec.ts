import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '@wendao/models';

describe('OnnxGraphBuilder', () => {
  it('builds a graph onnxruntime runs: affine map, reshape by int64 constant, dynamic batch', async () => {
    const g = new OnnxGraphBuilder('affine');
    g.addInput('x', 'float32', ['batch', 2]);
    const w = g.addInitializer('w', 'float32', [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
    const y = g.op('Add', [g.op('MatMul', ['x', w]), g.constFloat('b', [0.5, -0.5, 1])]);
    g.op('Reshape', [y, g.constInt64('shape', [-1, 3, 1])], { output: 'y' });
    g.addOutput('y', 'float32', ['batch', 3, 1]);

    const session = await ort.InferenceSession.create(g.serialize());
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 0, 0, 2]), [2, 2]) });
    expect(out.y.dims).toEqual([2, 3, 1]);
    // [1,0]·W + b = [1.5, 1.5, 4]; [0,2]·W + b = [8.5, 9.5, 13]
    expect(Array.from(out.y.data as Float32Array)).toEqual([1.5, 1.5, 4, 8.5, 9.5, 13]);
  });

  it('stores initializers as raw little-endian data and shares identical constants', () => {
    const g = new OnnxGraphBuilder();
    g.addInput('x', 'float32', [4]);
    const a = g.constFloat('half', [0.5], []);
    const b = g.constFloat('also_half', [0.5], []);
    const c = g.constFloat('half', [0.25], []);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    g.op('Mul', ['x', a], { output: 'y' });
    g.addOutput('y', 'float32', [4]);
    const model = onnx.ModelProto.decode(g.serialize({ opset: 17 }));
    expect(Number(model.opsetImport[0].version)).toBe(17);
    const half = model.graph!.initializer!.find((t) => t.name === a)!;
    expect(half.dataType).toBe(onnx.TensorProto.DataType.FLOAT);
    expect(Buffer.from(half.rawData!).readFloatLE(0)).toBe(0.5);
    expect(model.graph!.initializer).toHaveLength(2);
  });

  it('rejects dangling inputs, reused names, undeclared outputs and wrong-sized data', () => {
    const g = new OnnxGraphBuilder();
    g.addInput('x', 'float32', [2]);
    expect(() => g.op('Relu', ['nope'])).toThrow(/unknown input "nope"/);
    expect(() => g.addInput('x', 'float32', [2])).toThrow(/already used/);
    expect(() => g.addOutput('missing', 'float32', [2])).toThrow(/not produced/);
    expect(() => g.addInitializer('w', 'float32', [2, 2], new Float32Array(3))).toThrow(/3 values for dims \[2,2\]/);
    expect(() => g.addInitializer('w', 'int64', [2], new Float32Array(2))).toThrow(/element size/);
    expect(() => g.serialize()).toThrow(/no outputs/);
  });

  it('derives unique value names from a base', () => {
    const g = new OnnxGraphBuilder();
    g.addInput('x', 'float32', [1]);
    const first = g.op('Relu', ['x']);
    const second = g.op('Relu', ['x']);
    expect(first).not.toBe(second);
    expect(g.uniqueName('x')).not.toBe('x');
  });
});
