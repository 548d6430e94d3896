/** What a cell means once parsed. */
export type Comparator = '≥' | '>' | '≤' | '<' | '=';

export type ParsedValue =
  | { kind: 'empty' }
  | { kind: 'not-applicable'; text: string }
  | { kind: 'number'; comparator: Comparator | null; value: number; unit: string | null; text: string }
  /** A date as yyyymmdd (year may be null when the text gives only a month: "12月底之前"). */
  | { kind: 'date'; comparator: Comparator | null; year: number | null; month: number; day: number | null; text: string }
  | { kind: 'text'; comparator: Comparator | null; text: string }
  /** A bare comparator with no value (the value sits in the next column: "≥ | 99%"). */
  | { kind: 'comparator'; comparator: Comparator; text: string };
