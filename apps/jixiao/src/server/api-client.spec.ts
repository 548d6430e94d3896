import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from './api-client';
import { aRun } from './__fixtures__/runs';
import { closedPort, fakeServer } from './__fixtures__/fake-server';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function clientWith(routes: Parameters<typeof fakeServer>[0]) {
  const server = await fakeServer(routes);
  close = server.close;
  return { client: new ApiClient({ baseUrl: `${server.url}/`, token: 'tok' }), calls: server.calls };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('the request succeeded');
}

const version = {
  version: 2,
  status: 'draft',
  hash: 'sha256:ab',
  origin: 'api',
  activeYears: null,
  createdAt: '2026-11-22T06:00:00Z',
  createdBy: 'admin',
  activatedAt: null,
  activatedBy: null,
  reason: null,
};

describe('ApiClient', () => {
  it('sends the bearer token and reads the versions', async () => {
    const { client, calls } = await clientWith({
      'GET /rule-sets/130126%40v/versions': () => ({ status: 200, body: [version] }),
    });
    expect(await client.versions('130126@v')).toEqual([version]);
    expect(calls[0]).toMatchObject({ method: 'GET', authorization: 'Bearer tok' });
  });

  it('uploads the file text as it is and reads the new draft', async () => {
    const text = '{\n  "id": "130126"\n}\n';
    const { client, calls } = await clientWith({
      'POST /rule-sets/130126/versions': () => ({
        status: 201,
        body: { version: 3, status: 'draft', hash: 'sha256:cd' },
      }),
    });
    expect(await client.upload('130126', text)).toEqual({ version: 3, status: 'draft', hash: 'sha256:cd' });
    expect(calls[0].body).toBe(text);
  });

  it('a 422 gives the server message and each issue on its own line', async () => {
    const { client } = await clientWith({
      'POST /rule-sets/130126/versions': () => ({
        status: 422,
        body: {
          message: 'the rule set is refused',
          issues: [
            { file: 'api:130126@v3', path: '$.grades[0]', line: 12, column: 5, message: 'grade bands leave a gap' },
            { file: 'api:130126@v3', path: '$.rounding.mode', message: 'invalid option' },
          ],
        },
      }),
    });
    const err = await failure(client.upload('130126', '{}'));
    expect(err.status).toBe(422);
    expect(err.exitCode).toBe(1);
    expect(err.message.split('\n')).toEqual([
      '422 Unprocessable Entity from POST /rule-sets/130126/versions: the rule set is refused',
      'api:130126@v3:12:5 $.grades[0]: grade bands leave a gap',
      'api:130126@v3 $.rounding.mode: invalid option',
    ]);
  });

  it('a 422 whose message already lists the issues gives each once', async () => {
    const issue = { file: 'api:130126@v3', path: '$.grades[0]', line: 85, column: 5, message: 'gap' };
    const { client } = await clientWith({
      'POST /rule-sets/130126/versions': () => ({
        status: 422,
        body: { message: 'the draft of 130126 is refused:\napi:130126@v3:85:5 $.grades[0]: gap', issues: [issue] },
      }),
    });
    const err = await failure(client.upload('130126', '{}'));
    expect(err.message.split('\n')).toEqual([
      '422 Unprocessable Entity from POST /rule-sets/130126/versions: the draft of 130126 is refused:',
      'api:130126@v3:85:5 $.grades[0]: gap',
    ]);
  });

  it('a 401 says the token was refused and where tokens come from', async () => {
    const { client } = await clientWith({
      'GET /rescoring-runs/r1': () => ({
        status: 401,
        body: { statusCode: 401, message: 'invalid token: bad signature' },
      }),
    });
    const err = await failure(client.run('r1'));
    expect(err.message).toMatch(
      /^401 Unauthorized from GET \/rescoring-runs\/r1: invalid token: bad signature \(the token was refused: give --token or JIXIAO_TOKEN/,
    );
  });

  it('a 4xx with a list of messages (validation) joins them', async () => {
    const { client } = await clientWith({
      'POST /rule-sets/130126/versions/2/activate': () => ({
        status: 400,
        body: { message: ['reason must not be empty', 'years.from must be a year'] },
      }),
    });
    const err = await failure(client.activate('130126', 2, { reason: '' }));
    expect(err.message).toBe(
      '400 Bad Request from POST /rule-sets/130126/versions/2/activate: reason must not be empty; years.from must be a year',
    );
  });

  it('an unreachable server is named with its URL', async () => {
    const port = await closedPort();
    const client = new ApiClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't' });
    const err = await failure(client.versions('CN'));
    expect(err.status).toBeNull();
    expect(err.message).toBe(
      `cannot reach the Jixiao server at http://127.0.0.1:${port} (ECONNREFUSED): is it running? (--url or JIXIAO_URL)`,
    );
  });

  it('an answer of another shape is refused, naming the member', async () => {
    const { client } = await clientWith({
      'GET /rescoring-runs/r1': () => ({ status: 200, body: { ...aRun(), done: 'many' } }),
    });
    const err = await failure(client.run('r1'));
    expect(err.message).toMatch(/^unexpected answer from GET \/rescoring-runs\/r1: done: /);
  });

  it('the latest run comes from the list (none: null)', async () => {
    const { client } = await clientWith({
      'GET /rescoring-runs?limit=1': () => ({ status: 200, body: { items: [aRun({ id: 'r9' })] } }),
    });
    expect((await client.latestRun())?.id).toBe('r9');
  });
});

