import type { Command } from 'commander';

/** Each command module exports a `register(program)`; add new ones here. */
export const COMMANDS: ((program: Command) => void)[] = [];
