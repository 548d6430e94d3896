import type { z } from 'zod';
import { typeZh, zodIssueZh } from '@jixiao/contracts/zod-issue-zh';
import type { PathSegment } from './json-path';

export interface FlatIssue {
  path: PathSegment[];
  message: string;
  messageZh: string;
}

type Issue = z.core.$ZodIssue;

/**
 * Zod issues as (path, message) pairs. A failed union (a json-rules-engine condition, an execution formula)
 * is reported through the branch that got furthest, so the message says "expected number" at
 * `$.grades[0].conditions.all[0].value` rather than "Invalid input" at `$.grades[0].conditions`.
 */
export function flattenIssues(issues: readonly Issue[], data: unknown, prefix: PathSegment[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    const types = expectedTypes(issue);
    if (types) {
      out.push({ path, message: `expected ${types.join(' | ')}`, messageZh: `应为${types.map(typeZh).join('或')}` });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push(...flattenIssues(bestBranch(issue.errors), data, path));
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      out.push({
        path,
        message: `${issue.message}: unknown "${String(issue.discriminator)}"`,
        messageZh: `“${String(issue.discriminator)}”的值不是可用的选项`,
      });
    } else {
      out.push({ path, message: issue.message, messageZh: zodIssueZh({ ...issue, path }, data) });
    }
  }
  return out;
}

/** A union of plain types (string | number | …) that failed on every branch: say all it accepts. */
function expectedTypes(issue: Issue): string[] | null {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return null;
  const all = issue.errors.every((b) => b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0);
  return all ? issue.errors.map((b) => String((b[0] as { expected?: unknown }).expected)) : null;
}

/** A branch whose object has keys it does not know was the wrong shape for the input. */
function misfit(issues: readonly Issue[]): number {
  return issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0) ? 1 : 0;
}

function depth(issues: readonly Issue[]): number {
  let d = 0;
  for (const i of issues) d = Math.max(d, i.path.length);
  return d;
}

function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] {
  const rank = (b: readonly Issue[]) => [misfit(b), -depth(b), b.length];
  let best = branches[0];
  for (const b of branches.slice(1)) {
    const [x, y] = [rank(b), rank(best)];
    if (x[0] < y[0] || (x[0] === y[0] && (x[1] < y[1] || (x[1] === y[1] && x[2] < y[2])))) best = b;
  }
  return best;
}
