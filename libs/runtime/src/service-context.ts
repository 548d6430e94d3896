import type { Config } from './config';

/** What every service module gets from the process that runs it (one service alone, or all four). */
export interface ServiceContext {
  config: Config;
  /** The Redis every queue of this deployment lives on. */
  redisUrl: string;
  jwtSecret: string;
  /** Absolute path of the rule-set directory. */
  rulesDir: string;
  /** Absolute path of DATA_DIR. */
  dataDir: string;
}

export const SERVICE_CONTEXT = Symbol('SERVICE_CONTEXT');
