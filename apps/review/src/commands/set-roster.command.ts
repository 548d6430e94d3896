import type { Principal } from '@jixiao/auth';

/**
 * A reviewer of the region sets its roster for a fiscal year: the units expected to submit and, if given, the
 * deadline, replacing the roster set before (audited with the actor, the counts, the names and the deadline).
 */
export class SetRoster {
  constructor(
    readonly principal: Principal,
    readonly region: string,
    readonly fiscalYear: number,
    readonly unitNames: readonly string[],
    /** `YYYY-MM-DD`: the last day (China time) forms count as on time; null: none. */
    readonly deadline: string | null = null,
    readonly correlationId: string | null = null,
  ) {}
}
