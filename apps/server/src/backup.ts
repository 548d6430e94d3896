import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { INBOX_QUEUES, ROUTING, type EventName } from '@jixiao/contracts';
import { eventIdOf, messagingTables } from '@jixiao/messaging';
import { dialectOf, verifyAudit } from '@jixiao/persistence';
import type { Config } from '@jixiao/runtime';
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
      await db.backup(sqliteFile(target, service));
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
  /** Where the files the restore replaced were moved (never deleted), if any. */
  movedAside: string | null;
  resent: Record<string, number>;
  /** The audit chains of the services restored. */
  audit: Awaited<ReturnType<typeof verifyAll>>;
}

/**
 * `jixiao backup restore <dir>`: with the services stopped, the backup's files (checked against its manifest) put in
 * DATA_DIR. Files already there are refused unless `replace`, which moves them (and their -wal and -shm files) to
 * DATA_DIR/replaced-<time>/ first. Then events some consumer had not received when its database was copied are
 * marked to be sent again (`reconcileOutboxes`), and the audit chains are verified.
 */
export async function restoreBackup(
  config: Config,
  dir: string,
  opts: { replace?: boolean } = {},
): Promise<RestoreOutcome> {
  const target = embedded(config, 'jixiao backup restore');
  const manifest = await checkBackup(dir);
  const services = Object.keys(manifest.services);
  const occupied = services.filter((s) => existsSync(sqliteFile(target, s)));
  if (occupied.length && !opts.replace)
    throw new BackupError(
      `DATA_DIR=${target} already holds ${occupied.map((s) => `${s}.sqlite`).join(', ')}: stop the services and give --replace (the files there are moved to DATA_DIR/replaced-<time>/, not deleted)`,
    );
  let movedAside: string | null = null;
  if (occupied.length) {
    movedAside = join(target, `replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(movedAside, { recursive: true });
    for (const s of occupied)
      for (const suffix of ['', '-wal', '-shm'])
        if (existsSync(`${sqliteFile(target, s)}${suffix}`))
          renameSync(`${sqliteFile(target, s)}${suffix}`, join(movedAside, `${s}.sqlite${suffix}`));
  }
  mkdirSync(target, { recursive: true });
  for (const s of services) copyFileSync(join(resolve(dir), manifest.services[s].file), sqliteFile(target, s));
  const resent = await reconcileOutboxes(config);
  // the chains of the services restored (a backup holds only the services that had run)
  const all = await verifyAll(config);
  const chains = Object.fromEntries(Object.entries(all.chains).filter(([s]) => services.includes(s)));
  const restored = Object.values(chains);
  const audit = { ok: restored.every((c) => c.ok), records: restored.reduce((n, c) => n + c.records, 0), chains };
  return { manifest, movedAside, resent, audit };
}

/** The service whose inbox a queue feeds (`review-inbox` → review). */
const consumerOf = (queue: (typeof INBOX_QUEUES)[number]) => queue.replace(/-inbox$/, '');

/**
 * After a restore (or any time): every event a producer marked sent that one of its consumers has no record of
 * receiving is marked unsent, so the producer's relay sends it again; consumers that had it ignore the repeat (their
 * inbox). Safe while the services run. Answers, per producer, how many events will be sent again.
 */
export async function reconcileOutboxes(config: Config): Promise<Record<string, number>> {
  const resent: Record<string, number> = {};
  for (const producer of DATABASES) {
    if (!config.DATABASE_URL && !existsSync(sqliteFile(resolve(config.DATA_DIR), producer.service))) continue;
    const ds = await open(producer, config, false);
    try {
      const { outbox } = messagingTables(producer.service);
      if (!(await hasTable(ds, outbox))) continue;
      const pg = dialectOf(ds) === 'postgres';
      const prefix = eventIdOf(producer.service, '');
      let total = 0;
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
          const update = `UPDATE ${outbox} SET sent_at = NULL WHERE sent_at IS NOT NULL AND name IN (${list})${
            received
              ? ` AND NOT EXISTS (SELECT 1 FROM ${inboxTable} i WHERE i.event_id = '${prefix}' || ${outbox}.id)`
              : ''
          }`;
          if (pg)
            total += Number((await ds.query(`WITH u AS (${update} RETURNING 1) SELECT COUNT(*) AS n FROM u`))[0].n);
          else {
            await ds.query(update);
            total += Number((await ds.query('SELECT changes() AS n'))[0].n);
          }
        } finally {
          if (attached) await ds.query('DETACH DATABASE consumer');
        }
      }
      resent[producer.service] = total;
    } finally {
      await ds.destroy();
    }
  }
  return resent;
}
