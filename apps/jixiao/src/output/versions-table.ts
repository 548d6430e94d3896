import { formatTime } from '@jixiao/runtime/html';
import type { RuleVersion, Years } from '../server/api-types';
import { renderTable } from './table';

const when = (at: string | null, by: string | null) => (at ? `${formatTime(at)}${by ? ` ${by}` : ''}` : '');

export function showActiveYears(y: Years | null): string {
  if (!y) return '';
  return y.from === null && y.to === null ? '所有年度' : `${y.from ?? '…'}–${y.to ?? '…'}`;
}

/** `jixiao rules versions <id>`: one row per version, newest last. */
export function versionsTable(versions: readonly RuleVersion[]): string {
  if (versions.length === 0) return '(no versions)';
  return renderTable(
    [
      { header: '版本', align: 'right' },
      { header: '状态' },
      { header: 'hash' },
      { header: '来源' },
      { header: '适用年度' },
      { header: '创建' },
      { header: '启用' },
      { header: '原因', max: 40 },
    ],
    [...versions]
      .sort((a, b) => a.version - b.version)
      .map((v) => [
        `v${v.version}`,
        v.status,
        v.hash.replace(/^sha256:/, '').slice(0, 12),
        v.origin,
        showActiveYears(v.activeYears),
        when(v.createdAt, v.createdBy),
        when(v.activatedAt, v.activatedBy),
        v.reason ?? '',
      ]),
  );
}
