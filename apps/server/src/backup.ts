import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { INBOX_QUEUES, ROUTING, type EventName } from '@jixiao/contracts';
import { eventIdOf, messagingTables } from '@jixiao/messaging';
import { dialectOf, verifyAudit } from '@jixiao/persistence';
import { type Config, runningOn } from '@jixiao/runtime';
import type { DataSource } from 'typeorm';
import { DATABASES, hasTable, open, verifyAll } from './databases';

/** A backup's or a restore's refusal: what is wrong and what to do (exit 2 for the CLI). */
export class BackupError extends Error {}

/**
 * Consumers before producers (publication, review, scoring, intake): a service copied later may be ahead of the
 * services it feeds (its events are sent again after a restore, see `reconcileOutboxes`), never behind them in what
 * it did on its own (a submission, a decision, an activation).
 */
const ORDER = ['publication', 'review', 'scoring', 'intake'] as const;

const MANIFEST = 'manifest.json';
const FORMAT = 'jixiao-backup/1';

export interface BackupManifest {
  format: typeof FORMAT;
  startedAt: string;
  finishedAt: string;
  source: string;
  services: Record<string, { file: string; bytes: number; sha256: string; auditRecords: number }>;
}

const sqliteFile = (dir: string, service: string) => join(dir, `${service}.sqlite`);

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

function embedded(config: Config, what: string): string {
  if (config.DATABASE_URL)
    throw new BackupError(
      `${what} copies the embedded SQLite files of DATA_DIR; with PostgreSQL (DATABASE_URL) use pg_dump --schema=${
        config.DATABASE_SCHEMA ?? 'public'
      } and pg_restore, then \`jixiao backup reconcile\` (see README, Backups)`,
    );
  return resolve(config.DATA_DIR);
}

/**
 * `jixiao backup create <dir>`: each service's SQLite database copied with SQLite's online backup (a consistent
 * snapshot while the services keep running), its audit chain verified in the copy, and a manifest with each file's
 * size and sha256. Nothing is written unless `dir` is new or empty; a copy whose chain does not verify fails the
 * backup.
 */
