import 'reflect-metadata';
import { loadConfig, runServices } from '@jixiao/runtime';
import { loadDemo } from './demo';
import { factoriesFor } from './services';

/** `npm start`: every service in one process on one port (SERVICE=intake|scoring|review|publication for one, or a comma-separated subset). */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const service = loadConfig().SERVICE;
  await runServices(factoriesFor(service), {
    title: service === 'all' ? 'Jixiao' : `Jixiao ${service}`,
    afterListen: demo ? (_app, ctx) => loadDemo(`http://127.0.0.1:${ctx.config.PORT}`, ctx) : undefined,
  });
}

main().catch((err) => {
  process.stderr.write(`jixiao: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
