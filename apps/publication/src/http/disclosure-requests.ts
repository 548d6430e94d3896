import { z } from 'zod';
import { parseRequest as parse } from '@jixiao/runtime';
import { DISCLOSURE_FILTERS, type DisclosureListFilters } from '../queries/list-disclosures.query';

const ListQuerySchema = z.object({
  region: z
    .string()
    .regex(/^(CN|\d{6})$/, 'expected a 6-digit division code or CN')
    .optional(),
  year: z.coerce.number().int().min(1990).max(2100).optional(),
  status: z.enum(DISCLOSURE_FILTERS).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const RetractBodySchema = z.object(
  { reason: z.string({ error: 'reason must be a string' }).trim().min(1, 'a reason is required').max(2000) },
  { error: 'expected a JSON body { "reason": "…" }' },
);

/** `GET /disclosures`'s query (CN as a region means every region, as no region does). */
export function parseDisclosureListQuery(query: unknown): DisclosureListFilters {
  const q = parse(ListQuerySchema, query, 'query');
  return { ...q, region: q.region === 'CN' ? undefined : q.region };
}

export function parseRetractBody(body: unknown): { reason: string } {
  return parse(RetractBodySchema, body ?? undefined, 'body');
}
