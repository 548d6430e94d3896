/** The disclosures of one region and fiscal year, for the public page, JSON and CSV. */
export class GetRegionYear {
  constructor(
    readonly region: string,
    readonly fiscalYear: number,
  ) {}
}
