import { CliError } from '../cli-error';

/** A flag's whole number of at least 1 (a page, a year, a revision), or exit 2 saying which flag; none given: undefined. */
export function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} ${v}: expected a whole number of at least 1`, 2);
  return n;
}
