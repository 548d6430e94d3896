import type { Command } from 'commander';
import { register as audit } from './audit.command';
import { register as backup } from './backup.command';
import { register as parse } from './parse.command';
import { register as publication } from './publication.command';
import { register as queues } from './queues.command';
import { register as rescore } from './rescore.command';
import { register as review } from './review.command';
import { register as rules } from './rules.command';
import { register as score } from './score.command';
import { register as submit } from './submit.command';
import { register as template } from './template.command';
import { register as token } from './token.command';

/** Each command module exports a `register(program)`; add new ones here. */
export const COMMANDS: ((program: Command) => void)[] = [
  audit,
  backup,
  score,
  token,
  rules,
  rescore,
  submit,
  review,
  publication,
  parse,
  template,
  queues,
];
