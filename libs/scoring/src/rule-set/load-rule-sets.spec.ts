import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, VALID_DIR, type Files } from './__fixtures__/fixture-dir';
import { inspectRuleSets, loadRuleSets } from './load-rule-sets';
import { RuleSetError } from './rule-set.error';

/** Load a mutated fixture directory and return the refusal. */
function refusal(mutate: (f: Files) => void): RuleSetError {
  const dir = fixtureDir(mutate);
  try {
    loadRuleSets(dir);
  } catch (err) {
    if (err instanceof RuleSetError) {
      for (const i of err.issues) expectChinese(i.message, i.messageZh);
      return err;
    }
    throw err;
  }
  throw new Error('the broken rule set was accepted');
}

/** Every issue is said to a bureau's rule admin in Chinese too: not the English again, no English sentence in it. */
function expectChinese(message: string, messageZh: string | undefined): void {
  expect(messageZh, message).toBeDefined();
  expect(messageZh, message).not.toBe(message);
  expect(messageZh, message).toMatch(/[\u4e00-\u9fff]/);
  expect(messageZh, message).not.toMatch(
    /\b(the|expected|must|cannot|is|are|has|no|not|of|after|found|unknown|missing|duplicate)\b/i,
  );
}

/** The refusal names this file and JSON path, with a message matching `text`. */
function expectIssue(err: RuleSetError, file: string, path: string, text: RegExp): void {
  const issue = err.issues.find((i) => i.file.endsWith(`/${file}`) && i.path === path);
  expect(issue, `no issue at ${file} ${path}; got:\n${err.message}`).toBeDefined();
  expect(issue!.message).toMatch(text);
  expect(err.message).toContain(`${file}`);
  expect(err.message).toContain(path);
}

const band = (
  name: string,
  lo: number | null,
  hi: number | null,
  loOp = 'greaterThanInclusive',
  hiOp = 'lessThan',
) => ({
  name,
  conditions: {
    all: [
      ...(lo === null ? [] : [{ fact: 'total', operator: loOp, value: lo }]),
      ...(hi === null ? [] : [{ fact: 'total', operator: hiOp, value: hi }]),
    ],
  },
  event: { type: 'grade', params: { grade: name } },
});

