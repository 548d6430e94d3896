import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '@jixiao/auth';
import type { ServiceContext } from '@jixiao/runtime';

const SEEDS = join(__dirname, '../../../test/fixtures/seeds');

/** `npm start -- --demo`: uploads the seed documents through the public API so the pages show something. */
export async function loadDemo(baseUrl: string, ctx: ServiceContext): Promise<void> {
  const token = signToken({ sub: 'demo-loader', role: 'submitter', regions: ['341522', '410105', '640323', '130126'] }, ctx.jwtSecret);
  for (const file of readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort()) {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(join(SEEDS, file))], { type: 'text/plain' }), file);
    const res = await fetch(`${baseUrl}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const body = await res.text();
    process.stderr.write(`jixiao: demo: ${file} → ${res.status} ${body.slice(0, 200)}\n`);
  }
  process.stderr.write(
    `jixiao: demo loaded; try ${baseUrl}/public/341522/2022 and mint a reviewer token with: npm run -s jixiao -- token --role reviewer --region CN\n`,
  );
}
