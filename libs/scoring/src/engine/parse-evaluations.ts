import { CanonicalEvaluationSchema, type CanonicalEvaluation } from '@jixiao/contracts';
import { z } from 'zod';

/** Bad input, with the file and the JSON path of each problem; never a stack trace for the user. */
export class InvalidEvaluationError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: invalid evaluation\n  ${issues.join('\n  ')}`);
    this.name = 'InvalidEvaluationError';
  }
}

function pathOf(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(root)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_type') {
    const received = valueAt(input, issue.path);
    const got = received === undefined ? 'nothing' : received === null ? 'null' : Array.isArray(received) ? 'array' : typeof received;
    return `expected ${issue.expected}, got ${got}`;
  }
  return issue.message;
}

/**
 * Validates a parsed JSON document holding one evaluation or `{ "evaluations": [ … ] }` and returns the
 * evaluations. Errors name the JSON path: `evaluations[0].indicators[3].weight: expected number, got string`.
 */
export function parseEvaluations(json: unknown, source: string): CanonicalEvaluation[] {
  const isList = typeof json === 'object' && json !== null && !Array.isArray(json) && 'evaluations' in json;
  if (isList) {
    const list = (json as { evaluations: unknown }).evaluations;
    if (!Array.isArray(list) || list.length === 0) {
      throw new InvalidEvaluationError(source, ['evaluations: expected a non-empty array of evaluations']);
    }
    const out: CanonicalEvaluation[] = [];
    const issues: string[] = [];
    list.forEach((item, i) => {
      const r = CanonicalEvaluationSchema.safeParse(item);
      if (r.success) out.push(r.data);
      else for (const is of r.error.issues) issues.push(`${pathOf(`evaluations[${i}]`, is.path)}: ${describe(is, item)}`);
    });
    if (issues.length) throw new InvalidEvaluationError(source, issues);
    return out;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidEvaluationError(source, ['(root): expected an evaluation object or { "evaluations": [ … ] }']);
  }
  const r = CanonicalEvaluationSchema.safeParse(json);
  if (!r.success) throw new InvalidEvaluationError(source, r.error.issues.map((is) => `${pathOf('', is.path)}: ${describe(is, json)}`));
  return [r.data];
}
