import type { ResolvedRuleSet } from '../rule-set/rule-set.schema';
import type { PreparedRuleSet } from './prepared-rule-set';

/** What every step of one scoring run needs to know. */
export interface ScoreContext {
  rs: ResolvedRuleSet;
  prep: PreparedRuleSet;
  fiscalYear: number;
  explain: boolean;
  precision: number;
}
