/**
 * Administrative division codes nest by prefix: 130000 (province) ⊃ 130100 (city) ⊃ 130126 (county).
 * A scope covers its own code and every sub-region; CN covers everything.
 */
export function regionCovers(scope: string, code: string): boolean {
  if (scope === 'CN') return true;
  if (code === 'CN') return false;
  if (scope === code) return true;
  if (scope.endsWith('0000')) return code.startsWith(scope.slice(0, 2));
  if (scope.endsWith('00')) return code.startsWith(scope.slice(0, 4));
  return false;
}

export function anyRegionCovers(scopes: readonly string[], code: string): boolean {
  return scopes.some((s) => regionCovers(s, code));
}

/** Which regions a list of codes stands for, as a query filters them: codes themselves, or every code under a province (2-digit) or city (4-digit) prefix. */
export type RegionMatch = { all: true } | { all: false; exact: string[]; prefixes: string[] };

/** The scopes of `regionCovers` as data a query can turn into SQL (`whereRegion` of @jixiao/persistence). */
export function regionMatch(codes: readonly string[]): RegionMatch {
  const exact: string[] = [];
  const prefixes: string[] = [];
  for (const code of codes) {
    if (code === 'CN') return { all: true };
    if (code.endsWith('0000')) prefixes.push(code.slice(0, 2));
    else if (code.endsWith('00')) prefixes.push(code.slice(0, 4));
    else exact.push(code);
  }
  return { all: false, exact, prefixes };
}
