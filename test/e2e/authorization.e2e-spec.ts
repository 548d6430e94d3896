import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@jixiao/auth';
import { documentForm, http } from './support/http';
import { SEEDS } from './support/seeds';
import { startSystem, type TestSystem, waitFor } from './support/system';

type Who = 'none' | 'forged' | 'submitter-in' | 'submitter-out' | 'reviewer-in' | 'reviewer-out' | 'admin-in' | 'admin-out' | 'auditor';
const WHO: Who[] = ['none', 'forged', 'submitter-in', 'submitter-out', 'reviewer-in', 'reviewer-out', 'admin-in', 'admin-out', 'auditor'];

/**
 * Each role × each endpoint × inside/outside its region. "In" means the region of the evaluation acted on (盐池县
 * 640323, in review), or a region above it (reviewers hold the province 640000); "out" is another province.
 */
describe('authorization matrix', () => {
  let sys: TestSystem;
  let inReview: string; // 盐池, 640323
  let published: string; // 霍邱, 341522
  let submissionId: string;
  const yanchi = JSON.parse(readFileSync(join(__dirname, '../../rules/golden/yanchi-2022.input.json'), 'utf8'));
  const yanchiEvaluation = yanchi.evaluations?.[0] ?? yanchi;

  const tokenFor = (who: Who, region: '640323' | '341522'): string | undefined => {
    const province = `${region.slice(0, 2)}0000`;
    switch (who) {
      case 'none':
        return undefined;
      case 'forged':
        return signToken({ sub: 'x', role: 'auditor', regions: ['CN'] }, 'not-the-secret-0123456789');
      case 'submitter-in':
        return sys.token('submitter', [region]);
      case 'submitter-out':
        return sys.token('submitter', ['410105']);
      case 'reviewer-in':
        return sys.token('reviewer', [province]);
      case 'reviewer-out':
        return sys.token('reviewer', ['410000']);
      case 'admin-in':
        return sys.token('rule_admin', [region]);
      case 'admin-out':
        return sys.token('rule_admin', ['130126']);
      case 'auditor':
        return sys.token('auditor', ['CN']);
    }
  };

  beforeAll(async () => {
    sys = await startSystem({ db: 'sqlite' });
    const up = async (seed: (typeof SEEDS)[keyof typeof SEEDS]) =>
      (await http('POST', `${sys.url}/documents`, { token: sys.token('submitter', [seed.region]), form: documentForm(seed.file) })).body;
    const y = await up(SEEDS.yanchi);
    inReview = y.evaluationIds[0];
    submissionId = y.submissionIds[0];
    published = (await up(SEEDS.huoqiu)).evaluationIds[0];
    const auditor = sys.token('auditor', ['CN']);
    await waitFor('盐池 in review', async () => (await http('GET', `${sys.url}/evaluations/${inReview}`, { token: auditor })).body.state === 'in_review');
    await waitFor('霍邱 published', async () => (await http('GET', `${sys.url}/evaluations/${published}`, { token: auditor })).body.state === 'published');
  });
  afterAll(async () => {
    await sys?.close();
  });

  // expected status for each caller; endpoints that change state are checked with every refused caller first
  const cases: { name: string; call: (t?: string) => Promise<number>; expect: Record<Who, number | number[]> }[] = [
    {
      name: 'GET /evaluations/:id',
      call: async (t) => (await http('GET', `${sys.url}/evaluations/${inReview}`, { token: t })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 200, 'submitter-out': 403, 'reviewer-in': 200, 'reviewer-out': 403, 'admin-in': 200, 'admin-out': 403, auditor: 200 },
    },
    {
      name: 'GET /evaluations/:id/history',
      call: async (t) => (await http('GET', `${sys.url}/evaluations/${inReview}/history`, { token: t })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 200, 'submitter-out': 403, 'reviewer-in': 200, 'reviewer-out': 403, 'admin-in': 200, 'admin-out': 403, auditor: 200 },
    },
    {
      name: 'GET /evaluations',
      call: async (t) => (await http('GET', `${sys.url}/evaluations`, { token: t })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 200, 'submitter-out': 200, 'reviewer-in': 200, 'reviewer-out': 200, 'admin-in': 200, 'admin-out': 200, auditor: 200 },
    },
    {
      name: 'GET /submissions/:id',
      call: async (t) => (await http('GET', `${sys.url}/submissions/${submissionId}`, { token: t })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 200, 'submitter-out': 403, 'reviewer-in': 200, 'reviewer-out': 403, 'admin-in': 200, 'admin-out': 403, auditor: 200 },
    },
    {
      name: 'POST /evaluations',
      call: async (t) => (await http('POST', `${sys.url}/evaluations`, { token: t, json: yanchiEvaluation })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 201, 'submitter-out': 403, 'reviewer-in': 403, 'reviewer-out': 403, 'admin-in': 403, 'admin-out': 403, auditor: 403 },
    },
    {
      name: 'POST /documents',
      call: async (t) => (await http('POST', `${sys.url}/documents`, { token: t, form: documentForm(SEEDS.yanchi.file) })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 201, 'submitter-out': 403, 'reviewer-in': 403, 'reviewer-out': 403, 'admin-in': 403, 'admin-out': 403, auditor: 403 },
    },
    {
      name: 'GET /rule-sets',
      call: async (t) => (await http('GET', `${sys.url}/rule-sets`, { token: t })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 200, 'submitter-out': 200, 'reviewer-in': 200, 'reviewer-out': 200, 'admin-in': 200, 'admin-out': 200, auditor: 200 },
    },
    {
      name: 'GET /audit/verify',
      call: async (t) => (await http('GET', `${sys.url}/audit/verify`, { token: t })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 403, 'submitter-out': 403, 'reviewer-in': 403, 'reviewer-out': 403, 'admin-in': 403, 'admin-out': 403, auditor: 200 },
    },
    {
      name: 'GET /queues',
      call: async (t) => (await http('GET', `${sys.url}/queues`, { token: t })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 403, 'submitter-out': 403, 'reviewer-in': 403, 'reviewer-out': 403, 'admin-in': 200, 'admin-out': 200, auditor: 200 },
    },
    {
      name: 'POST /evaluations/:id/approve',
      call: async (t) => (await http('POST', `${sys.url}/evaluations/${inReview}/approve`, { token: t, json: {} })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 403, 'submitter-out': 403, 'reviewer-in': 200, 'reviewer-out': 403, 'admin-in': 403, 'admin-out': 403, auditor: 403 },
    },
    {
      name: 'POST /evaluations/:id/return (after the approval: a transition no longer allowed)',
      call: async (t) => (await http('POST', `${sys.url}/evaluations/${inReview}/return`, { token: t, json: { reason: '请补充说明' } })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 403, 'submitter-out': 403, 'reviewer-in': 409, 'reviewer-out': 403, 'admin-in': 403, 'admin-out': 403, auditor: 403 },
    },
    {
      name: 'POST /disclosures/:id/retract',
      call: async (t) => (await http('POST', `${sys.url}/disclosures/${published}/retract`, { token: t, json: { reason: '数据有误' } })).status,
      expect: { none: 401, forged: 401, 'submitter-in': 403, 'submitter-out': 403, 'reviewer-in': 200, 'reviewer-out': 403, 'admin-in': 403, 'admin-out': 403, auditor: 403 },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const region = c.name.includes('retract') ? '341522' : '640323';
      // refused callers first, so the one allowed caller's state change comes last
      const order = [...WHO].sort((a, b) => Number(c.expect[a] === 200 || c.expect[a] === 201) - Number(c.expect[b] === 200 || c.expect[b] === 201));
      const got: Partial<Record<Who, number>> = {};
      for (const who of order) got[who] = await c.call(tokenFor(who, region));
      expect(got).toEqual(c.expect);
    });
  }

  it('serves the public pages, health and API docs without a token', async () => {
    expect((await http('GET', `${sys.url}/public/341522/2022`)).status).toBe(200);
    expect((await http('GET', `${sys.url}/public/evaluations/${published}`)).status).toBe(200);
    expect((await http('GET', `${sys.url}/health`)).status).toBe(200);
    expect((await http('GET', `${sys.url}/docs`)).status).toBe(200);
  });

  it('lists for a submitter only its own region', async () => {
    const mine = await http('GET', `${sys.url}/evaluations`, { token: sys.token('submitter', ['341522']) });
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((i: { region: string }) => i.region === '341522')).toBe(true);
  });
});
