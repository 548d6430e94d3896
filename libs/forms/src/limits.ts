/** Bounds on untrusted input: every parse finishes in time proportional to these. */
export interface Limits {
  /** Input size in bytes (text, csv, json, xlsx file). */
  maxBytes: number;
  /** Lines (text) or rows (spreadsheet). */
  maxRows: number;
  /** Cells in one row. */
  maxCellsPerRow: number;
  /** Characters kept per cell; longer cells are cut with a warning. */
  maxCellLength: number;
  /** xlsx: entries in the zip archive. */
  maxZipEntries: number;
  /** xlsx: total declared uncompressed size of all entries. */
  maxUncompressedBytes: number;
  /** xlsx: largest allowed compression ratio of one entry. */
  maxCompressionRatio: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBytes: 10 * 1024 * 1024,
  maxRows: 100_000,
  maxCellsPerRow: 256,
  maxCellLength: 20_000,
  maxZipEntries: 2_000,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxCompressionRatio: 200,
};

export function resolveLimits(partial?: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}
