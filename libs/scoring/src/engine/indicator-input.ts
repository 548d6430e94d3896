import type { Indicator } from '@jixiao/contracts';
import { normalizeText } from './values/normalize-text';
import { normalizeUnit, parseValue } from './values/parse-value';
import type { ParsedValue } from './values/parsed-value';
import type { IndicatorOutcome } from './indicator-outcome';

/** The cells of one indicator row after undoing column shifts. */
export interface IndicatorInput {
  target: ParsedValue;
  actual: ParsedValue;
  /** The 度量单位 column, when it holds a unit. */
  unit: string | null;
  /** The unit column says 定性指标 (or the row is otherwise marked qualitative). */
  qualitativeMarked: boolean;
  targetText: string;
  actualText: string;
  /** Outcomes already computed for this row text without / with explanations (see outcome-memo.ts); compiled path only. */
  plain: IndicatorOutcome[];
  explained: IndicatorOutcome[];
  lastPlain: IndicatorOutcome | undefined;
  lastExplained: IndicatorOutcome | undefined;
  /** For the input of a row without a unit cell: the inputs of the same texts with a unit cell, by unit text. */
  byUnit: Map<string, IndicatorInput> | undefined;
}

const QUALITATIVE_UNIT = /^定性/;

export function readIndicator(ind: Indicator, naMarkers: readonly string[]): IndicatorInput {
  let target = parseValue(ind.target, naMarkers);
  const actual = parseValue(ind.actual, naMarkers);
  const unitText = normalizeText(ind.unit);
  let unit: string | null = null;
  let qualitativeMarked = false;
  let targetText = target.kind === 'empty' ? '' : target.text;

  if (QUALITATIVE_UNIT.test(unitText)) {
    qualitativeMarked = true;
  } else if (unitText !== '') {
    const u = parseValue(unitText, naMarkers);
    if (target.kind === 'comparator' && u.kind === 'number' && u.comparator === null) {
      // "≥ | 99%": the comparator in the value column, the number in the unit column.
      target = { ...u, comparator: target.comparator, text: target.text + u.text };
      targetText = target.text;
    } else if (u.kind === 'comparator' && target.kind === 'number' && target.comparator === null) {
      // a comparator sitting in the unit/comparator column (指标性质 "≤", value "30")
      target = { ...target, comparator: u.comparator, text: u.text + target.text };
      targetText = target.text;
    } else if (u.kind === 'number' && target.kind === 'empty') {
      target = u;
      targetText = u.text;
    } else if (u.kind === 'text' || u.kind === 'number') {
      unit = normalizeUnit(u.kind === 'text' ? u.text : u.unit ?? null);
    }
  }
  return {
    target,
    actual,
    unit,
    qualitativeMarked,
    targetText,
    actualText: actual.kind === 'empty' ? '' : actual.text,
    plain: [],
    explained: [],
    lastPlain: undefined,
    lastExplained: undefined,
    byUnit: undefined,
  };
}
