/** Every loaded rule set with its recorded version. */
export class ListRuleSets {}

/** The effective rule set for a region (code or name) and fiscal year (null: the latest). */
export class GetEffectiveRuleSet {
  constructor(
    readonly region: string,
    readonly fiscalYear: number | null,
  ) {}
}
