import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validFiles, VALID_DIR } from './__fixtures__/fixture-dir';
import { ruleTextHash } from './hash';
import { loadRuleSets } from './load-rule-sets';
import { RuleSetError } from './rule-set.error';
import { inspectRuleSetSources, loadRuleSetsFromSources, type RuleSource } from './rule-sources';

/** The valid fixtures as API sources (`api:<id>@v<n>`), each edited by `edit` first. */
function apiSources(edit: (files: Record<string, Record<string, unknown>>) => void = () => {}): RuleSource[] {
  const files = validFiles();
  edit(files);
  return Object.entries(files).map(([name, json], i) => ({
    file: `api:${name.replace(/\.json$/, '')}@v${i + 1}`,
    text: typeof json === 'string' ? json : JSON.stringify(json, null, 2),
  }));
}

function refusal(sources: RuleSource[]): RuleSetError {
  try {
    loadRuleSetsFromSources(sources);
  } catch (err) {
    if (err instanceof RuleSetError) return err;
    throw err;
  }
  throw new Error('the broken sources were accepted');
}

describe('loadRuleSetsFromSources', () => {
  it('gives the same rule sets as the directory loader', () => {
    const fromDir = loadRuleSets(VALID_DIR);
    const sources = readdirSync(VALID_DIR).map((n) => ({
      file: join(VALID_DIR, n),
      text: readFileSync(join(VALID_DIR, n), 'utf8'),
    }));
    const fromSources = loadRuleSetsFromSources(sources);
    expect(fromSources.list()).toEqual(fromDir.list());
    expect(fromSources.resolveById('410105')).toEqual(fromDir.resolveById('410105'));
  });

  it('API labels need no <id>.json name, and their rule sets resolve alike', () => {
    const registry = loadRuleSetsFromSources(apiSources());
    expect(registry.resolveById('410105').hash).toBe(loadRuleSets(VALID_DIR).resolveById('410105').hash);
  });

  it('a given version replaces the declared one in the rule set and in the chain of its children', () => {
    const sources = apiSources().map((s) =>
      s.file.startsWith('api:CN@')
        ? { ...s, version: 7 }
        : s.file.startsWith('api:410105@')
          ? { ...s, version: 12 }
          : s,
    );
    const registry = loadRuleSetsFromSources(sources);
    const set = registry.resolveById('410105');
    expect(set.version).toBe(12);
    expect(set.chain[0]).toEqual({ id: '410105', version: 12 });
    expect(set.chain.at(-1)).toEqual({ id: 'CN', version: 7 });
    expect(registry.resolveById('CN').version).toBe(7);
    expect(set.hash).toBe(loadRuleSets(VALID_DIR).resolveById('410105').hash); // the hash is of the rules alone
  });

  it('bad JSON names the label, the path and the line', () => {
    const sources = apiSources((f) => {
      (f as Record<string, unknown>)['640000.json'] = '{\n  "id": "640000",\n  "version": 1,\n}\n';
    });
    const err = refusal(sources);
    const label = sources.find((s) => s.file.startsWith('api:640000@'))!.file;
    expect(err.issues[0]).toMatchObject({ file: label, path: '$', line: 4 });
    expect(err.message).toContain(`${label}:4:1 $: invalid JSON`);
  });

  it('a schema error names the label and the JSON path', () => {
    const err = refusal(apiSources((f) => ((f['CN.json'].rounding as Record<string, unknown>).mode = 'bankers')));
    const issue = err.issues.find((i) => i.path === '$.rounding.mode');
    expect(issue?.file).toMatch(/^api:CN@v\d+$/);
    expect(issue?.line).toBeGreaterThan(1);
  });

  it('refuses a child whose parent is not among the sources', () => {
    const sources = apiSources().filter((s) => !s.file.startsWith('api:410100@'));
    const { reports, registry } = inspectRuleSetSources(sources);
    expect(registry).toBeNull();
    const child = reports.find((r) => r.id === '410105')!;
    expect(child.issues[0]).toMatchObject({
      path: '$.extends',
      message: expect.stringMatching(/unknown parent "410100"/),
    });
  });

  it('keeps the file-name check for .json labels, and checks expectId instead when given', () => {
    const text = readFileSync(join(VALID_DIR, '640000.json'), 'utf8');
    const others = apiSources().filter((s) => !s.file.startsWith('api:640000@'));
    const misnamed = refusal([...others, { file: 'drafts/ningxia.json', text }]);
    expect(misnamed.message).toMatch(
      /drafts\/ningxia\.json:\d+:\d+ \$\.id: the file for id "640000" must be named 640000\.json/,
    );
    expect(() =>
      loadRuleSetsFromSources([...others, { file: 'drafts/ningxia.json', text, expectId: '640000' }]),
    ).not.toThrow();
    const wrongId = refusal([...others, { file: 'api:640100@v1', text, expectId: '640100' }]);
    expect(wrongId.message).toMatch(/api:640100@v1:\d+:\d+ \$\.id: id "640000" differs from the rule set "640100"/);
  });
});

