import { ROLE_LABELS } from '@jixiao/auth';
import { EVALUATION_STATE_LABELS } from '@jixiao/contracts';

/** Who acted, as the staff's pages say it (the services themselves act as 系统). */
export const ACTOR_ROLE_LABELS: Record<string, string> = { ...ROLE_LABELS, system: '系统' };

/** Each service's audit actions as the staff's pages name them (an action not listed shows as it is stored). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  // intake
  'submission stored': '收到自评表',
  'version added': '收到更正版本',
  // scoring
  scored: '评分',
  're-scored': '规则调整后重新评分',
  'rule set loaded': '载入规则版本',
  'rule set activated': '启用规则版本',
  'rule set narrowed': '缩小规则版本适用年度',
  'rule set retired': '停用规则版本',
  'rescoring run created': '创建重新评分批次',
  'rescoring run started': '开始重新评分',
  'rescoring run resumed': '继续重新评分',
  'rescoring run cancelled': '取消重新评分',
  'rescoring run completed': '完成重新评分',
  // review
  receive: '收到自评表',
  'receive-ignored': '重复提交（已忽略）',
  resubmitted: '单位提交更正版本',
  'open-from-score': '先于提交收到评分',
  score: '复核评分',
  'score-ignored': '过期评分（已忽略）',
  rescore: '规则调整后重新评分',
  'auto-approve': '自动通过',
  'route-to-review': '转人工审核',
  approve: '审核通过',
  return: '退回单位',
  publish: '公开',
  'publish-ignored': '公开（已忽略）',
  retract: '撤回公开',
  'retract-ignored': '撤回（已忽略）',
  'roster set': '设置填报单位名单',
  // publication
  revise: '修订公开结果',
  republish: '重新公开',
  confirm: '确认公开结果未变',
  supersede: '由更正版本替代',
};

/** What an audit record is about. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  evaluation: '自评表',
  submission: '提交',
  disclosure: '公开结果',
  roster: '填报单位名单',
  'rule-set': '评分规则',
  'rescoring-run': '重新评分批次',
};

/** Where the staff's pages show the entity an audit record is about, if they do. */
export function auditEntityHref(entityType: string, entityId: string): string | null {
  const id = encodeURIComponent(entityId);
  if (entityType === 'evaluation') return `/review/evaluations/${id}`;
  if (entityType === 'disclosure') return `/publish/evaluations/${id}`;
  if (entityType === 'rule-set') return `/rules/${id}`;
  if (entityType === 'rescoring-run') return `/rules/runs/${id}`;
  const roster = entityType === 'roster' ? /^(CN|\d{6})\/(\d{4})$/.exec(entityId) : null;
  if (roster) return `/review/roster?${new URLSearchParams({ region: roster[1], year: roster[2] })}`;
  return null;
}

/** The states audit records move things between: an evaluation's (and a publication's), a rule version's, a run's. */
export const AUDIT_STATE_LABELS: Record<string, string> = {
  ...EVALUATION_STATE_LABELS,
  draft: '草稿',
  active: '启用',
  retired: '停用',
  planning: '准备中',
  running: '进行中',
  completed: '已完成',
  cancelled: '已取消',
  failed: '失败',
};

/** `已评分 → 待审核`, or the one state when it did not change (— for none). */
export function auditStates(from: string | null, to: string | null): string {
  const label = (s: string | null) => (s ? (AUDIT_STATE_LABELS[s] ?? s) : '—');
  return from === to ? (to ? label(to) : '') : `${label(from)} → ${label(to)}`;
}
