import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { templateBuffer } from '@jixiao/forms';
import { CliError } from '../cli-error';

/** `jixiao template --xlsx out.xlsx`: a blank 项目支出绩效自评表 in the layout `jixiao parse` reads back. */
export function register(program: Command): void {
  program
    .command('template')
    .description('write a blank project self-evaluation form (项目支出绩效自评表) as .xlsx')
    .requiredOption('--xlsx <file>', 'where to write the spreadsheet')
    .action(async (opts: { xlsx: string }) => {
      if (!/\.xlsx$/i.test(opts.xlsx)) throw new CliError(`--xlsx ${opts.xlsx}: the file name must end in .xlsx`);
      try {
        writeFileSync(opts.xlsx, await templateBuffer());
      } catch (err) {
        throw new CliError(`${opts.xlsx}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      process.stderr.write(`wrote ${opts.xlsx}\n`);
    });
}
