import type { z } from 'zod';
import type { PathSegment } from './json-path';

export interface FlatIssue {
  path: PathSegment[];
  message: string;
}

type Issue = z.core.$ZodIssue;

/**
 * Zod issues as (path, message) pairs. A failed union (a json-rules-engine condition, an execution formula)
 * is reported through the branch that got furthest, so the message says "expected number" at
 * `$.grades[0].conditions.all[0].value` rather than "Invalid input" at `$.grades[0].conditions`.
 */
export function flattenIssues(issues: readonly Issue[], prefix: PathSegment[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push(...flattenIssues(bestBranch(issue.errors), path));
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      out.push({ path, message: `${issue.message}: unknown "${String(issue.discriminator)}"` });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

function depth(issues: readonly Issue[]): number {
  let d = 0;
  for (const i of issues) {
    const own = i.path.length + (i.code === 'invalid_union' ? 1 : 0);
    // an unknown key at the branch root means the object had the wrong shape for this branch
    const penalty = i.code === 'unrecognized_keys' && i.path.length === 0 ? -1 : 0;
    d = Math.max(d, own + penalty);
  }
  return d;
}

function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] {
  let best = branches[0];
  for (const b of branches.slice(1)) {
    const db = depth(b);
    const dBest = depth(best);
    if (db > dBest || (db === dBest && b.length < best.length)) best = b;
  }
  return best;
}