describe('loadRuleSets', () => {
  it('loads the valid fixtures and skips schema.json and sub-directories such as golden/', () => {
    const dir = fixtureDir((f) => {
      f['schema.json'] = '{ not a rule set';
    });
    mkdirSync(join(dir, 'golden'));
    writeFileSync(join(dir, 'golden', 'x.json'), '{}');
    const ids = loadRuleSets(dir)
      .list()
      .map((r) => r.id);
    expect(ids).toEqual(['130126', '130126@2024', '410000', '410100', '410105', '640000', 'CN']);
  });

  it('refuses invalid JSON with the line and column', () => {
    const err = refusal((f) => {
      f['410000.json'] = '{\n  "id": "410000",\n  "version": 1,\n}\n';
    });
    expectIssue(err, '410000.json', '$', /invalid JSON/);
    expect(err.issues[0]).toMatchObject({ line: 4, column: 1, messageZh: expect.stringMatching(/^JSON 语法错误：/) });
    expect(err.message).toContain('410000.json:4:1');
  });

  it('reports every schema issue with its JSON path and line', () => {
    const err = refusal((f) => {
      f['CN.json'].grades[2].conditions.all[0].value = { sixty: true };
      f['CN.json'].rounding.mode = 'bankers';
      f['CN.json'].colour = 'red';
    });
    expectIssue(err, 'CN.json', '$.grades[2].conditions.all[0].value', /expected/i);
    // children of the refused CN say why they cannot be used
    expectIssue(err, '410105.json', '$.extends', /ancestor CN .*CN\.json\) has errors/);
    expectIssue(err, 'CN.json', '$.rounding.mode', /half-up/);
    expectIssue(err, 'CN.json', '$', /colour/);
    const value = err.issues.find((i) => i.path === '$.grades[2].conditions.all[0].value')!;
    expect(value.line).toBeGreaterThan(1);
  });

  it('refuses a duplicate id', () => {
    const err = refusal((f) => {
      f['410100.json'].id = '410000';
      f['410100.json'].region.code = '410000';
    });
    expect(err.issues.some((i) => /duplicate id "410000"|must be named 410000.json/.test(i.message))).toBe(true);
    // named as its id, the copy is a duplicate
    const err2 = refusal((f) => {
      f['CN@2030.json'] = { ...f['CN.json'], id: 'CN@2030', years: { from: 2030, to: null } };
      f['CN@2031.json'] = { ...f['CN.json'], id: 'CN@2030', years: { from: 2031, to: null } };
    });
    expect(err2.message).toMatch(/CN@2031.json.*\$\.id: (duplicate id "CN@2030"|the file for id)/);
  });

  it('refuses a file whose name is not its id', () => {
    const err = refusal((f) => {
      f['henan.json'] = f['410000.json'];
      delete f['410000.json'];
    });
    expectIssue(err, 'henan.json', '$.id', /must be named 410000\.json/);
  });

  it('refuses an unknown parent', () => {
    const err = refusal((f) => {
      f['410100.json'].extends = '419900';
    });
    expectIssue(err, '410100.json', '$.extends', /unknown parent "419900"/);
    // its child cannot resolve either, and says why
    expectIssue(err, '410105.json', '$.extends', /chain is broken/);
  });

  it('refuses an inheritance cycle', () => {
    const err = refusal((f) => {
      f['410000.json'].extends = '410105';
    });
    expectIssue(err, '410000.json', '$.extends', /cycle.*410000 → 410105 → 410100 → 410000/);
  });

  it('refuses grade bands with a gap', () => {
    const err = refusal((f) => {
      f['130126.json'].grades[1] = band('良好', 75, 84);
    });
    expectIssue(err, '130126.json', '$.grades[0]', /gap.*84 and 85/);
  });

  it('refuses overlapping grade bands', () => {
    const err = refusal((f) => {
      f['130126.json'].grades[1] = band('良好', 75, 85, 'greaterThanInclusive', 'lessThanInclusive');
    });
    expectIssue(err, '130126.json', '$.grades[0]', /overlap/);
  });

  it('refuses an empty (unordered) band and bands that do not start at 0', () => {
    const err = refusal((f) => {
      f['130126.json'].grades[2] = band('一般', 75, 60);
    });
    expectIssue(err, '130126.json', '$.grades[2].conditions', /empty/);
    const err2 = refusal((f) => {
      f['130126.json'].grades[3] = band('较差', 10, 60);
    });
    expectIssue(err2, '130126.json', '$.grades[3]', /from 0 up to 10/);
  });

  it('refuses a grade rule that is not a band on total', () => {
    const err = refusal((f) => {
      f['130126.json'].grades[0].conditions.all[0].operator = 'equal';
    });
    expectIssue(err, '130126.json', '$.grades[0].conditions.all[0]', /greaterThan\(Inclusive\)/);
  });

  it('refuses overlapping tiers, tiers not covering 0–100%, and a default outside its tier', () => {
    const overlap = refusal((f) => {
      delete f['CN.json'].qualitative.tiers[1].event.params.maxExclusive;
    });
    expectIssue(overlap, 'CN.json', '$.qualitative.tiers[0].event.params', /overlap/);
    const gap = refusal((f) => {
      f['CN.json'].qualitative.tiers[2].event.params.min = 0.1;
    });
    expectIssue(gap, 'CN.json', '$.qualitative.tiers[2].event.params', /do not cover 0%/);
    const top = refusal((f) => {
      f['CN.json'].qualitative.tiers[0].event.params.max = 0.95;
      f['CN.json'].qualitative.tiers[0].event.params.default = 0.9;
    });
    expectIssue(top, 'CN.json', '$.qualitative.tiers[0].event.params', /do not cover 100%/);
    const dflt = refusal((f) => {
      f['CN.json'].qualitative.tiers[1].event.params.default = 0.8;
    });
    expectIssue(dflt, 'CN.json', '$.qualitative.tiers[1].event.params.default', /outside tier "partial"/);
  });

  it('refuses section weights that do not add up to 100, naming the file that set them', () => {
    const err = refusal((f) => {
      f['410105.json'].forms.department.sections[0].weight = 25;
    });
    expectIssue(err, '410105.json', '$.forms.department', /add up to 105/);
    // a child changing only the execution weight breaks the sum inherited from CN
    const err2 = refusal((f) => {
      f['410000.json'].forms = { project: { execution: { weight: 20 } } };
    });
    expectIssue(err2, '410000.json', '$.forms.project', /add up to 110/);
  });

  it('refuses an execution formula "none" with a weight', () => {
    const err = refusal((f) => {
      f['640000.json'].forms.project.execution.weight = 10;
      f['640000.json'].forms.project.sections[2].weight = 10;
    });
    expectIssue(err, '640000.json', '$.forms.project.execution.weight', /formula "none".*weight 10/);
  });

  it('refuses a rule naming an unknown fact, for grades, tiers, checks (by scope) and routing', () => {
    const err = refusal((f) => {
      f['CN.json'].qualitative.tiers[0].conditions.any[0].fact = 'total';
      f['CN.json'].checks[1].conditions.all[0].fact = 'totalDifference'; // an evaluation fact in an indicator check
      f['CN.json'].routing[0].conditions.all[0].fact = 'errors';
    });
    expectIssue(err, 'CN.json', '$.qualitative.tiers[0].conditions.any[0].fact', /unknown fact "total" for tier/);
    expectIssue(
      err,
      'CN.json',
      '$.checks[1].conditions.all[0].fact',
      /unknown fact "totalDifference" for indicator check/,
    );
    expectIssue(err, 'CN.json', '$.routing[0].conditions.all[0].fact', /unknown fact "errors" for routing/);
  });

  it('attributes a bad check to the file that defines it, even after merging by name', () => {
    const err = refusal((f) => {
      f['410100.json'].checks[1].conditions.all[1].fact = 'hasReason';
    });
    expectIssue(err, '410100.json', '$.checks[1].conditions.all[1].fact', /unknown fact "hasReason"/);
  });

  it('refuses a check with an unknown finding code', () => {
    const err = refusal((f) => {
      f['410100.json'].checks[1].event.params.code = 'MISSING_REASON';
    });
    expectIssue(err, '410100.json', '$.checks[1].event.params.code', /unknown finding code "MISSING_REASON"/);
  });

  it('refuses a resolved set that misses a field, naming the field and the chain', () => {
    const err = refusal((f) => {
      delete f['CN.json'].tolerance;
    });
    expectIssue(err, '410105.json', '$.tolerance', /missing after inheritance.*410105 → 410100 → 410000 → CN/);
    expectIssue(err, 'CN.json', '$.tolerance', /missing after inheritance/);
  });

  it('refuses overlapping year ranges of one region', () => {
    const err = refusal((f) => {
      f['130126@2024.json'].years.from = 2023;
    });
    expectIssue(err, '130126@2024.json', '$.years', /overlap.*130126/);
  });

  it('refuses operators that cannot work with their value', () => {
    const err = refusal((f) => {
      f['CN.json'].checks[0].conditions.all[0].operator = 'in';
      f['CN.json'].qualitative.tiers[0].conditions.any[0] = { fact: 'actual', operator: 'matches', value: '(' };
    });
    expectIssue(err, 'CN.json', '$.checks[0].conditions.all[0].value', /needs an array/);
    expectIssue(err, 'CN.json', '$.qualitative.tiers[0].conditions.any[0].value', /invalid regular expression/);
  });

  it('reports per file, marking a valid child of a broken parent as unusable', () => {
    const dir = fixtureDir((f) => {
      f['410000.json'].rounding.precision = 9;
    });
    const { reports, registry } = inspectRuleSets(dir);
    expect(registry).toBeNull();
    const byName = Object.fromEntries(
      reports.map((r) => [r.file.split('/').pop(), r.issues.map((i) => `${i.path} ${i.message}`)]),
    );
    expect(byName['CN.json']).toEqual([]);
    expect(byName['410000.json']).toEqual([expect.stringMatching(/^\$\.rounding\.precision .*4/)]);
    expect(byName['410105.json']).toEqual([
      expect.stringMatching(/^\$\.extends cannot resolve 410105: its ancestor 410000/),
    ]);
  });

  it('accepts the fixtures directory as committed', () => {
    expect(() => loadRuleSets(VALID_DIR)).not.toThrow();
  });
});
