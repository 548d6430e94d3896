import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deletePrefix, TEST_REDIS_URL } from '@jixiao/messaging/testing/test-redis';
import { freePort } from '../free-port';
import { type RunningSystem, startServices } from '../run-services';

/**
 * Test helper: the runtime with no service in it (the auth guard, /health, /metrics, /audit/verify, the queue
 * dashboard), on a port and data directory of its own and the test Redis (more variables in `env`); `close` stops it and removes the directory and its queues' keys.
 */
export async function startBareRuntime(
  title: string,
  jwtSecret: string,
  env: Record<string, string> = {},
): Promise<RunningSystem> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-runtime-'));
  const system = await startServices([], {
    title,
    env: {
      PORT: String(await freePort()),
      DATA_DIR: dir,
      REDIS_URL: TEST_REDIS_URL,
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
  return {
    ...system,
    close: async (signal?: string) => {
      await system.close(signal);
      rmSync(dir, { recursive: true, force: true });
      await deletePrefix(system.ctx.config.QUEUE_PREFIX); // the dashboard's queues leave their meta keys
    },
  };
}
