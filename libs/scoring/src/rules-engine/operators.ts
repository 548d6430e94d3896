/**
 * Jixiao's custom json-rules-engine operators. The same functions back the Engine (naive path) and the
 * compiled evaluator, so both agree by construction. Each returns a boolean and never throws on odd fact
 * values; `matches` throws on an invalid pattern whatever the fact (so the failure does not depend on data).
 */

const regexCache = new Map<string, RegExp>();

/** The RegExp for a `matches` value, or null when the value is not a string. Throws on an invalid pattern. */
export function regexFor(pattern: unknown): RegExp | null {
  if (typeof pattern !== 'string') return null;
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    regexCache.set(pattern, re);
  }
  return re;
}

function needles(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

/** fact is a string containing any of the strings in value; or an array holding any of them. */
export function containsAny(fact: unknown, value: unknown): boolean {
  const list = needles(value);
  if (typeof fact === 'string') {
    for (const s of list) if (typeof s === 'string' && fact.includes(s)) return true;
    return false;
  }
  if (Array.isArray(fact)) {
    for (const s of list) if (fact.includes(s)) return true;
  }
  return false;
}

/** fact is a string starting with any of the strings in value. */
export function startsWithAny(fact: unknown, value: unknown): boolean {
  if (typeof fact !== 'string') return false;
  for (const s of needles(value)) if (typeof s === 'string' && fact.startsWith(s)) return true;
  return false;
}

/** fact is a string matching the regular expression in value (Unicode mode, no flags). */
export function matches(fact: unknown, value: unknown): boolean {
  const re = regexFor(value);
  return re !== null && typeof fact === 'string' && re.test(fact);
}

export const CUSTOM_OPERATORS = { containsAny, startsWithAny, matches } as const;
