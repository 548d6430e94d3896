import { envelopesOf, type WireBatch, type WireEnvelope } from '../wire/wire-envelope';

/** The events carried by these jobs (batches flattened), in job order. */
export function jobEvents(jobs: ReadonlyArray<{ data: unknown }>): WireEnvelope[] {
  return jobs.flatMap((j) => envelopesOf(j.data as WireEnvelope | WireBatch));
}

/** The ids of the events carried by these jobs, sorted. */
export function eventIds(jobs: ReadonlyArray<{ data: unknown }>): string[] {
  return jobEvents(jobs)
    .map((e) => e.id)
    .sort();
}
