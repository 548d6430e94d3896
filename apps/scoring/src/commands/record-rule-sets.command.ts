/** Record the rules/ files as versions (at start): new texts become drafts, a rule set's first version is activated. */
export class RecordRuleSets {}

export interface RecordRuleSetsResult {
  /** Ids of the versions recorded by this call (empty when every text was known). */
  recorded: string[];
  /** Ids of the versions activated because their rule set had no active version. */
  activated: string[];
}
