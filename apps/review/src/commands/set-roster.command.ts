import type { Principal } from '@jixiao/auth';

/**
 * A reviewer of the region sets its roster for a fiscal year: the units expected to submit, replacing the roster
 * set before (audited with the actor, the counts and the names).
 */
export class SetRoster {
  constructor(
    readonly principal: Principal,
    readonly region: string,
    readonly fiscalYear: number,
    readonly unitNames: readonly string[],
    readonly correlationId: string | null = null,
  ) {}
}
