import { FindingCodeSchema } from '@jixiao/contracts';
import type { Problem } from './bands.check';
import type { PathSegment } from './json-path';
import { FACTS, type Condition } from './rule-set.schema';

const NUMERIC_OPS = new Set(['greaterThan', 'greaterThanInclusive', 'lessThan', 'lessThanInclusive']);

/** Every comparison in a condition tree, with its path. */
function* comparisons(
  c: Condition,
  at: PathSegment[],
): Generator<[Extract<Condition, { fact: string }>, PathSegment[]]> {
  if ('all' in c) for (const [i, x] of c.all.entries()) yield* comparisons(x, [...at, 'all', i]);
  else if ('any' in c) for (const [i, x] of c.any.entries()) yield* comparisons(x, [...at, 'any', i]);
  else if ('not' in c) yield* comparisons(c.not, [...at, 'not']);
  else yield [c, at];
}

/** Facts a rule may name, and values its operators can use (json-rules-engine would throw or never match). */
export function conditionProblems(
  conditions: Condition,
  at: PathSegment[],
  facts: readonly string[],
  kind: string,
  kindZh: string,
): Problem[] {
  const out: Problem[] = [];
  for (const [c, where] of comparisons(conditions, at)) {
    if (!facts.includes(c.fact)) {
      out.push({
        path: [...where, 'fact'],
        message: `unknown fact "${c.fact}" for ${kind} rules (known: ${facts.join(', ')})`,
        messageZh: `${kindZh}规则中没有 fact “${c.fact}”（可用：${facts.join('、')}）`,
      });
    }
    const v = c.value;
    if ((c.operator === 'in' || c.operator === 'notIn') && !Array.isArray(v)) {
      out.push({
        path: [...where, 'value'],
        message: `operator "${c.operator}" needs an array value`,
        messageZh: `运算符 “${c.operator}” 的值须为列表`,
      });
    } else if (NUMERIC_OPS.has(c.operator) && typeof v !== 'number') {
      out.push({
        path: [...where, 'value'],
        message: `operator "${c.operator}" needs a number value`,
        messageZh: `运算符 “${c.operator}” 的值须为数字`,
      });
    } else if (c.operator === 'matches') {
      if (typeof v !== 'string')
        out.push({
          path: [...where, 'value'],
          message: 'operator "matches" needs a regular expression string',
          messageZh: '运算符 “matches” 的值须为正则表达式文字',
        });
      else {
        try {
          new RegExp(v, 'u');
        } catch (err) {
          out.push({
            path: [...where, 'value'],
            message: `invalid regular expression: ${(err as Error).message}`,
            messageZh: `正则表达式有误：${(err as Error).message}`,
          });
        }
      }
    }
  }
  return out;
}

const FINDING_CODES: readonly string[] = FindingCodeSchema.options;

/** The scopes a check runs in, as the forms name their parts. */
const CHECK_SCOPES_ZH: Record<string, string> = {
  evaluation: '整表',
  indicator: '指标行',
  project: '项目',
  section: '一级指标',
};

interface AnyRule {
  name: string;
  conditions: Condition;
  scope?: string;
  event: { params: Record<string, unknown> };
}

/** Facts of grades, tiers, checks and routing; finding codes of checks. */
export function ruleProblems(body: {
  grades: readonly AnyRule[];
  qualitative: { tiers: readonly AnyRule[] };
  checks: readonly AnyRule[];
  routing: readonly AnyRule[];
}): Problem[] {
  const out: Problem[] = [];
  body.grades.forEach((r, i) =>
    out.push(...conditionProblems(r.conditions, ['grades', i, 'conditions'], FACTS.grade, 'grade', '等级')),
  );
  body.qualitative.tiers.forEach((r, i) =>
    out.push(
      ...conditionProblems(r.conditions, ['qualitative', 'tiers', i, 'conditions'], FACTS.tier, 'tier', '定性档次'),
    ),
  );
  body.checks.forEach((r, i) => {
    const scope = r.scope as keyof typeof FACTS.check;
    out.push(
      ...conditionProblems(
        r.conditions,
        ['checks', i, 'conditions'],
        FACTS.check[scope],
        `${scope} check`,
        `检查（${CHECK_SCOPES_ZH[scope] ?? scope}）`,
      ),
    );
    const code = String(r.event.params.code);
    if (!FINDING_CODES.includes(code)) {
      out.push({
        path: ['checks', i, 'event', 'params', 'code'],
        message: `unknown finding code "${code}" (known: ${FINDING_CODES.join(', ')})`,
        messageZh: `没有问题代码 “${code}”（可用：${FINDING_CODES.join('、')}）`,
      });
    }
  });
  body.routing.forEach((r, i) =>
    out.push(...conditionProblems(r.conditions, ['routing', i, 'conditions'], FACTS.routing, 'routing', '审核分流')),
  );
  return out;
}
