// An HTTP proxy in front of the test engine's socket that answers chosen requests with the engine's
// own kind of error instead of forwarding them: "the engine refusing a step", on the real engine.
import * as http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine';
import { engineSocketPath } from './docker';

export interface RefusingProxy {
  readonly engine: Engine;
  /** Requests refused so far (method and path). */
  readonly refused: string[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** The engine's unix socket (default: the test engine's). */
  readonly upstream?: string;
  /** A JSON body answered (200) instead of the engine's, when it returns one: "the engine says so". */
  readonly answer?: (method: string, url: string) => unknown;
}

/** `refuse(method, path)` true: answered 500 with `message`; everything else goes to the engine. */
export async function refusingProxy(
  refuse: (method: string, url: string) => boolean,
  message = 'refused by the test proxy',
  opts: ProxyOptions = {},
): Promise<RefusingProxy> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-proxy-'));
  const sock = path.join(dir, 'engine.sock');
  const upstream = opts.upstream ?? engineSocketPath();
  const refused: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const answer = opts.answer?.(req.method ?? 'GET', url);
    if (answer !== undefined) {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
      return;
    }
    if (refuse(req.method ?? 'GET', url)) {
      refused.push(`${req.method} ${url}`);
      req.resume();
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message }));
      return;
    }
    const up = http.request({ socketPath: upstream, method: req.method, path: url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(sock, r));
  const engine = new Engine({ host: `unix://${sock}`, source: 'explicit' });
  return {
    engine,
    refused,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
