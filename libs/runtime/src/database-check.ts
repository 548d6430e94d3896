import { Client } from 'pg';
import { withoutPassword } from './config';

export class DatabaseUnavailableError extends Error {}

/**
 * Connects to the PostgreSQL of DATABASE_URL once before the services start, so that a database that is down, a
 * wrong host, password or database name stops the process with one line saying which and what to do, rather than
 * a driver's stack trace from deep inside the start-up.
 */
export async function checkDatabase(url: string, timeoutMs = 5_000): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const why = err instanceof Error ? err.message || (err as { code?: string }).code || err.name : String(err);
    throw new DatabaseUnavailableError(
      `PostgreSQL at DATABASE_URL=${withoutPassword(url)} cannot be used (${why}): start it, or fix DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
