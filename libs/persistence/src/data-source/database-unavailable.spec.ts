import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('knows a database that is down, restarting, out of connections or out of reach', () => {
    for (const err of [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      withCode('getaddrinfo ENOTFOUND postgres', 'ENOTFOUND'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('sorry, too many clients already', '53300'),
      withCode('cannot execute INSERT in a read-only transaction', '25006'),
      withCode('connection failure', '08006'),
      // TypeORM's QueryFailedError keeps the driver's error
      Object.assign(new Error('Query failed'), { driverError: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }),
      new Error('could not begin', { cause: new Error('Connection terminated due to connection timeout') }),
      new AggregateError([withCode('a', 'ECONNREFUSED'), withCode('b', 'ETIMEDOUT')], 'connect failed'),
    ])
      expect(isDatabaseUnavailable(err), String(err)).toBe(true);
  });

  it('leaves every other error to the usual retries', () => {
    for (const err of [
      withCode('duplicate key value violates unique constraint', '23505'),
      withCode('could not serialize access', '40001'),
      withCode('canceling statement due to lock timeout', '55P03'),
      withCode('relation "x" does not exist', '42P01'),
      withCode('SQLITE_BUSY: database is locked', 'SQLITE_BUSY'),
      new Error('handler threw'),
      new AggregateError([withCode('a', 'ECONNREFUSED'), new Error('b')], 'mixed'),
      'ECONNREFUSED',
      null,
      undefined,
    ])
      expect(isDatabaseUnavailable(err), String(err)).toBe(false);
  });
});
