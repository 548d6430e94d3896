import { BadRequestException, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import type { AuditSearch } from '@jixiao/persistence';
import { parseRequest } from './request-parsing';

/** A day (Beijing time, as the staff count days) or an ISO instant with its offset (`Z`, `+08:00`). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A real day (not 2024-02-30), or an instant that says its offset (one without is read differently by each clock). */
function isWhen(v: string): boolean {
  if (DAY.test(v)) {
    const t = Date.parse(`${v}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
  }
  return INSTANT.test(v) && !Number.isNaN(Date.parse(v));
}

const When = z
  .string()
  .trim()
  .refine(isWhen, 'expected a day (YYYY-MM-DD, Beijing time) or an ISO instant with its offset (…Z, …+08:00)')
  .optional();

const AuditQuerySchema = z.object({
  service: z.string().trim().min(1).optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  entityType: z.string().trim().min(1).max(100).optional(),
  entityId: z.string().trim().min(1).max(200).optional(),
  since: When,
  until: When,
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** The instant a Beijing day starts (`2024-03-01` → `2024-02-29T16:00:00.000Z`), or the instant given. */
export function instantOf(when: string, dayEnd = false): string {
  if (!DAY.test(when)) return new Date(when).toISOString();
  const start = Date.parse(`${when}T00:00:00+08:00`);
  return new Date(dayEnd ? start + 86_400_000 : start).toISOString();
}

export interface AuditRecordsQuery {
  service: string;
  search: AuditSearch;
}

/**
 * `GET /audit/records`' query: which service's log (default the first this process runs) and what to look for. A day
 * given as `until` includes that day. 400 names each bad field; 404 a service whose log this process does not hold.
 */
export function parseAuditQuery(query: unknown, services: readonly string[]): AuditRecordsQuery {
  const q = parseRequest(AuditQuerySchema, query, 'query');
  const service = q.service ?? services[0];
  if (!service) throw new NotFoundException('this process keeps no audit log');
  if (!services.includes(service))
    throw new NotFoundException({
      statusCode: 404,
      error: 'Not Found',
      message: `this process does not keep the audit log of ${service} (it keeps ${services.join(', ')})`,
      messageZh: `本进程没有服务 ${service} 的审计记录（有：${services.join('、')}）`,
    });
  const since = q.since ? instantOf(q.since) : undefined;
  const until = q.until ? instantOf(q.until, true) : undefined;
  if (since && until && since >= until) throw new BadRequestException('query.until: must come after since');
  const { service: _service, since: _since, until: _until, ...rest } = q;
  return { service, search: { ...rest, since, until } };
}
