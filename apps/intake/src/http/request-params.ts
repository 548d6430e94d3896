import { BadRequestException } from '@nestjs/common';
import type { RuleSetRegistry } from '@jixiao/scoring';

/** `region` as a 6-digit code, CN, or a region name a rule set lists (霍邱县 → 341522). */
export function parseRegionParam(value: unknown, registry: RuleSetRegistry): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (/^(CN|\d{6})$/.test(text)) return text;
  try {
    return registry.resolveByName(text).region.code;
  } catch (err) {
    throw new BadRequestException(`region "${text}": ${(err as Error).message}`);
  }
}

export function parseYearParam(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (!/^\d{4}$/.test(text)) throw new BadRequestException(`year "${text}": expected a four-digit fiscal year`);
  return Number(text);
}

export function parseIdParam(name: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw new BadRequestException(`${name} "${text}": not an evaluation id`);
  return text;
}
