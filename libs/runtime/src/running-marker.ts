import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the processes serving from a data directory say so (one file each, its pid inside). */
const RUNNING = 'running';

/**
 * Says, while a process serves from an embedded data directory, that it does: `DATA_DIR/running/<pid>-<random>`
 * holding its pid, removed when it stops (a crash leaves one whose pid is gone, which `runningOn` ignores). Tools
 * that must not work under running services (`jixiao backup restore`) check it.
 */
export function markRunning(dataDir: string): () => void {
  const dir = join(dataDir, RUNNING);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}

/** The pids of the processes serving from this data directory now (on this machine). */
export function runningOn(dataDir: string): number[] {
  const dir = join(dataDir, RUNNING);
  if (!existsSync(dir)) return [];
  const alive: number[] = [];
  for (const f of readdirSync(dir)) {
    const pid = Number(readFileSync(join(dir, f), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 0);
      alive.push(pid);
    } catch (err) {
      // EPERM: alive, another user's
      if ((err as NodeJS.ErrnoException).code === 'EPERM') alive.push(pid);
    }
  }
  return alive;
}
