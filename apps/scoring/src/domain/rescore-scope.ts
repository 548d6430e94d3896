import type { ActiveYears } from './rule-version';

/**
 * The division-code prefix a rule set's region governs: CN everything, a province (130000) its 13xxxx codes, a
 * city (130100) its 1301xx codes, a county itself. Sub-regions without a file of their own inherit by this prefix.
 */
export function regionPrefix(code: string): string {
  if (code === 'CN') return '';
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function yearCovered(years: ActiveYears, year: number | null): boolean {
  if (year === null) return true;
  return (years.from === null || year >= years.from) && (years.to === null || year <= years.to);
}

/** What a run covers, stored with it so every worker rebuilds the same target registry. */
export interface RunScope {
  /** Division-code prefix of the regions governed ('' for CN). */
  regionPrefix: string;
  years: ActiveYears;
  /** The version rows the run's registry is built from (the active set after the activation, or with the draft). */
  versions: string[];
  /**
   * Years to use for some of those rows instead of their stored ones: a preview's version and the versions it would
   * narrow, as the activation it previews would set them (an activation writes them, so needs none).
   */
  overrides?: Record<string, ActiveYears>;
  /** Regions with at least one affected evaluation (filled in by planning). */
  regions?: string[];
}
