import { regionMatch, type RegionMatch } from '@jixiao/auth/region-scope';

export { regionMatch, type RegionMatch };

/** Principal-shaped input (kept structural: the domain imports no framework, only the division codes' rules). */
export interface Reader {
  role: 'submitter' | 'reviewer' | 'rule_admin' | 'auditor';
  regions: readonly string[];
  unit?: string;
}

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
