/** Record every loaded rule set whose content hash is new as a version (at start). */
export class RecordRuleSets {}

export interface RecordRuleSetsResult {
  /** Ids of the versions recorded by this call (empty when every hash was known). */
  recorded: string[];
}
