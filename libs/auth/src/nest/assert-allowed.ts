import { ForbiddenException, Logger } from '@nestjs/common';
import { refusal } from './refusal';
import { type Action, decide, type Resource } from '../policy';
import type { Principal } from '../principal';

const logger = new Logger('Auth');

/** Applies the policy to a concrete resource (its region and unit): 403, logged, when refused. */
export function assertAllowed(principal: Principal, action: Action, resource?: Resource): void {
  const decision = decide(principal, action, resource);
  if (decision.allowed) return;
  logger.warn({ msg: 'refused: policy', user: principal.sub, role: principal.role, action, region: resource?.region, reason: decision.reason });
  throw refusal(ForbiddenException, decision.reason, decision.reasonZh);
}
