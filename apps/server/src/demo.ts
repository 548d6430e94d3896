import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '@jixiao/auth';
import type { ServiceContext } from '@jixiao/runtime';
import { packagePath } from '@jixiao/scoring';

/** The checkout's seed documents (from the sources or from a build in dist/). */
function seedsDir(): string {
  const seeds = packagePath('test/fixtures/seeds');
  if (!seeds) throw new Error('--demo needs the seed documents of a checkout (test/fixtures/seeds), which are not here');
  return seeds;
}

/** `npm start -- --demo`: uploads the seed documents through the public API so the pages show something. */
export async function loadDemo(baseUrl: string, ctx: ServiceContext): Promise<void> {
  const token = signToken({ sub: 'demo-loader', role: 'submitter', regions: ['341522', '410105', '640323', '130126'] }, ctx.jwtSecret);
  const seeds = seedsDir();
  for (const file of readdirSync(seeds).filter((f) => f.endsWith('.txt')).sort()) {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(join(seeds, file))], { type: 'text/plain' }), file);
    const res = await fetch(`${baseUrl}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const body = await res.text();
    process.stderr.write(`jixiao: demo: ${file} → ${res.status} ${body.slice(0, 200)}\n`);
  }
  process.stderr.write(
    `jixiao: demo loaded; try ${baseUrl}/public/341522/2022, and the staff's pages: ${baseUrl}/review (reviewers), ` +
      `${baseUrl}/submit (units), ${baseUrl}/rules (rule admins); sign in with a token: ` +
      `npm run -s jixiao -- token --role reviewer --region CN (or --role submitter --region 130126, --role rule_admin)\n`,
  );
}
