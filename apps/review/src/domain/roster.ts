import { unitKey } from '@jixiao/contracts';

/**
 * The roster: the budget units a finance bureau expects self-evaluations from, for one region and fiscal year. Set by
 * the region's reviewers (pasted from a spreadsheet column, uploaded, or sent as JSON); matched to the units' names
 * as their submissions give them, so the bureau sees who has not submitted yet.
 */

/** At most this many units in one region's roster (a county has a few hundred budget units). */
export const ROSTER_MAX_UNITS = 5000;
export const UNIT_NAME_MAX = 200;
/** What the stored key may hold: NFKC writes some characters out (㈱ → (株)), so a name's key can be longer. */
const UNIT_KEY_MAX = 300;

export { unitKey, unitsFromText } from '@jixiao/contracts';

/** A problem with a roster, in both languages, with the line (from 1) of the unit it is about, if any. */
export class RosterProblem extends Error {
  constructor(
    message: string,
    readonly messageZh: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

export interface RosterUnit {
  unitKey: string;
  unitName: string;
}

/**
 * The roster as stored: each name trimmed, a name given twice (as unitKey sees it) kept once, in the order given.
 * Refuses an empty list, one too long, and a name too long, naming where.
 */
export function rosterUnits(names: readonly string[]): RosterUnit[] {
  const seen = new Set<string>();
  const units: RosterUnit[] = [];
  names.forEach((raw, i) => {
    const unitName = raw.trim();
    if (unitName === '') return;
    if (unitName.length > UNIT_NAME_MAX)
      throw new RosterProblem(
        `unit ${i + 1}: a name of at most ${UNIT_NAME_MAX} characters expected (this one has ${unitName.length})`,
        `第 ${i + 1} 个单位名称过长（${unitName.length} 个字符，最多 ${UNIT_NAME_MAX} 个）`,
        i + 1,
      );
    const key = unitKey(unitName);
    if (key.length > UNIT_KEY_MAX)
      throw new RosterProblem(
        `unit ${i + 1}: the name is too long once its characters are written out (${key.length} > ${UNIT_KEY_MAX})`,
        `第 ${i + 1} 个单位名称过长（展开后 ${key.length} 个字符，最多 ${UNIT_KEY_MAX} 个）`,
        i + 1,
      );
    if (seen.has(key)) return;
    seen.add(key);
    units.push({ unitKey: key, unitName });
  });
  if (units.length === 0)
    throw new RosterProblem('the roster names no unit', '名单中没有任何单位名称：请每行填写一个单位');
  if (units.length > ROSTER_MAX_UNITS)
    throw new RosterProblem(
      `a roster of at most ${ROSTER_MAX_UNITS} units expected (this one has ${units.length})`,
      `名单最多 ${ROSTER_MAX_UNITS} 个单位（现有 ${units.length} 个）`,
    );
  return units;
}

/** A unit's current evaluation versions in one state, as the review cases have them. */
export interface UnitSubmissions {
  unitName: string | null;
  state: string;
  n: number;
  lastAt: string | null;
}

/** When a unit first submitted (any version: a correction after the deadline does not make it late). */
export interface UnitFirstSubmission {
  unitName: string | null;
  firstAt: string | null;
}

/** A unit's submissions: how many current versions, by state, when the first and the latest arrived. */
export interface UnitStanding {
  unitName: string | null;
  evaluations: number;
  byState: Record<string, number>;
  firstAt: string | null;
  lastAt: string | null;
  /** Its first form arrived after the deadline (China time). */
  late: boolean;
}

export interface RosterStanding {
  /** How many units the roster names, and how many of them have submitted at least one form. */
  expected: number;
  submitted: number;
  /** The last day forms count as on time (`YYYY-MM-DD`, China time), and whether it has passed. */
  deadline: string | null;
  overdue: boolean;
  /** How many units of the roster submitted after the deadline. */
  late: number;
  /** The roster, in its order: each unit with what it has submitted (0 evaluations: not yet). */
  units: UnitStanding[];
  /** The units of the roster that have submitted nothing (overdue once the deadline has passed). */
  missing: string[];
  /** Units that submitted but the roster does not name (a name written differently, or a unit left out). */
  unlisted: UnitStanding[];
}

/** The date in China (UTC+8, no daylight saving) of an instant: what a deadline day is compared with. */
export function chinaDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A deadline as a bureau writes it: a real calendar day, `YYYY-MM-DD`. */
export function isDeadline(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Where a region's roster stands against the current versions its units have submitted. */
export function rosterStanding(
  roster: readonly RosterUnit[],
  rows: readonly UnitSubmissions[],
  {
    firsts = [],
    deadline = null,
    now = new Date().toISOString(),
  }: { firsts?: readonly UnitFirstSubmission[]; deadline?: string | null; now?: string } = {},
): RosterStanding {
  const keyOf = (name: string | null) => (name === null ? '' : unitKey(name));
  const first = new Map<string, string>();
  for (const f of firsts)
    if (f.firstAt && (!first.has(keyOf(f.unitName)) || f.firstAt < first.get(keyOf(f.unitName))!))
      first.set(keyOf(f.unitName), f.firstAt);
  const byKey = new Map<string, UnitStanding>();
  for (const r of rows) {
    const key = keyOf(r.unitName);
    const u = byKey.get(key) ?? {
      unitName: r.unitName,
      evaluations: 0,
      byState: {},
      firstAt: first.get(key) ?? null,
      lastAt: null,
      late: false,
    };
    u.evaluations += Number(r.n);
    u.byState[r.state] = (u.byState[r.state] ?? 0) + Number(r.n);
    if (r.lastAt && (!u.lastAt || r.lastAt > u.lastAt)) u.lastAt = r.lastAt;
    u.late = Boolean(deadline && u.firstAt && chinaDate(u.firstAt) > deadline);
    byKey.set(key, u);
  }
  const listed = new Set(roster.map((u) => u.unitKey));
  const units = roster.map((u): UnitStanding => {
    const s = byKey.get(u.unitKey);
    return {
      unitName: u.unitName,
      evaluations: s?.evaluations ?? 0,
      byState: s?.byState ?? {},
      firstAt: s?.firstAt ?? null,
      lastAt: s?.lastAt ?? null,
      late: s?.late ?? false,
    };
  });
  return {
    expected: roster.length,
    submitted: units.filter((u) => u.evaluations > 0).length,
    deadline,
    overdue: Boolean(deadline && chinaDate(now) > deadline),
    late: units.filter((u) => u.late).length,
    units,
    missing: units.filter((u) => u.evaluations === 0).map((u) => u.unitName!),
    unlisted: [...byKey.entries()]
      .filter(([key]) => !listed.has(key))
      .map(([, u]) => u)
      .sort((a, b) => (a.unitName ?? '\uffff').localeCompare(b.unitName ?? '\uffff', 'zh-CN')),
  };
}
