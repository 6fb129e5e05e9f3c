#!/usr/bin/env node
/**
 * `fmnist <command>`: argument parsing and dispatch only. Each command lives in
 * cli/commands/<name>.ts and exports `register(program)`.
 */
import { Command } from 'commander';
// Command registrations, one import per command.
import { register as report } from './commands/report.js';
import { register as sprite } from './commands/sprite.js';
import { register as embed } from './commands/embed.js';
import { register as serve } from './commands/serve.js';
import { register as info } from './commands/info.js';
import { register as download } from './commands/download.js';
import { register as show } from './commands/show.js';
import { register as benchmark } from './commands/benchmark.js';
import { register as convert } from './commands/convert.js';
import { register as pack } from './commands/pack.js';
import { register as results } from './commands/results.js';
import { register as worker } from './commands/worker.js';
import { register as queue } from './commands/queue.js';

const program = new Command('fmnist')
  .description(
    'Fashion-MNIST and MNIST in TypeScript: data, conversion pipeline, Table 3 benchmark',
  )
  .showHelpAfterError();

const commands: Array<(program: Command) => void> = [
  benchmark,
  worker,
  queue,
  info,
  download,
  show,
  report,
  results,
  sprite,
  embed,
  serve,
  convert,
  pack,
];
for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`fmnist: ${message}\n`);
  process.exitCode = 1;
});
