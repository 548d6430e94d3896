import { z } from 'zod';
import { RuleSetFileSchema } from './rule-set.schema';

/**
 * The JSON Schema of a rule file for editors (draft-07: the best supported by VS Code and JetBrains).
 * `io: 'input'` because files are written before defaults apply.
 */
export function ruleSetJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RuleSetFileSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://jixiao.local/rules/schema.json',
    title: 'Jixiao rule set (绩效自评评分规则)',
    description:
      "One region's scoring rules for a range of fiscal years. A child states only what differs from its parent (extends).",
    ...schema,
  };
}

/** The text of `rules/schema.json`. */
export function ruleSetJsonSchemaText(): string {
  return `${JSON.stringify(ruleSetJsonSchema(), null, 2)}\n`;
}
