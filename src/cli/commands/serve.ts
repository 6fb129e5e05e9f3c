/** `fmnist serve`: the dashboard and its data over HTTP, read-only, on 127.0.0.1 by default. */
import type { Command } from 'commander';
import { defaultStorePath } from '../../benchmark/store.js';
import { readSummaries, rowsFromSummaries } from '../../report/results.js';
import { createDashboardServer, listen } from '../../report/server.js';
import { parsePositiveInt } from '../options.js';

interface ServeOptions {
  port: string;
  host: string;
  store: string;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the dashboard and its data locally (read-only; GET only)')
    .option('--port <n>', 'TCP port (0 picks a free one)', '8080')
    .option(
      '--host <address>',
      'address to bind; anything but loopback exposes the results to the network',
      '127.0.0.1',
    )
    .option('--store <path>', 'results store (SQLite)', defaultStorePath())
    .action(async (opts: ServeOptions) => {
      const port = parsePositiveInt(opts.port, '--port', 0);
      if (port > 65535)
        throw new RangeError(`--port must be an integer in [0, 65535]. Got '${opts.port}'.`);
      readSummaries(opts.store); // fail now, not on the first request, if the store is missing
      const server = createDashboardServer({
        rows: () => rowsFromSummaries(readSummaries(opts.store)),
        source: opts.store,
      });
      const url = await listen(server, port, opts.host);
      process.stderr.write(`Serving ${opts.store} at ${url} (read-only). Press Ctrl+C to stop.\n`);
      const stop = () => server.close(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
