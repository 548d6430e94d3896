import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentForm, http } from './support/http';
import { form } from './support/lingshou-forms';
import { SEEDS } from './support/seeds';
import { freePort, startSystem, type TestSystem, waitFor } from './support/system';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const SERVICES = ['intake', 'scoring', 'review', 'publication'] as const;

function nginxInstalled(): boolean {
  try {
    execFileSync(NGINX, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * docker/gateway.conf, the compose deployment's one entry point, in front of the four services each in a process of
 * its own (four Nest applications here, each on its own port, sharing PostgreSQL and Redis): the API, the public
 * pages and the staff's pages work through it as through `npm start`. Needs nginx (`.ci/run` installs nginx-light).
 */
describe.skipIf(!nginxInstalled())('the compose gateway in front of four separate services', () => {
  const parts: Partial<Record<(typeof SERVICES)[number], TestSystem>> = {};
  let dir: string;
  let nginx: ChildProcess;
  let url: string;
  const token = (role: 'submitter' | 'reviewer' | 'auditor' | 'rule_admin', regions: string[]) =>
    parts.intake!.token(role, regions);

  beforeAll(async () => {
    parts.intake = await startSystem({ db: 'postgres', service: 'intake' });
    for (const s of SERVICES.slice(1))
      parts[s] = await startSystem({ db: 'postgres', service: s, partOf: parts.intake });
    dir = mkdtempSync(join(tmpdir(), 'jixiao-gateway-'));
    const port = await freePort();
    let conf = readFileSync(join(__dirname, '../../docker/gateway.conf'), 'utf8').replace(
      'listen 8080;',
      `listen 127.0.0.1:${port};`,
    );
    for (const s of SERVICES) conf = conf.replace(`server ${s}:3000;`, `server ${new URL(parts[s]!.url).host};`);
    writeFileSync(join(dir, 'gateway.conf'), conf);
    writeFileSync(
      join(dir, 'nginx.conf'),
      `${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\n` +
        `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  include ${dir}/gateway.conf;\n}\n`,
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    url = `http://127.0.0.1:${port}`;
    await waitFor('the gateway', async () => (await fetch(`${url}/public`).catch(() => null))?.status === 200);
  });
  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    for (const s of [...SERVICES].reverse()) await parts[s]?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('routes the API by path, and POST /evaluations to intake: a document and a JSON form go through to publication', async () => {
    const doc = await http('POST', `${url}/documents`, {
      token: token('submitter', ['341522']),
      form: documentForm(SEEDS.huoqiu.file),
    });
    expect(doc.status, doc.text).toBe(201);
    const json = await http('POST', `${url}/evaluations`, { token: token('submitter', ['130126']), json: form(92, 1) });
    expect(json.status, json.text).toBe(201);
    await waitFor(
      '霍邱 published',
      async () => (await http('GET', `${url}/public/341522/2022.json`)).body?.evaluations?.length === 2,
    );
    const auditor = token('auditor', ['CN']);
    const listed = await http('GET', `${url}/evaluations?pageSize=100`, { token: auditor });
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(3);
    const id = json.body.evaluationIds[0];
    await waitFor(
      'scored',
      async () => (await http('GET', `${url}/evaluations/${id}`, { token: auditor })).body?.score?.grade,
    );
    expect((await http('GET', `${url}/evaluations/${id}/history`, { token: auditor })).status).toBe(200);
    expect((await http('GET', `${url}/documents/${doc.body.evaluationIds[0]}`, { token: auditor })).status).toBe(200);
    expect((await http('GET', `${url}/submissions/${json.body.submissionIds[0]}`, { token: auditor })).status).toBe(
      200,
    );
    expect((await http('GET', `${url}/rosters/130126/2022`, { token: auditor })).status).toBe(200);
    const published = await http('GET', `${url}/disclosures?region=341522`, { token: auditor });
    expect(published.status).toBe(200);
    expect(published.body.total).toBe(2);
    const one = published.body.items[0].evaluationId;
    expect((await http('GET', `${url}/disclosures/${one}`, { token: auditor })).body.disclosure.evaluationId).toBe(one);
    expect((await http('GET', `${url}/rule-sets`, { token: auditor })).status).toBe(200);
    expect((await http('GET', `${url}/rescoring-runs`, { token: auditor })).status).toBe(200);
    expect((await http('GET', `${url}/nothing-here`)).status).toBe(404);
    // each service's audit records, from the process that keeps them
    for (const service of SERVICES) {
      const records = await http('GET', `${url}/audit/records?service=${service}&limit=1`, { token: auditor });
      expect(records.status, service).toBe(200);
      expect(records.body).toMatchObject({ service, services: [service] });
      expect(records.body.records).toHaveLength(1);
    }
    expect((await http('GET', `${url}/audit/verify`, { token: auditor })).body.chains).toHaveProperty('review');
  });

  it('one sign-in serves the staff’s pages of every service behind it', async () => {
    const signIn = await fetch(`${url}/session/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: new URLSearchParams({ token: token('auditor', ['CN']) }).toString(),
    });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    for (const [path, heading] of [
      ['/review', '全部自评表'],
      ['/rules', '评分规则'],
      ['/publish', '公开管理'],
      ['/submit', '提交绩效自评表'],
      ['/audit', '审计校验'],
      ['/queues', 'Jixiao queues'],
    ]) {
      const page = await fetch(`${url}${path}`, { headers: { cookie } });
      expect(page.status, path).toBe(200);
      expect(await page.text()).toContain(path === '/queues' ? heading : `<h1>${heading}</h1>`);
    }
  });
});
