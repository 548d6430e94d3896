export interface ScoreOptions {
  /**
   * Build the Chinese explanations and finding messages (default true). Bulk re-scoring turns them off:
   * then no strings are built at all and each finding's `message` is empty (re-score one evaluation with
   * explanations to read them).
   */
  explain?: boolean;
}
