/** Principal-shaped input (kept structural so the domain imports no framework or lib). */
export interface Reader {
  role: 'submitter' | 'reviewer' | 'rule_admin' | 'auditor';
  regions: readonly string[];
  unit?: string;
}

/** Which regions a code stands for: itself, or every code under a province (2-digit) or city (4-digit) prefix. */
export type RegionMatch = { all: true } | { all: false; exact: string[]; prefixes: string[] };

/**
 * What a principal may list, as data a query can turn into SQL. Mirrors `decide(…, 'read', …)` of @jixiao/auth:
 * submitters their own regions (and unit, when the token names one; cases whose unit is unknown yet stay visible,
 * as `decide` allows them), reviewers and rule admins their regions and sub-regions, auditors everything.
 */
export type ReadScope = { kind: 'all' } | { kind: 'regions'; match: RegionMatch; unit: string | null };

export function readScope(reader: Reader): ReadScope {
  if (reader.role === 'auditor') return { kind: 'all' };
  if (reader.role === 'submitter') {
    return {
      kind: 'regions',
      match: { all: false, exact: [...reader.regions], prefixes: [] },
      unit: reader.unit ?? null,
    };
  }
  return { kind: 'regions', match: regionMatch(reader.regions), unit: null };
}

/** Division codes nest by prefix: 130000 ⊃ 130100 ⊃ 130126; CN covers everything. */
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
