import type { Config } from './config';

/** What every service module gets from the process that runs it (one service alone, or all four). */
export interface ServiceContext {
  config: Config;
  /** The Redis every queue of this deployment lives on. */
  redisUrl: string;
  /** Signs the tokens this process mints (the demo's, tests'). */
  jwtSecret: string;
  /** What a bearer token may be signed with: jwtSecret, then JWT_SECRET_PREVIOUS while the secret is rotated. */
  jwtVerificationSecrets: readonly string[];
  /** Absolute path of the rule-set directory. */
  rulesDir: string;
  /** Absolute path of DATA_DIR. */
  dataDir: string;
}

export const SERVICE_CONTEXT = Symbol('SERVICE_CONTEXT');
