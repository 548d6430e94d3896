import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RuleSetError } from './rule-set.error';
import type { RuleSetRegistry } from './rule-set.registry';
import {
  inspectRuleSetSources,
  loadRuleSetsFromSources,
  type RuleSetInspection,
  type RuleSource,
} from './rule-sources';

export type { RuleFileReport, RuleSetInspection } from './rule-sources';

/** The rule files of a directory: every `*.json` but `schema.json`, not recursive (so `golden/` is skipped). */
export function listRuleFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new RuleSetError([{ file: dir, path: '$', message: 'not a directory of rule files (规则目录不存在)' }]);
  }
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json') && n !== 'schema.json')
    .sort()
    .map((n) => join(dir, n))
    .filter((f) => statSync(f).isFile());
}

function dirSources(dir: string): RuleSource[] {
  return listRuleFiles(dir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** Read and check every rule file of a directory, reporting per file (for `jixiao rules validate`). */
export function inspectRuleSets(dir: string): RuleSetInspection {
  return inspectRuleSetSources(dirSources(dir));
}

/**
 * Load every rule set of a directory (sync). Throws `RuleSetError` listing every problem, each naming the
 * file and the JSON path, when any rule set is broken.
 */
export function loadRuleSets(dir: string): RuleSetRegistry {
  return loadRuleSetsFromSources(dirSources(dir));
}
