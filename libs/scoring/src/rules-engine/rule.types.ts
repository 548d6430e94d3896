import type { Condition } from '../rule-set/rule-set.schema';

/** The event a rule fires: json-rules-engine keeps `type` and, when truthy, `params`. */
export interface RuleEvent {
  type: string;
  params?: Record<string, unknown>;
}

/** A json-rules-engine rule as written in a rule set (grades, tiers, checks, routing all fit this shape). */
export interface JsonRule {
  name?: string;
  priority?: number;
  conditions: { all: Condition[] } | { any: Condition[] } | { not: Condition };
  event: RuleEvent;
}

/** Fact values known at run time; plain data (json-rules-engine would call a function value as a dynamic fact). */
export type Facts = Readonly<Record<string, unknown>>;
