/** Number formats shared by the pages and the CSV, so both show the same figures. */

export function formatScore(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/** Execution rate is a fraction (0.9977) on the wire; people read 99.77%. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(rate * 100).toFixed(2)}%`;
}

/**
 * `2024-03-01T08:00:02.000Z` → `2024-03-01 16:00 北京时间`: the time a finance bureau, its units and the public
 * read (UTC+8, no daylight saving), the clock a deadline day is counted by.
 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  // stored instants end in Z; one without an offset is UTC too, not the server's local time
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso)
    ? Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`)
    : NaN;
  if (Number.isNaN(t)) return iso;
  const beijing = new Date(t + 8 * 3_600_000).toISOString();
  return `${beijing.slice(0, 10)} ${beijing.slice(11, 16)} 北京时间`;
}

/** The form types as the documents name them. */
export const FORM_TYPE_LABELS: Record<'project' | 'department', string> = {
  project: '项目支出',
  department: '部门整体支出',
};

/** Severities of findings and of a document reader's notes. */
export const SEVERITY_LABELS: Record<'error' | 'warning' | 'info', string> = {
  error: '错误',
  warning: '警告',
  info: '提示',
};
