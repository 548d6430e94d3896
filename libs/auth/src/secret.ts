import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * JWT_SECRET from the environment; for the embedded default (`npm start` on a fresh machine) a random secret is
 * generated once into `<DATA_DIR>/jwt-secret` so that `jixiao token` and the services agree without setup.
 */
export function resolveJwtSecret(opts: { env?: NodeJS.ProcessEnv; dataDir?: string; create?: boolean } = {}): string | null {
  const env = opts.env ?? process.env;
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const file = join(opts.dataDir ?? env.DATA_DIR ?? 'var', 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (!opts.create) return null;
  mkdirSync(join(file, '..'), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
