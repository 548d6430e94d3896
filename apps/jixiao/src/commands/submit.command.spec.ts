import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../server/__fixtures__/fake-server';
import { jixiao } from './__test__/run-cli';

const server = fakeServerPerTest();

const dir = mkdtempSync(join(tmpdir(), 'jixiao-submit-'));
const file = join(dir, '盐池 自评表.txt');
writeFileSync(file, '项目支出绩效自评表\n（2022年度）\n');

const uploaded = (ids: string[], previous: string | null = null) => ({
  submissionIds: ids.map((id) => `sub_${id}`),
  evaluationIds: ids,
  versions: ids.map((evaluationId) => ({
    evaluationId,
    submissionId: `sub_${evaluationId}`,
    version: previous ? 2 : 1,
    previousVersionId: previous,
  })),
  region: '640323',
  diagnostics: [
    { level: 'info', message: 'region 盐池县 (640323) recognised in the text', line: 0 },
    { level: 'warning', message: '合计 row ignored', line: 42 },
  ],
});

const evaluation = (id: string, state: string) => ({
  evaluationId: id,
  version: 1,
  region: '640323',
  fiscalYear: 2022,
  formType: 'project',
  unitName: '盐池县人民政府办公室',
  projectName: '政务新媒体运行维护费',
  state,
  total: state === 'submitted' ? null : 99.5,
  grade: state === 'submitted' ? null : '优',
  executionRate: 1,
  findingCounts: null,
  routing: state === 'in_review' ? { decision: 'manual-review', reasons: ['存在需要复核的问题'] } : null,
  previousVersionId: null,
  revision: 1,
  score: null,
});

describe('jixiao submit (server)', () => {
  it('uploads the document as multipart with the fields given; the parse notes go to stderr', async () => {
    const { flags, calls } = await server({ 'POST /documents': () => ({ status: 201, body: uploaded(['ev_1']) }) });
    const r = await jixiao('submit', file, '--region', '640323', '--year', '2022', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ev_1  第 1 版  已提交\n');
    expect(r.stderr).toBe(
      `${file}: info: region 盐池县 (640323) recognised in the text\n${file}:42: warning: 合计 row ignored\n`,
    );
    expect(calls[0].authorization).toBe('Bearer tok');
    const body = calls[0].body;
    expect(body).toMatch(
      /name="file"; filename="盐池 自评表.txt"\r\n(Content-Type: [^\r]+\r\n)?\r\n项目支出绩效自评表\n（2022年度）\n\r\n/,
    );
    expect(body).toMatch(/name="region"\r\n\r\n640323\r\n/);
    expect(body).toMatch(/name="year"\r\n\r\n2022\r\n/);
    expect(body).not.toContain('name="previousVersionId"');
  });

  it('--corrects: the returned evaluation the document corrects; --wait: each evaluation once routed', async () => {
    let polls = 0;
    const { flags, calls } = await server({
      'POST /documents': () => ({ status: 201, body: uploaded(['ev_2'], 'ev_1') }),
      'GET /evaluations/ev_2': () =>
        ++polls === 1
          ? { status: 404, body: { statusCode: 404, message: 'evaluation ev_2 not found' } }
          : { status: 200, body: evaluation('ev_2', polls < 3 ? 'submitted' : 'in_review') },
    });
    const r = await jixiao('submit', file, '--corrects', 'ev_1', '--wait', '10', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'ev_2  第 2 版（更正 ev_1）  待审核 总分 99.50 等级 优 · 处理：人工审核（存在需要复核的问题）\n',
    );
    expect(calls[0].body).toMatch(/name="previousVersionId"\r\n\r\nev_1\r\n/);
    expect(polls).toBe(3);
  });

  it('--wait gives up after its seconds (exit 1, naming what was not routed); --json prints the answer', async () => {
    const { flags } = await server({
      'POST /documents': () => ({ status: 201, body: uploaded(['ev_3']) }),
      'GET /evaluations/ev_3': () => ({ status: 200, body: evaluation('ev_3', 'submitted') }),
    });
    const r = await jixiao('submit', file, '--wait', '0.5', '--json', ...flags);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ev_3: not routed within 0.5 s (still submitted)');
    expect(JSON.parse(r.stdout)).toMatchObject({
      evaluationIds: ['ev_3'],
      evaluations: [{ evaluationId: 'ev_3', state: 'submitted' }],
    });
  });

  it('refuses bad usage before sending anything (exit 2), and passes the server’s refusal on (exit 1)', async () => {
    const { flags, calls } = await server({
      'POST /documents': () => ({ status: 400, body: { statusCode: 400, message: 'x.pdf: unsupported file type' } }),
    });
    expect((await jixiao('submit', join(dir, 'missing.txt'), ...flags)).stderr).toContain('cannot read');
    const year = await jixiao('submit', file, '--year', '22', ...flags);
    expect(year.code).toBe(2);
    expect(year.stderr).toContain('--year 22: expected a fiscal year');
    expect(calls).toHaveLength(0);
    const refused = await jixiao('submit', file, ...flags);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('400 Bad Request from POST /documents: x.pdf: unsupported file type');
  });
});
