export interface ScoreOptions {
  /**
   * Build the Chinese explanations and finding messages (default true). Bulk re-scoring turns them off:
   * then no strings are built at all and each finding's `message` is empty (re-score one evaluation with
   * explanations to read them).
   */
  explain?: boolean;
  /**
   * Memoise rows by their cell texts across evaluations (default true): parsed cells, row outcomes and tier
   * results are kept per rule set and reused when the same texts come again, which pays when forms repeat
   * (bench:scoring's forms, scored over and over, go ~9× faster). Bulk re-scoring turns it off: a run sees each
   * evaluation once, and on forms whose rows recur only half the time (bench:rescore's) a miss — an entry
   * allocated, kept past the young generation and promoted, then dropped when the bounded memo is emptied —
   * costs several times what a hit saves (~145 instead of ~190 µs per evaluation without it, ~195 instead of
   * ~260 µs of CPU counting the collector's threads). Results are the same either way.
   */
  memo?: boolean;
}
