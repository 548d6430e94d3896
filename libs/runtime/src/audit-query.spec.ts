import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { instantOf, parseAuditQuery } from './audit-query';
import { auditEntityHref, auditStates } from './workspace/audit-labels';

const SERVICES = ['review', 'publication'];

describe('audit record queries', () => {
  it('reads days as Beijing days, the last one included, and instants as given', () => {
    expect(instantOf('2024-03-01')).toBe('2024-02-29T16:00:00.000Z');
    expect(instantOf('2024-03-01', true)).toBe('2024-03-01T16:00:00.000Z');
    expect(instantOf('2024-03-01T08:00:00Z')).toBe('2024-03-01T08:00:00.000Z');
    expect(parseAuditQuery({ since: '2024-03-01', until: '2024-03-01', actor: ' li ' }, SERVICES)).toEqual({
      service: 'review',
      search: { actor: 'li', since: '2024-02-29T16:00:00.000Z', until: '2024-03-01T16:00:00.000Z', limit: 50 },
    });
  });

  it('names what is wrong: a day that is none, an end before the start, a log this process does not keep', () => {
    expect(() => parseAuditQuery({ since: '2024-13-45' }, SERVICES)).toThrow(/query\.since: expected a day/);
    expect(() => parseAuditQuery({ since: '2024-02-30' }, SERVICES)).toThrow(/query\.since: expected a day/);
    expect(() => parseAuditQuery({ until: '2024-03-01T08:00' }, SERVICES)).toThrow(/query\.until: .*with its offset/);
    expect(parseAuditQuery({ since: '2024-02-29', until: '2024-03-01T08:00+08:00' }, SERVICES).search).toMatchObject({
      since: '2024-02-28T16:00:00.000Z',
      until: '2024-03-01T00:00:00.000Z',
    });
    expect(() => parseAuditQuery({ limit: '501' }, SERVICES)).toThrow(BadRequestException);
    expect(() => parseAuditQuery({ since: '2024-03-02', until: '2024-03-01' }, SERVICES)).toThrow(/until/);
    expect(() => parseAuditQuery({ service: 'intake' }, SERVICES)).toThrow(NotFoundException);
    expect(() => parseAuditQuery({}, [])).toThrow(NotFoundException);
  });

  it('links each kind of entity to its page, and says states as the staff do', () => {
    expect(auditEntityHref('evaluation', 'ev_1')).toBe('/review/evaluations/ev_1');
    expect(auditEntityHref('disclosure', 'ev_1')).toBe('/publish/evaluations/ev_1');
    expect(auditEntityHref('rule-set', '130126')).toBe('/rules/130126');
    expect(auditEntityHref('rescoring-run', 'run_1')).toBe('/rules/runs/run_1');
    expect(auditEntityHref('roster', '130126/2023')).toBe('/review/roster?region=130126&year=2023');
    expect(auditEntityHref('roster', '../x')).toBeNull();
    expect(auditEntityHref('submission', 'sub_1')).toBeNull();
    expect(auditStates('scored', 'in_review')).toBe('已评分 → 待审核');
    expect(auditStates(null, 'draft')).toBe('— → 草稿');
    expect(auditStates('published', 'published')).toBe('已公开');
    expect(auditStates(null, null)).toBe('');
  });
});
