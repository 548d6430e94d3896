import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { jsonSyntaxZh } from '@jixiao/contracts/zod-issue-zh';
import { formatPath, type PathSegment } from './json-path';
import { lineColumn, locate } from './json-locate';
import type { RuleSetIssue } from './rule-set.error';
import { RuleSetFileSchema, type RuleSetFile } from './rule-set.schema';
import { flattenIssues } from './zod-issues';

/** A rule file that passed the file schema: its text, the raw JSON (merged as written) and the parsed form. */
export interface RuleFile {
  file: string;
  text: string;
  raw: Record<string, unknown>;
  parsed: RuleSetFile;
}

/** On failure, `id` is the file's `id` member when it could be read (so children can say their parent is broken). */
export type ReadResult = { ok: true; value: RuleFile } | { ok: false; issues: RuleSetIssue[]; id?: string };

/** An issue at a JSON path of a file, with the line and column of that path when the text has it. */
export function issueAt(
  file: string,
  text: string | null,
  path: PathSegment[],
  message: string,
  messageZh?: string,
): RuleSetIssue {
  const pos = text === null ? undefined : locate(text, path);
  return { file, path: formatPath(path), message, ...(messageZh ? { messageZh } : {}), ...(pos ?? {}) };
}

function syntaxIssue(file: string, text: string, err: Error): RuleSetIssue {
  const m = /position (\d+)/.exec(err.message);
  const pos = m ? lineColumn(text, Number(m[1])) : undefined;
  const said = err.message.replace(/ in JSON at position \d+.*$/, '');
  const message = `invalid JSON (JSON 语法错误): ${said}`;
  return { file, path: '$', message, messageZh: `JSON 语法错误：${jsonSyntaxZh(said)}`, ...(pos ?? {}) };
}

/** Read, parse and schema-check one rule file on disk (see `parseRuleText`). */
export function readRuleFile(file: string): ReadResult {
  return parseRuleText(file, readFileSync(file, 'utf8'));
}

export interface ParseOptions {
  /**
   * The id the text must declare (an upload to `/rule-sets/130126/versions`, a draft replacing 130126). When
   * given, it replaces the file-name check.
   */
  expectId?: string;
}

/**
 * Parse and schema-check the text of one rule file; every schema issue is reported, not just the first.
 * `file` labels the text in messages (`rules/130126.json`, `api:130126@v3`). A label ending in `.json` is a
 * file name and must be `<id>.json`, unless `expectId` is given; other labels (API uploads) are not names.
 */
export function parseRuleText(file: string, rawText: string, opts: ParseOptions = {}): ReadResult {
  const text = rawText.replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [syntaxIssue(file, text, err as Error)] };
  }
  const res = RuleSetFileSchema.safeParse(json);
  if (!res.success) {
    const id = (json as { id?: unknown } | null)?.id;
    const issues = flattenIssues(res.error.issues, json).map((i) =>
      issueAt(file, text, i.path, i.message, i.messageZh),
    );
    return { ok: false, issues, ...(typeof id === 'string' ? { id } : {}) };
  }
  const issues = ownProblems(res.data).map(([path, message, messageZh]) =>
    issueAt(file, text, path, message, messageZh),
  );
  const expected = `${res.data.id}.json`;
  if (opts.expectId !== undefined) {
    if (res.data.id !== opts.expectId)
      issues.push(
        issueAt(
          file,
          text,
          ['id'],
          `id "${res.data.id}" differs from the rule set "${opts.expectId}" it is given for`,
          `id “${res.data.id}” 与上传到的规则 “${opts.expectId}” 不一致`,
        ),
      );
  } else if (file.endsWith('.json') && basename(file) !== expected) {
    issues.push(
      issueAt(
        file,
        text,
        ['id'],
        `the file for id "${res.data.id}" must be named ${expected}`,
        `id 为 “${res.data.id}” 的规则文件须命名为 ${expected}`,
      ),
    );
  }
  if (issues.length > 0) return { ok: false, issues, id: res.data.id };
  return { ok: true, value: { file, text, raw: json as Record<string, unknown>, parsed: res.data } };
}

/** Checks on one file alone: identity, years, rule names unique within a list merged by name. */
function ownProblems(f: RuleSetFile): [PathSegment[], string, string][] {
  const out: [PathSegment[], string, string][] = [];
  const code = f.id.split('@')[0];
  if (code !== f.region.code)
    out.push([
      ['region', 'code'],
      `region.code "${f.region.code}" differs from the id "${f.id}"`,
      `region.code “${f.region.code}” 与 id “${f.id}” 不一致`,
    ]);
  if (f.extends === null && code !== 'CN')
    out.push([
      ['extends'],
      'only CN has no parent: name the parent rule set id',
      '只有全国规则（CN）没有上级：请填写上级规则的 id',
    ]);
  if (f.extends !== null && code === 'CN' && !f.extends.startsWith('CN')) {
    out.push([['extends'], 'the national rule set cannot extend a regional one', '全国规则不能继承地方规则']);
  }
  if (f.years.from !== null && f.years.to !== null && f.years.from > f.years.to) {
    out.push([
      ['years'],
      `years.from ${f.years.from} is after years.to ${f.years.to}`,
      `起始年度 ${f.years.from} 晚于截止年度 ${f.years.to}`,
    ]);
  }
  for (const list of ['checks', 'routing'] as const) {
    const seen = new Map<string, number>();
    (f[list] ?? []).forEach((r, i) => {
      if (seen.has(r.name))
        out.push([
          [list, i, 'name'],
          `duplicate rule name "${r.name}" (also ${list}[${seen.get(r.name)}])`,
          `规则名称 “${r.name}” 重复（${list}[${seen.get(r.name)}] 也用了它）`,
        ]);
      seen.set(r.name, i);
    });
  }
  return out;
}
