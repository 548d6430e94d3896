import type { Principal } from '@jixiao/auth';
import type { ActiveYears } from '../domain/rule-version';

/** Upload a new draft (no `version`) or replace the text of a draft (`version`). */
export class SaveDraft {
  constructor(
    readonly ruleSetId: string,
    readonly body: unknown,
    readonly principal: Principal,
    readonly version: number | null = null,
  ) {}
}

/** Make a version active for some fiscal years (default: those its text declares) and re-score what it governs. */
export class ActivateVersion {
  constructor(
    readonly ruleSetId: string,
    readonly version: number,
    readonly reason: string,
    readonly years: ActiveYears | null,
    readonly principal: Principal,
  ) {}
}

/** Start a what-if run: re-score what a version would govern, writing nothing but the report. */
export class PreviewImpact {
  constructor(
    readonly ruleSetId: string,
    readonly version: number,
    readonly principal: Principal,
    /** The years the activation it previews would give (default: as an activation without years). */
    readonly years: ActiveYears | null = null,
  ) {}
}

export class CancelRun {
  constructor(
    readonly runId: string,
    readonly principal: Principal,
  ) {}
}

export class ResumeRun {
  constructor(
    readonly runId: string,
    readonly principal: Principal,
  ) {}
}
