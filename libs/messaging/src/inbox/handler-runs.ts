/** One event of a transaction as `handlerRuns` sees it: which handler takes it and what it touches. */
export interface RunItem {
  /** Compared by identity: events of one handler share it. */
  definition: unknown;
  /** The entities the event's handler reads or writes (`orderKeys`); undefined: unknown, so it keeps its place. */
  keys: readonly string[] | undefined;
}

/**
 * Splits a transaction's events (in the order they were taken) into runs, each for one handler, to be handled run
 * after run. Consecutive events of one handler form a run, as before; in addition an event joins an earlier run of
 * its handler when nothing it would move ahead of shares a key with it: events that touch the same entity keep their
 * order, and an event without keys neither moves nor lets anything move ahead of it. So interleaved events of two
 * names about different evaluations (a review inbox's submissions and scores) make two runs instead of dozens, and
 * the outcome for each entity is that of handling the events one by one in the order they came.
 */
export function handlerRuns<T extends RunItem>(items: readonly T[]): T[][] {
  const runs: T[][] = [];
  let rest = items;
  while (rest.length > 0) {
    const definition = rest[0].definition;
    const run: T[] = [];
    const left: T[] = [];
    /** Keys of the events left behind so far: a later event touching one of them cannot move ahead of it. */
    const blocked = new Set<string>();
    /** An event without keys was left behind: everything after it stays behind it. */
    let wall = false;
    for (const item of rest) {
      const free = left.length === 0 || (!wall && item.keys !== undefined && item.keys.every((k) => !blocked.has(k)));
      if (item.definition === definition && free) {
        run.push(item);
        continue;
      }
      left.push(item);
      if (item.keys === undefined) wall = true;
      else for (const k of item.keys) blocked.add(k);
    }
    runs.push(run);
    rest = left;
  }
  return runs;
}
