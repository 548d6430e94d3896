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
