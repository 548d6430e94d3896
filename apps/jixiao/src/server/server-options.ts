import { type Command } from 'commander';
import { resolveJwtSecret, signToken, type Role } from '@jixiao/auth';
import { CliError } from '../cli-error';
import { ApiClient } from './api-client';

export interface ServerOptions {
  url?: string;
  token?: string;
}

/** `--url` and `--token` on a command that talks to the server (its scoring service, or another one). */
export function withServerOptions(cmd: Command, service = 'scoring', role: Role = 'rule_admin'): Command {
  return cmd
    .option('--url <url>', `${service} service base URL (default: JIXIAO_URL, else http://localhost:$PORT or 3000)`)
    .option('--token <jwt>', `bearer token (default: JIXIAO_TOKEN, else one minted with JWT_SECRET as ${role})`);
}

export function serverUrl(opts: ServerOptions, env: NodeJS.ProcessEnv = process.env): string {
  return opts.url ?? env.JIXIAO_URL ?? `http://localhost:${env.PORT || 3000}`;
}

/** The token given, else one minted locally (like `jixiao token`) for a `role` (rule_admin) of `region` (or regions). */
export function serverToken(
  opts: ServerOptions,
  region: string | readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  role: Role = 'rule_admin',
): string {
  const given = opts.token ?? env.JIXIAO_TOKEN;
  if (given) return given;
  const secret = resolveJwtSecret({ env });
  if (!secret) {
    throw new CliError(
      "no token: give --token or JIXIAO_TOKEN, or set JWT_SECRET to the server's secret (or run from the directory whose var/jwt-secret the server uses)",
    );
  }
  return signToken({ sub: 'jixiao-cli', role, regions: [region].flat() }, secret, 3600);
}

/** A client for a rule set's region (`130126@2024` → 130126), or for every region (CN). */
export function clientFor(opts: ServerOptions, ruleSetId = 'CN', role: Role = 'rule_admin'): ApiClient {
  return clientForRegions(opts, [ruleSetId.split('@')[0]], role);
}

/** A client whose token, when it is minted here (none given), covers these regions. */
export function clientForRegions(opts: ServerOptions, regions: readonly string[], role: Role): ApiClient {
  return new ApiClient({
    baseUrl: serverUrl(opts),
    token: serverToken(opts, regions, process.env, role),
    onRetry: (message) => process.stderr.write(`jixiao: ${message}\n`),
  });
}

/** Whether a token was given (`--token` or JIXIAO_TOKEN), rather than one to be minted here. */
export function tokenGiven(opts: ServerOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(opts.token ?? env.JIXIAO_TOKEN);
}
