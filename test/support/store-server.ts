import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A real HTTP server on 127.0.0.1 standing in for a catalog publisher and its
// download host: tests put catalogs, archives and signatures at paths, and
// can answer with a status or a redirect instead. Every request is recorded.

export interface StoreServer {
  /** "http://127.0.0.1:PORT" */
  base: string;
  /** "127.0.0.1:PORT": what the store's fetch is allowed to reach over plain http. */
  hostPort: string;
  url(path: string): string;
  put(path: string, body: Buffer | string, contentType?: string): void;
  /** Answers this path with a redirect to `location` (any URL). */
  redirect(path: string, location: string, status?: number): void;
  /** Answers this path with a bare status (e.g. 500). */
  fail(path: string, status: number): void;
  remove(path: string): void;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

type Route =
  | { kind: 'body'; body: Buffer; contentType: string }
  | { kind: 'redirect'; location: string; status: number }
  | { kind: 'status'; status: number };

export async function startStoreServer(): Promise<StoreServer> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } else if (route.kind === 'redirect') {
      res.writeHead(route.status, { location: route.location }).end();
    } else if (route.kind === 'status') {
      res.writeHead(route.status, { 'content-type': 'text/plain' }).end(`status ${route.status}`);
    } else {
      res
        .writeHead(200, { 'content-type': route.contentType, 'content-length': route.body.length })
        .end(route.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    hostPort: `127.0.0.1:${port}`,
    url: (path) => `${base}${path}`,
    put: (path, body, contentType = 'application/octet-stream') =>
      routes.set(path, { kind: 'body', body: Buffer.from(body), contentType }),
    redirect: (path, location, status = 302) =>
      routes.set(path, { kind: 'redirect', location, status }),
    fail: (path, status) => routes.set(path, { kind: 'status', status }),
    remove: (path) => routes.delete(path),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
