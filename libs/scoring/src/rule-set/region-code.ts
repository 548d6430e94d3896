import { RuleSetLookupError } from './rule-set.error';

export const REGION_CODE = /^(CN|\d{6})$/;

/**
 * The administrative levels to try for a region code, most specific first:
 * county 341522 → city 341500 → province 340000 → CN (a city skips itself, a province goes to CN).
 */
export function codeHierarchy(code: string): string[] {
  if (!REGION_CODE.test(code)) {
    throw new RuleSetLookupError(`"${code}" is not a region code: use CN or a 6-digit administrative division code`);
  }
  if (code === 'CN') return ['CN'];
  const out = [code];
  const city = `${code.slice(0, 4)}00`;
  const province = `${code.slice(0, 2)}0000`;
  for (const c of [city, province]) if (!out.includes(c)) out.push(c);
  out.push('CN');
  return out;
}
