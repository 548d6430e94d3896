import type { Principal } from './principal';
import { anyRegionCovers } from './region-scope';

/** What a request wants to do, on which evaluation (its region and unit). */
export type Action = 'submit' | 'read' | 'review' | 'manage-rules' | 'audit';
export interface Resource {
  region: string | null;
  unitName?: string | null;
}

/** A refusal's reason in English (logs, API clients) and in Chinese (`reasonZh`, the staff's pages). */
export type Decision = { allowed: true } | { allowed: false; reason: string; reasonZh: string };

/** Each role as the staff call it. */
export const ROLE_LABELS: Record<Principal['role'], string> = {
  submitter: '填报单位',
  reviewer: '审核人员',
  rule_admin: '规则管理员',
  auditor: '审计人员',
};

const ACTION_LABELS: Record<Action, string> = {
  submit: '提交自评表',
  read: '查看自评表',
  review: '审核自评表',
  'manage-rules': '管理评分规则',
  audit: '审计',
};

const ALLOWED_ACTIONS: Record<Principal['role'], readonly Action[]> = {
  submitter: ['submit', 'read'],
  reviewer: ['read', 'review'],
  rule_admin: ['read', 'manage-rules'],
  auditor: ['read', 'audit'],
};

/**
 * The authorization policy in one place. Submitters act only for their own unit (when the token names one) in
 * their own regions; reviewers and rule admins in their regions and sub-regions; auditors read everything.
 */
export function decide(principal: Principal, action: Action, resource?: Resource): Decision {
  if (!ALLOWED_ACTIONS[principal.role].includes(action)) {
    return {
      allowed: false,
      reason: `role ${principal.role} may not ${action}`,
      reasonZh: `${ROLE_LABELS[principal.role]}不能${ACTION_LABELS[action]}`,
    };
  }
  if (principal.role === 'auditor' || !resource) return { allowed: true };
  const region = resource.region ?? 'CN';
  if (principal.role === 'submitter') {
    if (!principal.regions.includes(region)) {
      return {
        allowed: false,
        reason: `submitter for ${principal.regions.join(',')} may not act for region ${region}`,
        reasonZh: `本账号是地区 ${principal.regions.join('、')} 的填报单位，不能为地区 ${region} 提交或查看`,
      };
    }
    if (principal.unit && resource.unitName && principal.unit !== resource.unitName) {
      return {
        allowed: false,
        reason: `submitter for unit ${principal.unit} may not act for unit ${resource.unitName}`,
        reasonZh: `本账号属于“${principal.unit}”，不能为“${resource.unitName}”提交或查看`,
      };
    }
    return { allowed: true };
  }
  if (!anyRegionCovers(principal.regions, region)) {
    return {
      allowed: false,
      reason: `${principal.role} for ${principal.regions.join(',')} may not act in region ${region}`,
      reasonZh: `本账号是地区 ${principal.regions.join('、')} 的${ROLE_LABELS[principal.role]}，不能处理地区 ${region} 的事项`,
    };
  }
  return { allowed: true };
}
