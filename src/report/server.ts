/**
 * A read-only local web server for the results: the dashboard and its data, regenerated
 * from the store on every request (so a running benchmark shows up on reload). GET and
 * HEAD only; anything else is 405. Bound to loopback by default, and then it also
 * refuses requests whose Host header names another machine (DNS-rebinding guard).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardData, renderDashboard } from './dashboard.js';
import { renderJsonLines } from './json-lines.js';
import { renderMarkdown } from './markdown.js';
import type { ReportRow } from './types.js';

export interface DashboardServerOptions {
  /** Where the rows come from; called once per request. */
  readonly rows: () => ReportRow[];
  /** Shown in the dashboard's header. */
  readonly source?: string;
}

interface Route {
  readonly type: string;
  readonly body: (rows: ReportRow[]) => string;
}

const CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:";

export function createDashboardServer(options: DashboardServerOptions): Server {
  const routes: Readonly<Record<string, Route>> = {
    '/': {
      type: 'text/html; charset=utf-8',
      body: (rows) => renderDashboard(rows, { source: options.source }),
    },
    '/data.json': {
      type: 'application/json; charset=utf-8',
      body: (rows) => JSON.stringify(dashboardData(rows, { source: options.source })),
    },
    '/results.jsonl': { type: 'application/x-ndjson; charset=utf-8', body: renderJsonLines },
    '/report.md': {
      type: 'text/markdown; charset=utf-8',
      body: (rows) => renderMarkdown(rows, { source: options.source }),
    },
  };

  return createServer((req, res) => {
    try {
      handle(req, res, routes, options);
    } catch (err) {
      send(
        res,
        500,
        'text/plain; charset=utf-8',
        `Could not read the results: ${(err as Error).message}\n`,
        req.method === 'HEAD',
      );
    }
  });
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Readonly<Record<string, Route>>,
  options: DashboardServerOptions,
): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    send(
      res,
      405,
      'text/plain; charset=utf-8',
      `${req.method} is not allowed: this server is read-only.\n`,
      false,
    );
    return;
  }
  const local = req.socket.localAddress ?? '';
  if (isLoopback(local) && !isLoopbackHost(req.headers.host)) {
    send(
      res,
      403,
      'text/plain; charset=utf-8',
      'This server answers only requests addressed to localhost.\n',
      head,
    );
    return;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const route = path === '/index.html' ? routes['/'] : routes[path];
  if (route === undefined) {
    send(
      res,
      404,
      'text/plain; charset=utf-8',
      `Not found: ${path}. Try /, /data.json, /results.jsonl or /report.md.\n`,
      head,
    );
    return;
  }
  send(res, 200, route.type, route.body(options.rows()), head);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headOnly: boolean,
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CSP,
    'Referrer-Policy': 'no-referrer',
  });
  res.end(headOnly ? undefined : bytes);
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Host header "localhost:8080", "127.0.0.1:8080" or "[::1]:8080" (or no port). */
function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** Listens and resolves with the URL people should open. */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shown}:${address.port}/`);
    });
  });
}
