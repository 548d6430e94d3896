import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { ROSTER_MAX_UNITS } from '../domain/roster';

const ParamsSchema = z.object({
  region: z.string().regex(/^\d{6}$/, 'expected a 6-digit division code'),
  year: z.coerce.number().int().min(1990).max(2100),
});
const BodySchema = z.object(
  {
    units: z
      .array(z.string({ error: 'expected a unit name' }))
      .min(1)
      .max(ROSTER_MAX_UNITS),
  },
  { error: 'expected a JSON body { "units": ["…", …] }' },
);

function refuse(where: string, issues: z.core.$ZodIssue[], zh: string): never {
  const errors = issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`);
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: errors.join('; '),
    messageZh: zh,
    errors,
  });
}

export function parseRosterParams(params: unknown): { region: string; year: number } {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) refuse('path', parsed.error.issues, '地区应为 6 位行政区划代码，年度应为 1990–2100 之间的年份');
  return parsed.data;
}

export function parseRosterBody(body: unknown): string[] {
  const parsed = BodySchema.safeParse(body);
  if (!parsed.success)
    refuse('body', parsed.error.issues, `请求应为 { "units": [单位名称, …] }，含 1–${ROSTER_MAX_UNITS} 个单位名称`);
  return parsed.data.units;
}
