import { type Config, ConfigError, loadConfig } from '@jixiao/runtime';
import { CliError } from '../cli-error';

/** The deployment's configuration from the environment, as the services read it; a bad value is a CliError (exit 2). */
export function deploymentConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
}
