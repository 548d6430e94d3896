import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { jixiao } from '../../apps/jixiao/src/commands/__test__/run-cli';
import { documentForm, http } from './support/http';
import { SEEDS } from './support/seeds';
import { dropPrefix, PG_URL, REDIS_URL, startSystem, type TestSystem, waitFor } from './support/system';

/** Runs the CLI with these variables set (and the others it reads unset), as an operator's shell would. */
async function cli(env: Record<string, string | undefined>, ...args: string[]) {
  const keys = ['DATA_DIR', 'DATABASE_URL', 'DATABASE_SCHEMA', ...Object.keys(env)];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) delete process.env[k];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
  try {
    return await jixiao(...args);
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

const unsent = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM intake_outbox WHERE sent_at IS NULL').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** `jixiao backup`: the embedded deployment's databases copied while running, and put back with nothing lost. */
describe('backup and restore of the embedded databases', () => {
  const dirs: string[] = [];
  const tmp = (name: string) => {
    const d = mkdtempSync(join(tmpdir(), `jixiao-${name}-`));
    dirs.push(d);
    return d;
  };
  const systems: TestSystem[] = [];
  /** Queues named by a data directory's instance id (not the test systems' own prefixes, which they remove). */
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const s of systems) await s.close().catch(() => undefined);
    for (const p of prefixes) await dropPrefix(REDIS_URL, p);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a backup taken while events were in flight, restored after Redis lost them, completes the flow', async () => {
    // intake alone: the forms are stored and their events handed to Redis, where no service takes them yet
    const intake = await startSystem({ db: 'sqlite', service: 'intake' });
    systems.push(intake);
    const json = JSON.parse(readFileSync(join(__dirname, '../../rules/golden/huoqiu-2022.input.json'), 'utf8'));
    const sent = await http('POST', `${intake.url}/evaluations`, {
      token: intake.token('submitter', ['341522']),
      json,
    });
    expect(sent.status, sent.text).toBe(201);
    const outbox = join(intake.dataDir, 'intake.sqlite');
    await waitFor('the events relayed', async () => unsent(outbox) === 0);

    const backupDir = join(tmp('backup'), 'b');
    const created = await cli({ DATA_DIR: intake.dataDir }, 'backup', 'create', backupDir);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^intake\s+[\d.]+ MB {2}\d+ audit records, chain intact {2}sha256:[0-9a-f]{64}$/m);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.services)).toEqual(['intake']);
    await intake.close(); // and its queues with it: Redis has lost the events

    // restored elsewhere: the events no consumer recorded are sent again, and the forms reach publication
    const restoredDir = tmp('restored');
    const restored = await cli({ DATA_DIR: restoredDir }, 'backup', 'restore', backupDir);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('intake: 2 events its consumers had not received are sent again when it starts');
    expect(restored.stdout).toMatch(/audit: \d+ records, every chain intact/);
    expect(unsent(join(restoredDir, 'intake.sqlite'))).toBe(2);
    // queues named by the data directory's instance id, as `npm start` names them (no QUEUE_PREFIX)
    const system = await startSystem({ db: 'sqlite', extraEnv: { DATA_DIR: restoredDir, QUEUE_PREFIX: '' } });
    systems.push(system);
    await waitFor(
      'both 霍邱 forms published',
      async () => (await http('GET', `${system.url}/public/341522/2022.json`)).body?.evaluations?.length === 2,
    );
    const audit = await http('GET', `${system.url}/audit/verify`, { token: system.token('auditor', ['CN']) });
    expect(audit.body.ok).toBe(true);
    // nothing left to send again once every consumer has them
    expect((await cli({ DATA_DIR: restoredDir }, 'backup', 'reconcile')).stdout).toContain(
      'intake: 0 events its consumers had not received to send again',
    );

    // a backup of the running system, every service; restoring over a DATA_DIR in use needs --replace
    const full = join(tmp('full'), 'b');
    const all = await cli({ DATA_DIR: restoredDir }, 'backup', 'create', full);
    expect(all.code, all.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(full, 'manifest.json'), 'utf8')).services)).toEqual([
      'publication',
      'review',
      'scoring',
      'intake',
    ]);
    // not over running services, even with --replace
    const busy = await cli({ DATA_DIR: restoredDir }, 'backup', 'restore', full, '--replace');
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('services are serving from DATA_DIR');
    const instance = readFileSync(join(restoredDir, 'instance-id'), 'utf8').trim();
    prefixes.push(`jixiao-${instance}`);
    await system.close();
    const over = await cli({ DATA_DIR: restoredDir }, 'backup', 'restore', full);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/already holds .*instance-id/);
    const replaced = await cli({ DATA_DIR: restoredDir }, 'backup', 'restore', full, '--replace');
    expect(replaced.code, replaced.stderr).toBe(0);
    const aside = readdirSync(restoredDir).find((f) => f.startsWith('replaced-'))!;
    expect(readdirSync(join(restoredDir, aside))).toEqual(
      expect.arrayContaining(['publication.sqlite', 'instance-id']),
    );
    expect(readdirSync(restoredDir).filter((f) => f.endsWith('.restoring'))).toEqual([]);

    // started again in place: queues of its own (a new instance id), and a new form flows through
    const again = await startSystem({ db: 'sqlite', extraEnv: { DATA_DIR: restoredDir, QUEUE_PREFIX: '' } });
    systems.push(again);
    const renewed = readFileSync(join(restoredDir, 'instance-id'), 'utf8').trim();
    prefixes.push(`jixiao-${renewed}`);
    expect(renewed).not.toBe(instance);
    const second = await http('POST', `${again.url}/documents`, {
      token: again.token('submitter', ['640323']),
      form: documentForm(SEEDS.yanchi.file),
    });
    expect(second.status, second.text).toBe(201);
    await waitFor('盐池 in review', async () => {
      const list = await http('GET', `${again.url}/evaluations?region=640323&state=in_review`, {
        token: again.token('auditor', ['CN']),
      });
      return list.body.total === 1;
    });
    await again.close();

    // a consumer copied after its producer: the producer's next event ids continue past those the consumer saw
    const db = new Database(join(restoredDir, 'publication.sqlite'));
    const [{ top }] = db.prepare('SELECT MAX(id) AS top FROM publication_outbox').all() as Array<{ top: number }>;
    db.prepare('DELETE FROM publication_outbox WHERE id > 1').run();
    db.prepare("UPDATE sqlite_sequence SET seq = 1 WHERE name = 'publication_outbox'").run();
    db.close();
    const raised = await cli({ DATA_DIR: restoredDir }, 'backup', 'reconcile');
    expect(raised.stdout).toContain(
      `publication: its event ids now continue past those its consumers have seen (+${top - 1})`,
    );
    const after = new Database(join(restoredDir, 'publication.sqlite'), { readonly: true });
    expect(after.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'publication_outbox'").get()).toEqual({
      seq: top,
    });
    after.close();
  });

  it('on PostgreSQL (after pg_restore): reconcile sends again what no consumer recorded, and only that', async () => {
    const intake = await startSystem({ db: 'postgres', service: 'intake' });
    systems.push(intake);
    const json = JSON.parse(readFileSync(join(__dirname, '../../rules/golden/huoqiu-2022.input.json'), 'utf8'));
    expect(
      (await http('POST', `${intake.url}/evaluations`, { token: intake.token('submitter', ['341522']), json })).status,
    ).toBe(201);
    const env = { DATABASE_URL: PG_URL, DATABASE_SCHEMA: intake.schema!, DATA_DIR: tmp('pg') };
    const count = async () => {
      const r = await cli(env, 'backup', 'reconcile');
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    // relayed to Redis, and no consumer has run: both are sent again; then the consumers take them
    await waitFor('the events relayed', async () =>
      (await count()).includes('intake: 2 events its consumers had not received to send again'),
    );
    const rest = await startSystem({ db: 'postgres', partOf: intake, service: 'scoring,review,publication' });
    systems.push(rest);
    await waitFor(
      'both 霍邱 forms published',
      async () => (await http('GET', `${rest.url}/public/341522/2022.json`)).body?.evaluations?.length === 2,
    );
    expect(await count()).toContain('intake: 0 events its consumers had not received to send again');
  });

  it('refuses, saying why: PostgreSQL, a target in use, a file that is not the one backed up', async () => {
    const pg = await cli(
      { DATA_DIR: tmp('x'), DATABASE_URL: 'postgres://nowhere/x' },
      'backup',
      'create',
      join(tmp('y'), 'b'),
    );
    expect(pg.code).toBe(2);
    expect(pg.stderr).toContain('pg_dump');
    const empty = await cli({ DATA_DIR: tmp('empty') }, 'backup', 'create', join(tmp('z'), 'b'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no service database');
    const notEmpty = tmp('notempty');
    writeFileSync(join(notEmpty, 'x'), 'x');
    expect((await cli({ DATA_DIR: tmp('w') }, 'backup', 'create', notEmpty)).stderr).toContain('is not empty');
    // a backup whose file changed since
    const source = await startSystem({ db: 'sqlite', service: 'publication' });
    systems.push(source);
    const dir = join(tmp('tamper'), 'b');
    expect((await cli({ DATA_DIR: source.dataDir }, 'backup', 'create', dir)).code).toBe(0);
    writeFileSync(join(dir, 'publication.sqlite'), 'not a database');
    const target = tmp('target');
    const bad = await cli({ DATA_DIR: target }, 'backup', 'restore', dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('publication.sqlite is not the file the backup wrote');
    expect(existsSync(join(target, 'publication.sqlite'))).toBe(false); // nothing put in place
    expect((await cli({ DATA_DIR: target }, 'backup', 'restore', tmp('nothing'))).stderr).toContain('no manifest.json');
  });
});
