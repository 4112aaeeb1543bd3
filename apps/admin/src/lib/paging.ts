/** Page arithmetic for server-side lists (pages count from 1). */
export function pageCount(pageSize: number, total: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The 1-based positions of the first and last row shown on `page`. */
export function pageRange(page: number, pageSize: number, total: number): [number, number] {
  if (total === 0) return [0, 0];
  const from = Math.min((page - 1) * pageSize + 1, total);
  return [from, Math.min(page * pageSize, total)];
}

export function pageQuery(page: number, pageSize: number): { limit: number; offset: number } {
  return { limit: pageSize, offset: (page - 1) * pageSize };
}