export async function createBackup(config: Config, dir: string): Promise<BackupManifest> {
  const source = embedded(config, 'jixiao backup create');
  const target = resolve(dir);
  if (target === source) throw new BackupError(`${dir} is DATA_DIR itself: give a directory of its own`);
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new BackupError(`${dir} is not empty: a backup goes into a new or empty directory`);
  const present = ORDER.filter((s) => existsSync(sqliteFile(source, s)));
  if (present.length === 0)
    throw new BackupError(`no service database in DATA_DIR=${source}: nothing to back up (is DATA_DIR right?)`);
  mkdirSync(target, { recursive: true });
  const startedAt = new Date().toISOString();
  for (const service of present) {
    const db = new Database(sqliteFile(source, service), { readonly: true, fileMustExist: true });
    try {
      // all pages in one step: one read transaction, a consistent copy even while the services write
      await db.backup(sqliteFile(target, service), { progress: () => 0x7fffffff });
    } finally {
      db.close();
    }
  }
  const finishedAt = new Date().toISOString();
  const services: BackupManifest['services'] = {};
  for (const service of present) {
    const file = sqliteFile(target, service);
    const ds = await open(
      DATABASES.find((d) => d.service === service)!,
      { ...config, DATA_DIR: target },
      false,
    );
    try {
      const audit = DATABASES.find((d) => d.service === service)!.audit;
      const chain = (await hasTable(ds, audit)) ? await verifyAudit(ds, audit) : null;
      if (chain && !chain.ok)
        throw new BackupError(
          `${service}: the audit chain of the copy does not verify (record ${chain.firstBad.seq}: ${chain.firstBad.reason}); run jixiao audit verify`,
        );
      services[service] = {
        file: `${service}.sqlite`,
        bytes: statSync(file).size,
        sha256: await sha256Of(file),
        auditRecords: chain?.records ?? 0,
      };
    } finally {
      await ds.destroy();
    }
  }
  const manifest: BackupManifest = { format: FORMAT, startedAt, finishedAt, source, services };
  writeFileSync(join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A backup's manifest, every file there with the size and sha256 it names; else why not. */
export async function checkBackup(dir: string): Promise<BackupManifest> {
  const at = join(resolve(dir), MANIFEST);
  if (!existsSync(at)) throw new BackupError(`${dir}: no ${MANIFEST}; not a backup made by jixiao backup create`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(at, 'utf8')) as BackupManifest;
  } catch (err) {
    throw new BackupError(`${at}: not JSON (${(err as Error).message})`);
  }
  if (manifest.format !== FORMAT) throw new BackupError(`${at}: format ${String(manifest.format)}, expected ${FORMAT}`);
  for (const [service, f] of Object.entries(manifest.services ?? {})) {
    if (!ORDER.includes(service as (typeof ORDER)[number]) || f.file !== `${service}.sqlite`)
      throw new BackupError(`${at}: unknown service ${service} or file ${f.file}`);
    const file = join(resolve(dir), f.file);
    if (!existsSync(file)) throw new BackupError(`${f.file} is missing from ${dir}`);
    const sha256 = await sha256Of(file);
    if (sha256 !== f.sha256)
      throw new BackupError(`${f.file} is not the file the backup wrote (sha256 ${sha256}, manifest ${f.sha256})`);
  }
  return manifest;
}

export interface RestoreOutcome {
  manifest: BackupManifest;
  /** Where what the restore replaced was moved (never deleted), if anything. */
  movedAside: string | null;
  reconciled: Reconciled;
  /** The audit chains of the services restored. */
  audit: Awaited<ReturnType<typeof verifyAll>>;
}

/**
 * What a data directory holds of a deployment's state: every service's database with its -wal and -shm files (those
 * in the backup or not), `instance-id` (which names its queues) and the private Redis's data.
 */
function stateIn(dir: string): string[] {
  const names = DATABASES.flatMap((d) => ['', '-wal', '-shm'].map((x) => `${d.service}.sqlite${x}`));
  return [...names, 'instance-id', 'redis'].filter((n) => existsSync(join(dir, n)));
}

/**
 * `jixiao backup restore <dir>`: with the services stopped (refused while any serves from DATA_DIR), the backup's
 * files (checked against its manifest) put in DATA_DIR. A DATA_DIR holding any service's database, its -wal or
 * -shm, `instance-id` or the private Redis's data is refused unless `replace`, which moves all of it to
 * DATA_DIR/replaced-<time>/ first: the restored system then gets queues of its own (a new instance id), so nothing
 * queued after the backup reaches it and nothing it sends collides with what Redis still holds. The files are copied
 * beside their place, checked again and then renamed; if anything fails, what was moved aside is put back. Then the
 * outboxes are reconciled (`reconcileOutboxes`) and the audit chains verified.
 */
export async function restoreBackup(
  config: Config,
  dir: string,
  opts: { replace?: boolean } = {},
): Promise<RestoreOutcome> {
  const target = embedded(config, 'jixiao backup restore');
  const manifest = await checkBackup(dir);
  const running = runningOn(target);
  if (running.length)
    throw new BackupError(
      `services are serving from DATA_DIR=${target} (pid ${running.join(', ')}): stop them before restoring`,
    );
  const present = existsSync(target) ? stateIn(target) : [];
  if (present.length && !opts.replace)
    throw new BackupError(
      `DATA_DIR=${target} already holds ${present.join(', ')}: stop the services and give --replace (what is there is moved to DATA_DIR/replaced-<time>/, not deleted)`,
    );
  mkdirSync(target, { recursive: true });
  const services = Object.keys(manifest.services);
  const staged = services.map((s) => ({
    from: join(resolve(dir), manifest.services[s].file),
    to: sqliteFile(target, s),
    s,
  }));
  let movedAside: string | null = null;
  const moved: Array<[string, string]> = [];
  try {
    for (const f of staged) {
      copyFileSync(f.from, `${f.to}.restoring`);
      const sha256 = await sha256Of(`${f.to}.restoring`);
      if (sha256 !== manifest.services[f.s].sha256)
        throw new BackupError(`${f.s}.sqlite changed while it was copied: try again`);
    }
    if (present.length) {
      movedAside = join(target, `replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      mkdirSync(movedAside, { recursive: true });
      for (const n of present) {
        renameSync(join(target, n), join(movedAside, n));
        moved.push([join(movedAside, n), join(target, n)]);
      }
    }
    for (const f of staged) renameSync(`${f.to}.restoring`, f.to);
  } catch (err) {
    for (const f of staged) rmSync(`${f.to}.restoring`, { force: true });
    for (const [from, to] of moved.reverse()) renameSync(from, to);
    if (movedAside) rmSync(movedAside, { recursive: true, force: true });
    throw err;
  }
  const reconciled = await reconcileOutboxes(config);
  // the chains of the services restored (a backup holds only the services that had run)
  const all = await verifyAll(config);
  const chains = Object.fromEntries(Object.entries(all.chains).filter(([s]) => services.includes(s)));
  const restored = Object.values(chains);
  const audit = { ok: restored.every((c) => c.ok), records: restored.reduce((n, c) => n + c.records, 0), chains };
  return { manifest, movedAside, reconciled, audit };
}

/** The service whose inbox a queue feeds (`review-inbox` → review). */
const consumerOf = (queue: (typeof INBOX_QUEUES)[number]) => queue.replace(/-inbox$/, '');

/** How long a consumer remembers the events it took (its inbox ids; see ServiceMessaging's `inboxDays`), less a day. */
const REMEMBERED_DAYS = 29;

export interface Reconciled {
  /** Per producer: events marked to be sent again (a consumer has no record of them). */
  resent: Record<string, number>;
  /** Per producer: events no consumer recorded but sent longer ago than consumers remember: listed, not sent again. */
  tooOld: Record<string, number>;
  /** Per producer: the outbox id sequence moved past ids its consumers had already seen (a consumer copied later). */
  sequenceRaised: Record<string, number>;
}

/**
 * After a restore (or at any time, the services running or not): every event a producer marked sent within the last
 * REMEMBERED_DAYS that one of its consumers has no record of receiving is marked unsent, so the producer's relay sends
 * it again; consumers that had it ignore the repeat (their inbox). Older ones are only counted: a consumer no longer
 * remembers what it took that long ago, and would apply them again. And each producer's outbox ids are moved past the
 * highest its consumers have seen from it (a consumer copied after its producer), so its next events are not taken
 * for repeats.
 */
export async function reconcileOutboxes(config: Config, now = new Date()): Promise<Reconciled> {
  const out: Reconciled = { resent: {}, tooOld: {}, sequenceRaised: {} };
  const horizon = new Date(now.getTime() - REMEMBERED_DAYS * 86_400_000).toISOString();
  for (const producer of DATABASES) {
    if (!config.DATABASE_URL && !existsSync(sqliteFile(resolve(config.DATA_DIR), producer.service))) continue;
    const ds = await open(producer, config, false);
    try {
      const { outbox } = messagingTables(producer.service);
      if (!(await hasTable(ds, outbox))) continue;
      const pg = dialectOf(ds) === 'postgres';
      const prefix = eventIdOf(producer.service, '');
      let resent = 0;
      let tooOld = 0;
      let seen = 0;
      for (const queue of INBOX_QUEUES) {
        const consumer = consumerOf(queue);
        const names = (Object.keys(ROUTING) as EventName[]).filter(
          (n) => n.startsWith(`${producer.service}.`) && ROUTING[n].includes(queue),
        );
        if (names.length === 0) continue;
        const own = consumer === producer.service;
        const { inbox } = messagingTables(consumer);
        // a consumer with no database (or no inbox) yet has received nothing: everything routed to it goes again
        const file = sqliteFile(resolve(config.DATA_DIR), consumer);
        const received = pg ? await hasTable(ds, inbox) : own || existsSync(file);
        const attached = !pg && !own && received;
        if (attached) await ds.query('ATTACH DATABASE ? AS consumer', [file]);
        try {
          const inboxTable = attached ? `consumer.${inbox}` : inbox;
          const list = names.map((n) => `'${n}'`).join(', ');
          const missing = `sent_at IS NOT NULL AND name IN (${list})${
            received
              ? ` AND NOT EXISTS (SELECT 1 FROM ${inboxTable} i WHERE i.event_id = '${prefix}' || ${outbox}.id)`
              : ''
          }`;
          const p = pg ? '$1' : '?';
          const update = `UPDATE ${outbox} SET sent_at = NULL WHERE ${missing} AND sent_at >= ${p}`;
          if (pg)
            resent += Number(
              (await ds.query(`WITH u AS (${update} RETURNING 1) SELECT COUNT(*) AS n FROM u`, [horizon]))[0].n,
            );
          else {
            await ds.query(update, [horizon]);
            resent += Number((await ds.query('SELECT changes() AS n'))[0].n);
          }
          tooOld += Number(
            (await ds.query(`SELECT COUNT(*) AS n FROM ${outbox} WHERE ${missing} AND sent_at < ${p}`, [horizon]))[0].n,
          );
          if (received) {
            const id = pg
              ? `CAST(substr(event_id, ${prefix.length + 1}) AS bigint)`
              : `CAST(substr(event_id, ${prefix.length + 1}) AS INTEGER)`;
            const [row] = await ds.query(`SELECT MAX(${id}) AS n FROM ${inboxTable} WHERE event_id LIKE '${prefix}%'`);
            seen = Math.max(seen, Number(row?.n ?? 0));
          }
        } finally {
          if (attached) await ds.query('DETACH DATABASE consumer');
        }
      }
      out.resent[producer.service] = resent;
      out.tooOld[producer.service] = tooOld;
      out.sequenceRaised[producer.service] = await raiseSequence(ds, outbox, seen);
    } finally {
      await ds.destroy();
    }
  }
  return out;
}

/** Moves an outbox's id sequence to at least `seen` (its next event gets a higher id); answers by how much (0: none). */
async function raiseSequence(ds: DataSource, outbox: string, seen: number): Promise<number> {
  if (seen <= 0) return 0;
  if (dialectOf(ds) === 'postgres') {
    const [{ seq }] = await ds.query(`SELECT pg_get_serial_sequence('${outbox}', 'id') AS seq`);
    const [{ last }] = await ds.query(`SELECT COALESCE(MAX(id), 0) AS last FROM ${outbox}`);
    const [state] = await ds.query(`SELECT last_value, is_called FROM ${seq}`);
    const current = Math.max(Number(last), state.is_called ? Number(state.last_value) : Number(state.last_value) - 1);
    if (current >= seen) return 0;
    await ds.query('SELECT setval($1, $2, true)', [seq, seen]);
    return seen - current;
  }
  const [row] = await ds.query('SELECT seq FROM sqlite_sequence WHERE name = ?', [outbox]);
  const [{ last }] = await ds.query(`SELECT COALESCE(MAX(id), 0) AS last FROM ${outbox}`);
  const current = Math.max(Number(row?.seq ?? 0), Number(last));
  if (current >= seen) return 0;
  if (row) await ds.query('UPDATE sqlite_sequence SET seq = ? WHERE name = ?', [seen, outbox]);
  else await ds.query('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', [outbox, seen]);
  return seen - current;
}
