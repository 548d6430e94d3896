import { type Command, Option } from 'commander';
import { ROLES, resolveJwtSecret, signToken, type Role } from '@jixiao/auth';
import { CliError } from '../cli-error';

/** `jixiao token --role reviewer --region 130126 [--unit NAME]`: mint a local token (prints the token alone). */
export function register(program: Command): void {
  program
    .command('token')
    .description('mint a JWT for local use, signed with JWT_SECRET')
    .addOption(new Option('--role <role>', 'submitter | reviewer | rule_admin | auditor').choices(ROLES).makeOptionMandatory())
    .requiredOption('--region <codes...>', 'region codes the token covers (6-digit codes or CN)')
    .option('--unit <name>', 'the unit a submitter acts for')
    .option('--user <id>', 'user id (sub)', 'local-user')
    .option('--expires <seconds>', 'lifetime in seconds', '28800')
    .action((opts: { role: Role; region: string[]; unit?: string; user: string; expires: string }) => {
      const secret = resolveJwtSecret();
      if (!secret) {
        throw new CliError('no JWT secret: set JWT_SECRET to the services\' secret, or start the system once (npm start) to create var/jwt-secret');
      }
      const bad = opts.region.find((r) => !/^(CN|\d{6})$/.test(r));
      if (bad) throw new CliError(`--region ${bad}: expected a 6-digit administrative division code or CN`);
      const expires = Number(opts.expires);
      if (!Number.isInteger(expires) || expires <= 0) throw new CliError(`--expires ${opts.expires}: expected seconds`);
      const token = signToken({ sub: opts.user, role: opts.role, regions: opts.region, unit: opts.unit }, secret, expires);
      process.stdout.write(`${token}\n`);
    });
}
