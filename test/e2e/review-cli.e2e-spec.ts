import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jixiao } from '../../apps/jixiao/src/commands/__test__/run-cli';
import { documentForm, http } from './support/http';
import { SEEDS } from './support/seeds';
import { startSystem, type TestSystem, waitFor } from './support/system';

/** A reviewer's day from the command line (`jixiao review`, and the unit's `jixiao submit`), against the running system. */
describe('jixiao review on the running system', () => {
  let sys: TestSystem;
  const ids: Record<string, string> = {};
  const reviewer = () => ['--url', sys.url, '--token', sys.token('reviewer', ['640000', '130000'])];
  const stateOf = async (id: string) =>
    (await http('GET', `${sys.url}/evaluations/${id}`, { token: sys.token('auditor', ['CN']) })).body?.state;

  beforeAll(async () => {
    sys = await startSystem({ db: 'sqlite' });
    for (const key of ['yanchi', 'lingshou'] as const) {
      const seed = SEEDS[key];
      const res = await http('POST', `${sys.url}/documents`, {
        token: sys.token('submitter', [seed.region]),
        form: documentForm(seed.file),
      });
      expect(res.status, res.text).toBe(201);
      ids[key] = res.body.evaluationIds[0];
      await waitFor(`${key} in review`, async () => (await stateOf(ids[key])) === 'in_review');
    }
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('lists what waits for the reviewer in its regions', async () => {
    const r = await jixiao('review', 'list', ...reviewer());
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      new RegExp(
        `^${ids.yanchi}\\s+640323\\s+2022\\s+盐池县人民政府办公室 / 政务新媒体运…\\s+待审核\\s+99\\.50\\s+优`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(new RegExp(`^${ids.lingshou}\\s+130126\\s+2022\\s+灵寿县人民政府办公室\\s+待审核`, 'm'));
    expect(r.stdout).toContain('第 1–2 条，共 2 条');
    const only = await jixiao('review', 'list', '--region', '灵寿县', '--json', ...reviewer());
    expect(JSON.parse(only.stdout).items.map((e: { evaluationId: string }) => e.evaluationId)).toEqual([ids.lingshou]);
  });

  it('shows an evaluation with the rule score of each indicator and the findings', async () => {
    const r = await jixiao('review', 'show', ids.yanchi, ...reviewer());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^指标1:群众满意度\s+10\s+6\.00\s+9\.50\s+-3\.50\s+实际完成值 95% 未达到年度指标值 100%/m);
    expect(r.stdout).toContain('[warning] SCORE_DIFFERS_FROM_RULE · 指标1:群众满意度');
    expect(r.stdout).toMatch(
      new RegExp(
        `^退回：jixiao review return ${ids.yanchi} --revision \\d+ --reason "…" \\[--finding <上列问题的序号>\\]…$`,
        'm',
      ),
    );
  });

  it('approves one (published next) and returns the other to its unit with the reason; a second decision is refused', async () => {
    // the revision review show printed: current, so the approval applies; a made-up older one is refused
    const shown = (await jixiao('review', 'show', ids.yanchi, ...reviewer())).stdout;
    const revision = /--revision (\d+)/.exec(shown)![1];
    const stale = await jixiao(
      'review',
      'approve',
      ids.yanchi,
      '--revision',
      String(Number(revision) - 1),
      ...reviewer(),
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`has changed since revision ${Number(revision) - 1} (now revision ${revision}`);
    expect(
      (await jixiao('review', 'approve', ids.yanchi, '--comment', '同意', '--revision', revision, ...reviewer()))
        .stdout,
    ).toBe(`${ids.yanchi} → 已通过 (approved)\n`);
    const back = await jixiao(
      'review',
      'return',
      ids.lingshou,
      '--reason',
      '表格不完整，请补充后重新提交',
      '--finding',
      '1', // the first finding review show lists: what the unit must correct
      ...reviewer(),
    );
    expect(back.stdout).toBe(`${ids.lingshou} → 已退回 (returned): 表格不完整，请补充后重新提交（指出 1 个问题）\n`);
    const returned = await jixiao('review', 'show', ids.lingshou, ...reviewer());
    expect(returned.stdout).toContain('退回时指出需要修改的问题（1）：');
    await waitFor('盐池 published', async () => (await stateOf(ids.yanchi)) === 'published');
    expect(await stateOf(ids.lingshou)).toBe('returned');
    const history = await jixiao('review', 'history', ids.lingshou, ...reviewer());
    expect(history.stdout).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间\s+\S+ \(reviewer\)\s+return\s+in_review → returned\s+表格不完整，请补充后重新提交$/m,
    );
    const again = await jixiao('review', 'approve', ids.lingshou, ...reviewer());
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/409 Conflict from POST \/evaluations\/ev_\w+\/approve: .*returned/);
    // outside the reviewer's regions
    const outside = await jixiao(
      'review',
      'approve',
      ids.lingshou,
      '--url',
      sys.url,
      '--token',
      sys.token('reviewer', ['410000']),
    );
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('403 Forbidden');
  });

  it('the unit sends the corrected document for the returned one (jixiao submit --corrects): version 2, in review again', async () => {
    const submitter = sys.token('submitter', ['130126']);
    const r = await jixiao(
      'submit',
      SEEDS.lingshou.file,
      '--corrects',
      ids.lingshou,
      '--wait',
      '20',
      '--url',
      sys.url,
      '--token',
      submitter,
    );
    expect(r.stderr).toContain('region 灵寿县 (130126) recognised in the text');
    expect(r.code).toBe(0);
    const [line] = r.stdout.trim().split('\n');
    expect(line).toMatch(new RegExp(`^(ev_\\w+)  第 2 版（更正 ${ids.lingshou}）  待审核 .*处理：人工审核`));
    const corrected = line.split(' ')[0];
    expect(await stateOf(corrected)).toBe('in_review');
    const list = await jixiao('review', 'list', '--region', '130126', '--json', ...reviewer());
    expect(
      JSON.parse(list.stdout).items.map((e: { evaluationId: string; version: number }) => [e.evaluationId, e.version]),
    ).toEqual([[corrected, 2]]);
    // the same document again: what the return named is still there, and the reviewer reads so
    const shown = await jixiao('review', 'show', corrected, ...reviewer());
    expect(shown.stdout).toContain(`上一版（${ids.lingshou}）的退回：已解决 0 项，仍存在 1 项`);
  });

  it('jixiao publication: lists what was published, shows one, and retracts it with a reason (the case follows)', async () => {
    await waitFor('盐池 published', async () => (await stateOf(ids.yanchi)) === 'published');
    const list = await jixiao('publication', 'list', '--region', '盐池县', ...reviewer());
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(
      new RegExp(
        `^${ids.yanchi}\\s+640323\\s+2022\\s+盐池县人民政府办公室 / 政务新媒体运…\\s+99\\.5\\s+优\\s+\\S+\\s+已发布\\s+1\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} 北京时间$`,
        'm',
      ),
    );
    expect(list.stdout).toContain('共 1 份：有效公开 1（其中已修订 0，复核中 0），已撤回 0');
    const shown = await jixiao('publication', 'show', ids.yanchi, ...reviewer());
    expect(shown.stdout).toMatch(/^政务新媒体运行维护费（盐池县人民政府办公室） · 已发布$/m);
    expect(shown.stdout).toMatch(/^\s+1\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间\s+99\.5\s+优/m);

    const bare = await jixiao('publication', 'retract', ids.yanchi, ...reviewer());
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--reason is needed');
    const outside = await jixiao(
      'publication',
      'retract',
      ids.yanchi,
      '--reason',
      '数据有误',
      '--url',
      sys.url,
      '--token',
      sys.token('reviewer', ['410000']),
    );
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('403 Forbidden');
    const done = await jixiao(
      'publication',
      'retract',
      ids.yanchi,
      '--reason',
      '满意度数据来源有误，待核实',
      ...reviewer(),
    );
    expect(done.stdout).toBe(`${ids.yanchi} → 已撤回公开：满意度数据来源有误，待核实\n`);
    const again = await jixiao('publication', 'retract', ids.yanchi, '--reason', '再次', ...reviewer());
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/409 Conflict from POST \/disclosures\/ev_\w+\/retract: .*already retracted/);
    const retracted = await jixiao('publication', 'list', '--status', 'retracted', '--json', ...reviewer());
    expect(JSON.parse(retracted.stdout).items.map((d: { evaluationId: string }) => d.evaluationId)).toEqual([
      ids.yanchi,
    ]);
    expect((await jixiao('publication', 'show', ids.yanchi, ...reviewer())).stdout).toMatch(
      /^已撤回：.* 北京时间，\S+：满意度数据来源有误，待核实$/m,
    );
    await waitFor('the case retracted', async () => (await stateOf(ids.yanchi)) === 'retracted');
    expect((await jixiao('publication', 'list', '--status', 'gone', ...reviewer())).code).toBe(2);
  });
});
