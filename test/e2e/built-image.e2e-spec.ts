import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@jixiao/auth';
import { http } from './support/http';
import { dropPrefix, freePort, REDIS_URL, waitFor } from './support/system';

const ROOT = resolve(__dirname, '../..');

/**
 * What docker/Dockerfile runs, laid out as the image lays it out (Docker cannot run here): the sources compiled by
 * `npm run build`'s swc command into dist/, beside package.json, node_modules and rules/ — no TypeScript at run
 * time, no repository around it — started with the image's command, `node dist/apps/server/src/main.js`, and no
 * RULES_DIR or JWT_SECRET. It must find its rule sets, make its secret and serve.
 */
describe('the built image layout: node dist/apps/server/src/main.js', () => {
  const app = mkdtempSync(join(tmpdir(), 'jixiao-image-'));
  let child: ChildProcess | undefined;
  let url = '';
  let prefix = '';
  let output = '';

  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/@swc/cli/bin/swc.js'),
        'apps',
        'libs',
        '--config-file',
        '.swcrc',
        '-d',
        join(app, 'dist'),
        '--copy-files',
        '--ignore',
        '**/*.spec.ts,**/*.int-spec.ts',
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    cpSync(join(ROOT, 'rules'), join(app, 'rules'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    mkdirSync(join(app, 'data'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prefix = `image-${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      SERVICE: 'all',
      DATA_DIR: join(app, 'data'),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'error',
    };
    child = spawn(process.execPath, ['dist/apps/server/src/main.js'], {
      cwd: app,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(
      'the built server answering /health',
      async () => {
        if (child!.exitCode !== null) throw new Error(`exited with ${child!.exitCode}: ${output}`);
        return (await http('GET', `${url}/health`).catch(() => null))?.status === 200;
      },
      60_000,
    );
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (prefix) await dropPrefix(REDIS_URL, prefix);
    rmSync(app, { recursive: true, force: true });
  });

  it('starts without RULES_DIR, loads the rule sets beside dist/ and serves the API', async () => {
    const secret = readFileSync(join(app, 'data', 'jwt-secret'), 'utf8').trim();
    const token = signToken({ sub: 'auditor-image', role: 'auditor', regions: ['CN'] }, secret);
    const rules = await http('GET', `${url}/rule-sets`, { token });
    expect(rules.status, rules.text).toBe(200);
    expect(JSON.stringify(rules.body)).toContain('"130126"');
    expect((await http('GET', `${url}/evaluations`, { token })).status).toBe(200);
  });
});
