#!/usr/bin/env node
/**
 * `fmnist <command>`: argument parsing and dispatch only. Each command lives in
 * cli/commands/<name>.ts and exports `register(program)`.
 */
import { Command } from 'commander';
// Command registrations, one import per command.

const program = new Command('fmnist')
  .description('Fashion-MNIST and MNIST in TypeScript: data, conversion pipeline, Table 3 benchmark')
  .showHelpAfterError();

const commands: Array<(program: Command) => void> = [];
for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`fmnist: ${message}\n`);
  process.exitCode = 1;
});
