import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { isDeadline, ROSTER_MAX_UNITS } from '../domain/roster';

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
    deadline: z.string().refine(isDeadline, 'expected a calendar day YYYY-MM-DD').nullish(),
  },
  { error: 'expected a JSON body { "units": ["…", …], "deadline"?: "YYYY-MM-DD" }' },
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

export function parseRosterBody(body: unknown): { units: string[]; deadline: string | null } {
  const parsed = BodySchema.safeParse(body);
  if (!parsed.success)
    refuse(
      'body',
      parsed.error.issues,
      `请求应为 { "units": [单位名称, …], "deadline": "年-月-日"（可选） }，含 1–${ROSTER_MAX_UNITS} 个单位名称`,
    );
  return { units: parsed.data.units, deadline: parsed.data.deadline ?? null };
}
