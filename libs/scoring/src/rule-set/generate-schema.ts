// Writes rules/schema.json from the zod schema: `npm run rules:schema`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleSetJsonSchemaText } from './json-schema';
import { defaultRulesDir } from './rules-dir';

const target = join(defaultRulesDir(), 'schema.json');
writeFileSync(target, ruleSetJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
