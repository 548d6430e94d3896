import { RuleBodySchema } from './rule-set.schema';

type Json = unknown;
type Obj = Record<string, Json>;

/** The keys of a rule file that inherit; the rest (id, region, years, version, source…) are the file's own. */
export const BODY_KEYS = Object.keys(RuleBodySchema.shape) as (keyof typeof RuleBodySchema.shape)[];

/** Rule lists merged by rule `name` rather than replaced. */
const BY_NAME = new Set(['checks', 'routing']);

function isObject(v: Json): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Child over parent: plain objects merge key by key, arrays and scalars replace. An object with a
 * different `kind` (an execution formula switching from linear to steps) replaces the parent's whole,
 * since the parameters of one kind mean nothing to another.
 */
export function mergeValue(parent: Json, child: Json): Json {
  if (child === undefined) return parent;
  if (!isObject(parent) || !isObject(child)) return child;
  if ('kind' in parent && 'kind' in child && parent.kind !== child.kind) return child;
  const out: Obj = { ...parent };
  for (const [k, v] of Object.entries(child)) out[k] = mergeValue(parent[k], v);
  return out;
}

/** Merge rule lists by name: same name replaces in place, new names append, `disabled: true` removes. */
export function mergeByName(parent: Json, child: Json): Json {
  if (!Array.isArray(child)) return parent;
  const out: Obj[] = Array.isArray(parent) ? [...(parent as Obj[])] : [];
  for (const rule of child as Obj[]) {
    const at = out.findIndex((r) => r.name === rule.name);
    if (at >= 0) out.splice(at, 1, rule);
    else out.push(rule);
  }
  return out;
}

/** Drop disabled rules and the `disabled` flag itself (it changes nothing in a resolved set). */
function enabledOnly(rules: Json): Json {
  if (!Array.isArray(rules)) return rules;
  return (rules as Obj[]).filter((r) => r.disabled !== true).map(({ disabled: _d, ...r }) => r);
}

/** The inherited body of a chain given root (CN) first. */
export function mergeBodies(rootFirst: readonly Obj[]): Obj {
  let body: Obj = {};
  for (const file of rootFirst) {
    for (const key of BODY_KEYS) {
      if (!(key in file)) continue;
      body[key] = BY_NAME.has(key) ? mergeByName(body[key], file[key]) : mergeValue(body[key], file[key]);
    }
  }
  body = { ...body };
  for (const key of BY_NAME) if (key in body) body[key] = enabledOnly(body[key]);
  return body;
}
