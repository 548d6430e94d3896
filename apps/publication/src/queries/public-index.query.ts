/** Which regions and years have something published. */
export class GetPublicIndex {}

export interface PublicIndexEntry {
  region: string;
  regionName: string | null;
  fiscalYear: number;
  count: number;
}
