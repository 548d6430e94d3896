import { envelopesOf, fromWireSync, isCompressed, type WireBatch, type WireEnvelope } from '../wire/wire-envelope';

/**
 * The events carried by these jobs (batches flattened), in job order, JSON-text payloads parsed (compressed ones,
 * and any that cannot be decoded, left as they are).
 */
export function jobEvents(jobs: ReadonlyArray<{ data: unknown }>): WireEnvelope[] {
  return jobs.flatMap((j) => envelopesOf(j.data as WireEnvelope | WireBatch)).map(decoded);
}

function decoded(e: WireEnvelope): WireEnvelope {
  if (isCompressed(e)) return e;
  try {
    return fromWireSync(e) as WireEnvelope;
  } catch {
    return e;
  }
}

/** The ids of the events carried by these jobs, sorted. */
export function eventIds(jobs: ReadonlyArray<{ data: unknown }>): string[] {
  return jobEvents(jobs)
    .map((e) => e.id)
    .sort();
}