describe('versions of one rule set for disjoint years', () => {
  /** CN as two versions: v1 up to `v1To`, v2 (优 from 92) from `v2From`; the other fixtures as they are. */
  function twoCn(v1To: number, v2From: number): RuleSource[] {
    const files = validFiles();
    const cn = files['CN.json'];
    const v2 = JSON.parse(JSON.stringify(cn));
    v2.grades[0].conditions.all[0].value = 92;
    v2.grades[1].conditions.all[1].value = 92;
    return [
      ...apiSources().filter((s) => !s.file.startsWith('api:CN@')),
      { file: 'api:CN@v1', text: JSON.stringify({ ...cn, years: { from: null, to: v1To } }), version: 1 },
      { file: 'api:CN@v2', text: JSON.stringify({ ...v2, years: { from: v2From, to: null } }), version: 2 },
    ];
  }

  it('each year resolves to the version covering it, and children inherit from that version', () => {
    const registry = loadRuleSetsFromSources(twoCn(2023, 2024));
    const single = loadRuleSets(VALID_DIR);
    expect(registry.resolve('CN', 2023)).toMatchObject({ version: 1, hash: single.resolveById('CN').hash });
    expect(registry.resolve('CN', 2024)).toMatchObject({ version: 2, years: { from: 2024, to: null } });
    expect(registry.resolve('CN', 2024).hash).not.toBe(single.resolveById('CN').hash);
    // 410105 (2020–) inherits through 410100 and 410000 from CN v1 up to 2023 and CN v2 from 2024
    const old = registry.resolve('410105', 2023);
    expect(old).toMatchObject({
      id: '410105',
      years: { from: 2020, to: 2023 },
      hash: single.resolveById('410105').hash,
    });
    expect(old.chain.at(-1)).toEqual({ id: 'CN', version: 1 });
    const next = registry.resolve('410105', 2024);
    expect(next).toMatchObject({ id: '410105', years: { from: 2024, to: null } });
    expect(next.chain.at(-1)).toEqual({ id: 'CN', version: 2 });
    expect(next.hash).not.toBe(old.hash);
    // a child within one version's years is not split
    expect(registry.resolve('640000', 2020)).toMatchObject({
      years: { from: 2019, to: 2022 },
      hash: single.resolveById('640000').hash,
    });
    expect(registry.resolveById('CN').version).toBe(2);
    expect(
      registry
        .list()
        .filter((s) => s.id === 'CN')
        .map((s) => [s.version, s.years, s.file]),
    ).toEqual([
      [1, { from: null, to: 2023 }, 'api:CN@v1'],
      [2, { from: 2024, to: null }, 'api:CN@v2'],
    ]);
  });

  it('refuses versions whose years overlap, and years of a child no version of its parent covers', () => {
    expect(refusal(twoCn(2024, 2024)).message).toMatch(
      /api:CN@v2:\d+:\d+ \$\.id: duplicate id "CN" \(also api:CN@v1\)/,
    );
    const gap = refusal(twoCn(2020, 2024));
    expect(gap.message).toMatch(
      /cannot resolve 410105 for 2021–2023: no version of its ancestor CN covers those years \(v1 …–2020, v2 2024–…\)/,
    );
  });
});

describe('ruleTextHash', () => {
  it('ignores whitespace and key order, not values', () => {
    expect(ruleTextHash('{"a":1,"b":[1,2]}')).toBe(ruleTextHash('{\n  "b": [1, 2],\n  "a": 1\n}'));
    expect(ruleTextHash('{"a":1}')).not.toBe(ruleTextHash('{"a":2}'));
    expect(() => ruleTextHash('{')).toThrow(SyntaxError);
  });
});
