import type { Command } from 'commander';
import { register as token } from './token.command';

/** Each command module exports a `register(program)`; add new ones here. */
export const COMMANDS: ((program: Command) => void)[] = [token];