describe('ApiClient while the server’s database is away', () => {
  const unavailable = {
    status: 503,
    headers: { 'retry-after': '5' },
    body: { statusCode: 503, message: 'the database does not answer: the request was not completed; try again in 5 s' },
  };
  const uploaded = {
    submissionIds: ['sub_1'],
    evaluationIds: ['ev_1'],
    versions: [],
    region: '341522',
    diagnostics: [],
  };

  async function retrying(routes: Parameters<typeof fakeServer>[0], retries?: number) {
    const server = await fakeServer(routes);
    close = server.close;
    const told: string[] = [];
    const waited: number[] = [];
    const client = new ApiClient({
      baseUrl: server.url,
      token: 'tok',
      retriesWhenUnavailable: retries,
      onRetry: (m) => told.push(m),
      sleep: async (ms) => void waited.push(ms),
    });
    return { client, calls: server.calls, told, waited };
  }

  it('sends the request again after the Retry-After the server asks for, saying so, and reads the answer', async () => {
    let n = 0;
    const { client, calls, told, waited } = await retrying({
      'POST /documents': () => (++n <= 2 ? unavailable : { status: 201, body: uploaded }),
    });
    const answer = await client.submitDocument('form.txt', new TextEncoder().encode('表'));
    expect(answer).toMatchObject({ evaluationIds: ['ev_1'] });
    expect(calls).toHaveLength(3);
    // the same document each time, under the same Idempotency-Key: had a first attempt been stored after all, the
    // server answers the retry as it did the first and stores nothing twice
    expect(new Set(calls.map((c) => c.body.includes('form.txt') && c.body.includes('表')))).toEqual(new Set([true]));
    expect(calls[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([calls[0].idempotencyKey]));
    // another document is another submission: a key of its own
    await client.submitDocument('form.txt', new TextEncoder().encode('表'));
    expect(calls.at(-1)!.idempotencyKey).not.toBe(calls[0].idempotencyKey);
    expect(waited).toEqual([5000, 5000]);
    expect(told).toEqual([
      'POST /documents: the database does not answer: the request was not completed; try again in 5 s; trying again in 5 s (1 of 3)',
      'POST /documents: the database does not answer: the request was not completed; try again in 5 s; trying again in 5 s (2 of 3)',
    ]);
  });

  it('gives up after its retries with the server’s message, and never retries a 503 without Retry-After', async () => {
    const { client, calls } = await retrying({ 'POST /documents': () => unavailable }, 2);
    const err = await failure(client.submitDocument('form.txt', new Uint8Array([1])));
    expect(err.status).toBe(503);
    expect(err.message).toContain('the database does not answer');
    expect(calls).toHaveLength(3);

    const bare = await retrying({
      'GET /rule-sets/130126/versions': () => ({ status: 503, body: { message: 'down' } }),
    });
    expect((await failure(bare.client.versions('130126'))).status).toBe(503);
    expect(bare.calls).toHaveLength(1);
    const long = await retrying({
      'GET /rule-sets/130126/versions': () => ({ ...unavailable, headers: { 'retry-after': '3600' } }),
    });
    expect((await failure(long.client.versions('130126'))).status).toBe(503);
    expect(long.calls).toHaveLength(1);
  });
});

describe('ApiClient.withoutRetries', () => {
  it('answers a 503 at once, for a caller that waits in its own way', async () => {
    const server = await fakeServer({
      'GET /rule-sets/130126/versions': () => ({
        status: 503,
        headers: { 'retry-after': '5' },
        body: { message: 'down' },
      }),
    });
    close = server.close;
    const told: string[] = [];
    const client = new ApiClient({
      baseUrl: server.url,
      token: 'tok',
      onRetry: (m) => told.push(m),
      sleep: async () => {},
    });
    expect((await failure(client.withoutRetries().versions('130126'))).status).toBe(503);
    expect(server.calls).toHaveLength(1);
    expect(told).toEqual([]);
  });
});
