export class ListVersions {
  constructor(readonly ruleSetId: string) {}
}

export class GetVersion {
  constructor(readonly ruleSetId: string, readonly version: number) {}
}

/** What changed between two versions (omitted: the active one → the latest draft). */
export class DiffVersions {
  constructor(
    readonly ruleSetId: string,
    readonly from: number | null,
    readonly to: number | null,
  ) {}
}

export class GetRun {
  constructor(readonly runId: string) {}
}

export class ListRuns {
  constructor(readonly limit: number) {}
}
