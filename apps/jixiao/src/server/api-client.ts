import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { formatIssue } from '@jixiao/scoring';
import { CliError } from '../cli-error';
import {
  ActivationSchema,
  DecisionSchema,
  DiffSchema,
  DisclosureListSchema,
  DisclosureRowSchema,
  EvaluationDetailSchema,
  EvaluationHistorySchema,
  EvaluationPageSchema,
  IssueSchema,
  ProgressSchema,
  RosterOverviewSchema,
  RosterSchema,
  RuleVersionSchema,
  RunListSchema,
  RunSchema,
  RunStartedSchema,
  StaffDisclosureSchema,
  TakenSchema,
  UploadedDocumentSchema,
  UploadedSchema,
  type ApiIssue,
  type DiffAnswer,
  type RuleVersion,
  type Run,
  type Years,
} from './api-types';

/** `k=v&…` of the filters given (none: ''). */
function queryOf(filters: object): string {
  return Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${enc(String(v))}`)
    .join('&');
}

/** A request the server refused or could not answer: exit 1, with what the server said. */
export class ApiError extends CliError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message, 1);
  }
}

export interface EvaluationFilters {
  region?: string;
  year?: number;
  state?: string;
  grade?: string;
  /** Words the unit's or the project's name contains. */
  q?: string;
  /** A kind of finding (`SUM_MISMATCH`, …). */
  finding?: string;
  page?: number;
  pageSize?: number;
  current?: boolean;
}

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /**
   * How often a request answered 503 with `Retry-After` (the server's database away: the request did not complete) is sent
   * again, after the wait the server asks for (at most 30 s; default 3 times).
   */
  retriesWhenUnavailable?: number;
  /** Told before each such retry (the CLI prints it on stderr). */
  onRetry?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** The longest `Retry-After` the client waits for; a longer one is reported as the refusal it is. */
const MAX_RETRY_AFTER_SECONDS = 30;

const ErrorBodySchema = z.object({
  message: z.union([z.string(), z.array(z.string())]).optional(),
  issues: z.array(IssueSchema).optional(),
});

/** The server over HTTP (node's fetch): scoring's rule-set versions and re-scoring runs, review's evaluations. */
export class ApiClient {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: ApiClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  /** The same client, answering a 503 at once (for a caller that polls and waits in its own way). */
  withoutRetries(): ApiClient {
    return new ApiClient({ ...this.opts, retriesWhenUnavailable: 0 });
  }

  versions(id: string): Promise<RuleVersion[]> {
    return this.request('GET', `/rule-sets/${enc(id)}/versions`, z.array(RuleVersionSchema));
  }

  /** Omitted versions are the server's defaults: from the active version, to the latest draft. */
  diff(id: string, from?: number, to?: number): Promise<DiffAnswer> {
    const query = [from === undefined ? '' : `from=${from}`, to === undefined ? '' : `to=${to}`]
      .filter(Boolean)
      .join('&');
    return this.request('GET', `/rule-sets/${enc(id)}/diff${query ? `?${query}` : ''}`, DiffSchema);
  }

  /** `text` is sent as it is (the authored JSON), so the server keeps the author's layout. */
  upload(id: string, text: string) {
    return this.request('POST', `/rule-sets/${enc(id)}/versions`, UploadedSchema, text);
  }

  impact(id: string, version: number, body: { years?: Years } = {}) {
    return this.request(
      'POST',
      `/rule-sets/${enc(id)}/versions/${version}/impact`,
      RunStartedSchema,
      JSON.stringify(body),
    );
  }

  activate(id: string, version: number, body: { reason: string; years?: Years }) {
    return this.request(
      'POST',
      `/rule-sets/${enc(id)}/versions/${version}/activate`,
      ActivationSchema,
      JSON.stringify(body),
    );
  }

  run(runId: string): Promise<Run> {
    return this.request('GET', `/rescoring-runs/${enc(runId)}`, RunSchema);
  }

  async latestRun(): Promise<Run | null> {
    return (await this.request('GET', '/rescoring-runs?limit=1', RunListSchema)).items[0] ?? null;
  }

  cancel(runId: string): Promise<unknown> {
    return this.request('POST', `/rescoring-runs/${enc(runId)}/cancel`, z.unknown());
  }

  resume(runId: string): Promise<unknown> {
    return this.request('POST', `/rescoring-runs/${enc(runId)}/resume`, z.unknown());
  }

  /** The review service's evaluations the token may see, filtered (a page of them). */
  evaluations(filters: EvaluationFilters = {}) {
    const query = queryOf(filters);
    return this.request('GET', `/evaluations${query ? `?${query}` : ''}`, EvaluationPageSchema);
  }

  /** How the work stands: the current versions the token may see, by state and by grade. */
  progress(filters: Pick<EvaluationFilters, 'region' | 'year'> & { by?: 'region' } = {}) {
    const query = queryOf(filters);
    return this.request('GET', `/evaluations/progress${query ? `?${query}` : ''}`, ProgressSchema);
  }

  evaluation(id: string) {
    return this.request('GET', `/evaluations/${enc(id)}`, EvaluationDetailSchema);
  }

  /** Takes the next evaluation to review (the oldest nobody holds), held for the token's reviewer. */
  takeNext(filters: Pick<EvaluationFilters, 'region' | 'year'> = {}) {
    const query = queryOf(filters);
    return this.request('POST', `/evaluations/next${query ? `?${query}` : ''}`, TakenSchema);
  }

  /** A region's roster for a year: the units expected to submit, who has and who has not. */
  roster(region: string, year: number) {
    return this.request('GET', `/rosters/${enc(region)}/${year}`, RosterSchema);
  }

  /** The rosters set under a region (a city's counties, …) for a year, a line each. */
  rosterOverview(region: string, year: number) {
    return this.request('GET', `/rosters?${queryOf({ region, year })}`, RosterOverviewSchema);
  }

  /** Sets (replaces) a region's roster for a year; answers where it stands. */
  setRoster(region: string, year: number, units: readonly string[], deadline?: string) {
    const body = JSON.stringify({ units, ...(deadline ? { deadline } : {}) });
    return this.request('PUT', `/rosters/${enc(region)}/${year}`, RosterSchema, body);
  }

  history(id: string) {
    return this.request('GET', `/evaluations/${enc(id)}/history`, EvaluationHistorySchema);
  }

  /** `revision`: the case's revision the decision was made on (the server refuses it, 409, if the case moved on). */
  approve(id: string, opts: { comment?: string; revision?: number } = {}) {
    return this.request('POST', `/evaluations/${enc(id)}/approve`, DecisionSchema, JSON.stringify(opts));
  }

  /** `reason` may be empty when `findings` (their keys) are named. */
  returnToUnit(id: string, reason: string, revision?: number, findings: readonly string[] = []) {
    const body = { reason: reason || undefined, revision, findings: findings.length ? findings : undefined };
    return this.request('POST', `/evaluations/${enc(id)}/return`, DecisionSchema, JSON.stringify(body));
  }

  /** What was published in the token's regions (publication's `GET /disclosures`), a page of it with counts. */
  disclosures(
    filters: { region?: string; year?: number; status?: string; q?: string; page?: number; pageSize?: number } = {},
  ) {
    const query = queryOf(filters);
    return this.request('GET', `/disclosures${query ? `?${query}` : ''}`, DisclosureListSchema);
  }

  /** One evaluation's publication: every revision, its retraction. */
  disclosure(evaluationId: string) {
    return this.request('GET', `/disclosures/${enc(evaluationId)}`, StaffDisclosureSchema);
  }

  /** Withdraws a publication, with the reason the public page shows. */
  retract(evaluationId: string, reason: string) {
    return this.request(
      'POST',
      `/disclosures/${enc(evaluationId)}/retract`,
      DisclosureRowSchema,
      JSON.stringify({ reason }),
    );
  }

  /**
   * Intake's `POST /documents`: a document (its bytes and file name) as a multipart upload, with the region and year
   * when given (else the server reads them from the text) and the evaluation it corrects, if any.
   */
  submitDocument(
    fileName: string,
    content: Uint8Array,
    fields: { region?: string; year?: number; previousVersionId?: string } = {},
  ) {
    const form = new FormData();
    form.append('file', new Blob([content]), fileName);
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, String(v));
    // one key for this document, sent again with every retry: a retry whose first attempt was stored after all
    // (its answer lost) is answered as the first, and stores nothing twice
    return this.request('POST', '/documents', UploadedDocumentSchema, form, { 'idempotency-key': randomUUID() });
  }

  private async request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: string | FormData,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const retries = this.opts.retriesWhenUnavailable ?? 3;
    for (let attempt = 1; ; attempt++) {
      const answer = await this.send(method, path, body, headers);
      const wait = retryAfterSeconds(answer.res);
      if (answer.res.status !== 503 || wait === null || attempt > retries)
        return this.read(method, path, schema, answer);
      const said = ErrorBodySchema.safeParse(answer.json);
      const message = said.success && typeof said.data.message === 'string' ? said.data.message : 'unavailable';
      this.opts.onRetry?.(`${method} ${path}: ${message}; trying again in ${wait} s (${attempt} of ${retries})`);
      await (this.opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(wait * 1000);
    }
  }

  private async send(method: string, path: string, body: string | FormData | undefined, extra: Record<string, string>) {
    const url = `${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await this.fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.opts.token}`,
          accept: 'application/json',
          // a form sets its own (multipart, with the boundary)
          ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
          ...extra,
        },
        body,
      });
    } catch (err) {
      throw new ApiError(
        `cannot reach the Jixiao server at ${this.baseUrl} (${networkCause(err)}): is it running? (--url or JIXIAO_URL)`,
        null,
      );
    }
    const text = await res.text();
    return { res, text, json: parseJson(text) };
  }

  private read<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    answer: { res: Response; text: string; json: unknown },
  ): T {
    const { res, text, json } = answer;
    if (!res.ok) throw refusal(method, path, res, json, text);
    const parsed = schema.safeParse(text === '' ? null : json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new ApiError(
        `unexpected answer from ${method} ${path}: ${i.path.join('.') || '(body)'}: ${i.message}`,
        res.status,
      );
    }
    return parsed.data;
  }
}

const enc = encodeURIComponent;

/** A `Retry-After` of whole seconds the client is willing to wait, or null. */
function retryAfterSeconds(res: Response): number | null {
  const value = res.headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  const seconds = Number(value);
  return seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkCause(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** The error for a 4xx/5xx: the server's `message` (and a 422's issues, one per line). */
function refusal(method: string, path: string, res: Response, json: unknown, text: string): ApiError {
  const body = ErrorBodySchema.safeParse(json);
  const said =
    body.success && body.data.message !== undefined ? [body.data.message].flat().join('; ') : text.trim().slice(0, 200);
  const message = said || res.statusText;
  const issues = (body.success && body.data.issues) || [];
  // a message that already lists the issues gives them once
  const listed = new Set(issues.map(formatIssue));
  const own = message
    .split('\n')
    .filter((l) => !listed.has(l.trim()))
    .join('\n');
  const head = `${res.status} ${res.statusText || 'error'} from ${method} ${path}: ${own}`;
  if (res.status === 401) {
    return new ApiError(
      `${head} (the token was refused: give --token or JIXIAO_TOKEN, or set JWT_SECRET to the server's secret)`,
      401,
    );
  }
  if (issues.length) return new ApiError([head, ...issues.map(formatIssue)].join('\n'), res.status, issues);
  return new ApiError(head, res.status);
}
