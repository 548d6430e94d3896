/** One problem in a rule file: which file, where in it (JSON path), and what. */
export interface RuleSetIssue {
  /** The file as given to the loader (e.g. `rules/410105.json`). */
  file: string;
  /** JSON path inside the file, e.g. `$.grades[2].conditions.all[0].value`; `$` for the whole file. */
  path: string;
  message: string;
  /** The same in Chinese, for a bureau's rule admin (the rule pages show it). */
  messageZh?: string;
  /** 1-based position when known (JSON syntax errors, and values located in the file). */
  line?: number;
  column?: number;
}

export function formatIssue(i: RuleSetIssue): string {
  const at = i.line ? `:${i.line}${i.column ? `:${i.column}` : ''}` : '';
  return `${i.file}${at} ${i.path}: ${i.message}`;
}

/**
 * A rule set refused at load. `file` and `path` name the first problem; `issues` lists them all and the
 * message has one line per issue (`file:line path: message`). Lookups that cannot be answered throw the
 * subclass `RuleSetLookupError` (no issues), so one `instanceof RuleSetError` catches both.
 */
export class RuleSetError extends Error {
  readonly file: string;
  readonly path: string;
  readonly issues: readonly RuleSetIssue[];
  constructor(issuesOrMessage: readonly RuleSetIssue[] | string) {
    const issues = typeof issuesOrMessage === 'string' ? [] : issuesOrMessage;
    super(typeof issuesOrMessage === 'string' ? issuesOrMessage : issues.map(formatIssue).join('\n'));
    this.name = 'RuleSetError';
    this.issues = issues;
    this.file = issues[0]?.file ?? '';
    this.path = issues[0]?.path ?? '$';
  }
}

/** A lookup that cannot be answered: malformed region code, unknown region name, no rule set at all. */
export class RuleSetLookupError extends RuleSetError {
  constructor(message: string) {
    super(message);
    this.name = 'RuleSetLookupError';
  }
}
