import { normalizeText } from './normalize-text';
import type { Comparator, ParsedValue } from './parsed-value';

const PREFIX_COMPARATORS: [RegExp, Comparator][] = [
  [/^(≥|不低于|不少于|大于等于|大于或等于|至少)/, '≥'],
  [/^(≤|不高于|不超过|不多于|小于等于|小于或等于|控制在)/, '≤'],
  [/^(>|大于|高于|超过)/, '>'],
  [/^(<|小于|低于)/, '<'],
  [/^(=|等于)/, '='],
];
const SUFFIX_COMPARATORS: [RegExp, Comparator][] = [
  [/(以上|及以上|或以上)$/, '≥'],
  [/(以内|以下|及以下|之内)$/, '≤'],
];
const DEADLINE_SUFFIX = /(之前|以前|前|底前|底|末|内|完成)+$/;

const NUMBER = /^(-?\d+(?:\.\d+)?)(.*)$/;
const HAS_DIGIT = /\d/;
/** Words that make "2022年按时完成" a phrase rather than a number with a unit. */
const NOT_A_UNIT = /完成|达成|按时|持续|有效|提高|推动|实现|开展/;
const FULL_DATE = /^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?/;
const YEAR_MONTH_DASH = /^(\d{4})[-.](\d{1,2})(?:[-.](\d{1,2}))?$/;
const MONTH_ONLY = /^(\d{1,2})月/;

/** The common shape in one pass: optional comparator, a number, a short unit ("≥90%", "=7个", "265.69万元"). */
const FAST_NUMBER = /^([≥≤><=])?(-?\d+(?:\.\d+)?)([^\d]{0,5})$/;
const SLOW_UNIT = /以|之|内|下|上|前|底|末|年|月|日|完成|达成|按时|持续|有效|提高|推动|实现|开展|,|\./;

function isPlainUnit(u: string): boolean {
  return u === '' || u === '%' || !SLOW_UNIT.test(u);
}

/** Units written differently but meaning the same. */
export function normalizeUnit(unit: string | null): string | null {
  if (!unit) return null;
  const u = unit.replace(/^[(]|[)]$/g, '');
  if (u === '%' || u === '百分比' || u === '百分之' || u === '百分率') return '%';
  if (u === '') return null;
  return u;
}

/**
 * Parses one cell. `naMarkers` are the rule set's not-applicable marks ("/", "—", "无").
 * The result keeps the normalised text so explanations can quote it.
 */
export function parseValue(raw: string | null | undefined, naMarkers: readonly string[]): ParsedValue {
  const text = normalizeText(raw);
  if (text === '') return { kind: 'empty' };
  if (naMarkers.includes(text)) return { kind: 'not-applicable', text };

  const fast = FAST_NUMBER.exec(text);
  if (fast !== null && isPlainUnit(fast[3])) {
    return { kind: 'number', comparator: (fast[1] as Comparator | undefined) ?? null, value: Number(fast[2]), unit: normalizeUnit(fast[3]), text };
  }

  // Without a digit a cell is neither a number nor a date ("有效提升", "达成预期指标", "不低于"): all that is left to
  // find is a comparator word in front, which the steps below would find the same way.
  const hasDigit = HAS_DIGIT.test(text);
  let rest = hasDigit ? text.replace(/(\d),(?=\d{3})/g, '$1') : text;
  let comparator: Comparator | null = null;
  for (const [re, c] of PREFIX_COMPARATORS) {
    const m = re.exec(rest);
    if (m) {
      comparator = c;
      rest = rest.slice(m[0].length);
      break;
    }
  }
  if (comparator && rest === '') return { kind: 'comparator', comparator, text };
  if (!hasDigit) return { kind: 'text', comparator, text };

  const date = parseDate(rest);
  if (date) return { kind: 'date', comparator: comparator ?? date.comparator, ...date.value, text };

  for (const [re, c] of SUFFIX_COMPARATORS) {
    const m = re.exec(rest);
    if (m && NUMBER.test(rest)) {
      comparator = comparator ?? c;
      rest = rest.slice(0, m.index);
      break;
    }
  }
  const m = NUMBER.exec(rest);
  if (m) {
    const unitText = m[2];
    // "7个任务", "10万元/年": a number followed by a unit; "2022年按时完成" is text, caught by the date test above.
    if (/^[^\d]*$/.test(unitText) && unitText.length <= 5 && !NOT_A_UNIT.test(unitText)) {
      return { kind: 'number', comparator, value: Number(m[1]), unit: normalizeUnit(unitText), text };
    }
  }
  return { kind: 'text', comparator, text };
}

function parseDate(
  s: string,
): { comparator: Comparator | null; value: { year: number | null; month: number; day: number | null } } | null {
  const full = FULL_DATE.exec(s) ?? YEAR_MONTH_DASH.exec(s);
  if (full) {
    const tail = s.slice(full[0].length);
    if (tail !== '' && !DEADLINE_SUFFIX.test(tail)) return null;
    const month = Number(full[2]);
    if (month < 1 || month > 12) return null;
    return {
      comparator: tail !== '' ? '≤' : null,
      value: { year: Number(full[1]), month, day: full[3] ? Number(full[3]) : null },
    };
  }
  const mo = MONTH_ONLY.exec(s);
  if (mo) {
    const tail = s.slice(mo[0].length);
    if (tail !== '' && !DEADLINE_SUFFIX.test(tail)) return null;
    const month = Number(mo[1]);
    if (month < 1 || month > 12) return null;
    return { comparator: tail !== '' ? '≤' : null, value: { year: null, month, day: null } };
  }
  return null;
}

/** A date as a sortable yyyymmdd; a missing day means the end of the month, a missing year the fiscal year. */
export function dateKey(v: { year: number | null; month: number; day: number | null }, fallbackYear: number): number {
  const year = v.year ?? fallbackYear;
  const day = v.day ?? new Date(Date.UTC(year, v.month, 0)).getUTCDate();
  return year * 10000 + v.month * 100 + day;
}
