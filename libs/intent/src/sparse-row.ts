/** A feature vector as its non-zero entries: `indices` ascending, `values` beside them. */
export interface SparseRow {
  indices: Int32Array;
  values: Float64Array;
}
