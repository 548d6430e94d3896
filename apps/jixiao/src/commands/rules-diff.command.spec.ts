import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRulesDir } from '@jixiao/scoring';
import { jixiao } from './__test__/run-cli';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A draft: the repository's file for `id`, edited, written to a temporary file (not named <id>.json). */
function draft(id: string, edit: (j: Json) => void): string {
  const json = JSON.parse(readFileSync(join(defaultRulesDir(), `${id}.json`), 'utf8'));
  edit(json);
  const file = join(mkdtempSync(join(tmpdir(), 'jixiao-draft-')), 'draft.json');
  writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

describe('jixiao rules diff --file (offline)', () => {
  it('灵寿县 with 优秀 from 85 to 90: one band change, exit 0', async () => {
    const file = draft('130126', (j) => {
      j.grades[0].conditions.all[0].value = 90;
      j.grades[1].conditions.all[1].value = 90;
    });
    const r = await jixiao('rules', 'diff', '灵寿县', '--file', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^130126 灵寿县 \(.*130126\.json → .*draft\.json\)\n  评价等级 \(grade bands\)\n    优秀: 下限 85 \(含\) → 90 \(含\)\n$/,
    );
  });

  it('a CN change shows under each inheriting region that does not override it; --json gives the changes', async () => {
    const file = draft('CN', (j) => {
      j.forms.project.sections[0].weight = 45;
      j.forms.project.sections[1].weight = 35;
    });
    const r = await jixiao('rules', 'diff', 'CN', '--file', file, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.changes.map((c: Json) => c.summary)).toEqual([
      '项目支出 产出指标 分值: 50 → 45',
      '项目支出 效益指标 分值: 30 → 35',
    ]);
    const ids = out.affected.map((a: Json) => a.id);
    expect(ids).toContain('341522'); // states nothing of its own
    expect(ids).not.toContain('130126'); // sets its own project sections
  });

  it('no change: says so and exits 0', async () => {
    const r = await jixiao(
      'rules',
      'diff',
      '130126',
      '--file',
      draft('130126', () => {}),
    );
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^no change: /) });
  });

  it("a broken draft: the loader's file:line path message first, exit 1", async () => {
    const file = draft('CN', (j) => (j.grades[0].conditions.all[0].value = 'ninety'));
    const r = await jixiao('rules', 'diff', 'CN', '--file', file);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(
      new RegExp(`^${file}:\\d+:\\d+ \\$\\.grades\\[0\\]\\.conditions\\.all\\[0\\]`),
    );
    expect(r.stderr).toMatch(/130126\.json:\d+:\d+ \$\.extends: cannot resolve 130126: its parent CN/);
    expect(r.stderr).toMatch(/jixiao: the draft is refused: \d+ problems/);
  });

  it('a draft declaring another id is refused', async () => {
    const r = await jixiao(
      'rules',
      'diff',
      '130126',
      '--file',
      draft('341522', () => {}),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\$\.id: id "341522" differs from the rule set "130126"/);
  });
});
