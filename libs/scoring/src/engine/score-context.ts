import type { ResolvedRuleSet, Rounding } from '../rule-set/rule-set.schema';
import type { PreparedRuleSet } from './prepared-rule-set';

/** What every step of one scoring run needs to know. */
export interface ScoreContext {
  rs: ResolvedRuleSet;
  prep: PreparedRuleSet;
  fiscalYear: number;
  explain: boolean;
  /** Parsed rows come from, and go to, the rule set's memo (ScoreOptions.memo). */
  memo: boolean;
  /** decimals shown in explanations */
  precision: number;
  /**
   * Row and execution scores keep at least 2 decimals (as forms write them) in the rule set's rounding mode;
   * the rule set's own precision applies to the total, so whole-number regions round the total, not each row.
   */
  partRounding: Rounding;
}
