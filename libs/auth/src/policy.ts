import type { Principal } from './principal';
import { anyRegionCovers } from './region-scope';

/** What a request wants to do, on which evaluation (its region and unit). */
export type Action = 'submit' | 'read' | 'review' | 'manage-rules' | 'audit';
export interface Resource {
  region: string | null;
  unitName?: string | null;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

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
    return { allowed: false, reason: `role ${principal.role} may not ${action}` };
  }
  if (principal.role === 'auditor' || !resource) return { allowed: true };
  const region = resource.region ?? 'CN';
  if (principal.role === 'submitter') {
    if (!principal.regions.includes(region)) {
      return { allowed: false, reason: `submitter for ${principal.regions.join(',')} may not act for region ${region}` };
    }
    if (principal.unit && resource.unitName && principal.unit !== resource.unitName) {
      return { allowed: false, reason: `submitter for unit ${principal.unit} may not act for unit ${resource.unitName}` };
    }
    return { allowed: true };
  }
  if (!anyRegionCovers(principal.regions, region)) {
    return { allowed: false, reason: `${principal.role} for ${principal.regions.join(',')} may not act in region ${region}` };
  }
  return { allowed: true };
}
