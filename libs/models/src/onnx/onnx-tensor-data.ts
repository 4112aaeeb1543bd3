/**
 * Reads and writes the constant tensors of a decoded ONNX model. Exporters store float
 * weights either as raw little-endian bytes or as repeated float fields; both are accepted.
 */
import { onnx } from 'onnx-proto';

const DataType = onnx.TensorProto.DataType;

/** protobufjs decodes int64 fields as numbers or Long objects depending on the value size. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export function tensorDims(tensor: onnx.ITensorProto): number[] {
  return (tensor.dims ?? []).map((d) => toNumber(d as number));
}

export function isFloatTensor(tensor: onnx.ITensorProto): boolean {
  return tensor.dataType === DataType.FLOAT;
}

export function usesExternalData(tensor: onnx.ITensorProto): boolean {
  return tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL;
}

/** The float values of a FLOAT initializer, copied into an aligned array. */
export function readFloatTensor(tensor: onnx.ITensorProto): Float32Array {
  if (!isFloatTensor(tensor)) throw new Error(`initializer "${tensor.name}" is not float32`);
  if (usesExternalData(tensor)) {
    throw new Error(
      `initializer "${tensor.name}" keeps its data in an external file; re-export the model with weights inside model.onnx`,
    );
  }
  const count = tensorDims(tensor).reduce((a, b) => a * b, 1);
  if (tensor.rawData && tensor.rawData.length > 0) {
    const raw = tensor.rawData;
    if (raw.length !== count * 4) {
      throw new Error(`initializer "${tensor.name}": ${raw.length} raw bytes for ${count} float values`);
    }
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return new Float32Array(copy.buffer);
  }
  const values = tensor.floatData ?? [];
  if (values.length !== count) {
    throw new Error(`initializer "${tensor.name}": ${values.length} float values for ${count} elements`);
  }
  return Float32Array.from(values);
}

export function makeTensor(
  name: string,
  type: 'float32' | 'int8' | 'uint8',
  dims: number[],
  data: Float32Array | Int8Array | Uint8Array,
): onnx.ITensorProto {
  const dataType = type === 'float32' ? DataType.FLOAT : type === 'int8' ? DataType.INT8 : DataType.UINT8;
  return {
    name,
    dataType,
    dims,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}
