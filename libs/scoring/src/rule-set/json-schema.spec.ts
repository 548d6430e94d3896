import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleSetJsonSchema, ruleSetJsonSchemaText } from './json-schema';
import { defaultRulesDir } from './rules-dir';

describe('rules/schema.json', () => {
  it('is up to date with the zod schema', () => {
    // compared as JSON, so reformatting the file (prettier) does not make it stale
    const committed: unknown = JSON.parse(readFileSync(join(defaultRulesDir(), 'schema.json'), 'utf8'));
    const fresh: unknown = JSON.parse(ruleSetJsonSchemaText());
    const same = JSON.stringify(committed) === JSON.stringify(fresh);
    expect(same, 'rules/schema.json is stale: run `npm run rules:schema`').toBe(true);
  });

  it('describes a rule file for editors: required members, no unknown keys, operators, descriptions', () => {
    const s = ruleSetJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { description?: string }>;
    };
    expect(s.required).toEqual(expect.arrayContaining(['id', 'region', 'extends', 'years', 'version', 'source']));
    expect(s.additionalProperties).toBe(false);
    expect(s.properties.extends.description).toMatch(/Parent rule set/);
    const text = JSON.stringify(s);
    for (const op of ['greaterThanInclusive', 'containsAny', 'startsWithAny', 'matches'])
      expect(text).toContain(`"${op}"`);
  });
});
