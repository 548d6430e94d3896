import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { CanonicalEvaluation } from '@jixiao/contracts';
import { DocumentRejectedError, parseDocumentAsync } from '@jixiao/forms';
import { parseEvaluations, type RuleSetRegistry } from '@jixiao/scoring';
import { CliError } from '../cli-error';

export interface ReadOptions {
  region?: string;
  fiscalYear?: number;
  registry: RuleSetRegistry;
}

export interface ReadResult {
  evaluations: CanonicalEvaluation[];
  diagnostics: { level: string; message: string; line?: number }[];
}

const DOCUMENT_TYPES = new Set(['.txt', '.md', '.csv', '.xlsx']);

/** Reads canonical JSON or a published document (text, CSV, spreadsheet) into canonical evaluations. */
export async function readEvaluations(file: string, opts: ReadOptions): Promise<ReadResult> {
  const ext = extname(file).toLowerCase();
  let content: Buffer;
  try {
    if (!statSync(file).isFile()) throw new CliError(`${file}: not a file`);
    content = readFileSync(file);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (ext === '.json') return { evaluations: readJson(file, content, opts), diagnostics: [] };
  if (!DOCUMENT_TYPES.has(ext)) {
    throw new CliError(`${file}: unsupported file type "${ext || '(none)'}"; expected .json, .txt, .md, .csv or .xlsx`);
  }
  try {
    const outcome = await parseDocumentAsync(
      { content, fileName: basename(file) },
      {
        region: opts.region,
        fiscalYear: opts.fiscalYear,
        regionLookup: (text) => opts.registry.findRegionInText(text),
      },
    );
    return outcome;
  } catch (err) {
    if (err instanceof DocumentRejectedError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
}

function readJson(file: string, content: Buffer, opts: ReadOptions): CanonicalEvaluation[] {
  let json: unknown;
  const text = content.toString('utf8');
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: invalid JSON: ${jsonErrorWhere(text, err as Error)}`);
  }
  try {
    const evaluations = parseEvaluations(json, file);
    return evaluations.map((e) => ({
      ...e,
      region: opts.region ?? e.region,
      fiscalYear: opts.fiscalYear ?? e.fiscalYear,
    }));
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** Turns V8's "at position N" into line and column. */
function jsonErrorWhere(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return err.message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${err.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
