import { defaultRulesDir, loadRuleSets, RuleSetError, type RuleSetRegistry } from '@jixiao/scoring';
import { CliError } from '../cli-error';

const CODE = /^(CN|\d{6})$/;

/** The rule sets under `dir` (default: the checkout's rules/); a bad one is a CliError. */
export function openRegistry(dir?: string): RuleSetRegistry {
  try {
    return loadRuleSets(dir ?? defaultRulesDir());
  } catch (err) {
    if (err instanceof RuleSetError) throw new CliError(`rule sets: ${err.message}`);
    throw err;
  }
}

/** `--region` as a code: a code as given, a name (灵寿县) looked up in `registry`. */
export function resolveRegion(registry: RuleSetRegistry, nameOrCode: string): string {
  if (CODE.test(nameOrCode)) return nameOrCode;
  try {
    return registry.resolveByName(nameOrCode).region.code;
  } catch (err) {
    if (err instanceof RuleSetError) throw new CliError(`--region ${nameOrCode}: ${err.message}`);
    throw err;
  }
}

/** `resolveRegion` for a command that needs no rule sets otherwise: they are read only for a name. */
export function regionCode(nameOrCode: string): string {
  return CODE.test(nameOrCode) ? nameOrCode : resolveRegion(openRegistry(), nameOrCode);
}
