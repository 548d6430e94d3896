import type { Run } from '../server/api-types';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** `45s`, `2m05s`, `1h02m`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `[#####.....]` for the share done (empty while the total is unknown, full when there is nothing to do). */
export function bar(done: number, total: number | null, width = 20): string {
  // nothing to do (total 0) is all done
  const share = total === null ? 0 : total === 0 ? 1 : Math.min(1, done / total);
  const full = Math.floor(share * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

/** One line of progress: `[#####.....] 12,000/20,000 60% 8,123/s ETA 1s · 130 changed`. */
export function progressLine(run: Run, width = 20): string {
  const parts = [bar(run.done, run.total, width), `${int(run.done)}/${run.total === null ? '?' : int(run.total)}`];
  if (run.total !== null) parts.push(`${run.total === 0 ? 100 : Math.floor((run.done / run.total) * 100)}%`);
  if (run.ratePerSecond !== null) parts.push(`${int(run.ratePerSecond)}/s`);
  if (run.etaSeconds !== null && run.status === 'running') parts.push(`ETA ${duration(run.etaSeconds)}`);
  if (run.status === 'planning') parts.push('planning…');
  parts.push(`· ${int(run.changed)} changed`);
  return parts.join(' ');
}

function elapsed(run: Run): string {
  if (!run.startedAt || !run.finishedAt) return '';
  const s = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
  return Number.isFinite(s) ? ` in ${duration(s)}` : '';
}

/** The closing line: status and figures, and how to go on when the run stopped before the end. */
export function finalLine(run: Run): string {
  const what = `${run.kind} run ${run.id} (${run.ruleSet.id} v${run.ruleSet.version})`;
  const figures = `${int(run.done)}/${run.total === null ? '?' : int(run.total)} done, ${int(run.rescored)} rescored, ${int(run.changed)} changed`;
  switch (run.status) {
    case 'completed':
      return `completed: ${what}: ${figures}${elapsed(run)}`;
    case 'failed':
      return `failed: ${what}: ${run.error ?? 'no reason given'}; ${figures} (resume: jixiao rescore resume ${run.id})`;
    case 'cancelled':
      return `cancelled: ${what}: ${figures} (resume: jixiao rescore resume ${run.id})`;
    default:
      return `${run.status}: ${what}: ${figures} (follow: jixiao rescore ${run.id} --follow)`;
  }
}
