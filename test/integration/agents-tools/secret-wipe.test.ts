import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolCatalog } from '../../../electron/core/agents/tools';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';

// Issue 14, point 5: the secret bytes a tool call used are overwritten once the
// call has them, and the credential still works on the next call and after a
// lock and unlock (nothing the vault keeps is lost). A real core, a real
// keychain and a real HTTP server on 127.0.0.1.

const PASSWORD = 'pa55-wipe-SECRET-xyz';
const USER = 'alice';

let fixture: CoreFixture;
let server: Server;
let port: number;
const authorizations: (string | undefined)[] = [];
const seen: Buffer[] = [];
let catalog: ToolCatalog;

beforeAll(async () => {
  server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  fixture = await startCore();
  const { core } = fixture;
  resultOf(await core.dispatch('vault:create', {}));
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'basic_auth',
      name: 'local-basic',
      fields: { username: USER, password: PASSWORD, allowed_hosts: `http://127.0.0.1:${port}` },
    }),
  );
  catalog = new ToolCatalog(core, { http: { observeSecretBytes: (bytes) => seen.push(bytes) } });
}, 120_000);

afterAll(async () => {
  await fixture?.cleanup();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const call = () =>
  catalog.callTool('http_request', {
    credential: 'local-basic',
    method: 'GET',
    url: `http://127.0.0.1:${port}/`,
  });
const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

describe('the secret bytes of a tool call', () => {
  it('are zeroed after the call that used them, and the next call still authenticates', async () => {
    const first = await call();
    expect(first.isError).toBeUndefined();
    expect(authorizations.at(-1)).toBe(expected);
    expect(seen).toHaveLength(1);
    const [used] = seen;
    expect(used?.length).toBe(Buffer.byteLength(`${USER}:${PASSWORD}`));
    expect(used?.every((b) => b === 0)).toBe(true);

    expect((await call()).isError).toBeUndefined();
    expect(authorizations.at(-1)).toBe(expected);
    expect(seen).toHaveLength(2);
    expect(seen.every((bytes) => bytes.every((b) => b === 0))).toBe(true);
  });

  it('still authenticate after a lock and a new unlock', async () => {
    await fixture.core.lifecycle.lock();
    expect((await call()).isError).toBe(true);
    await fixture.core.lifecycle.unlock(() => fixture.core.vault.unlock());
    const before = seen.length;
    expect((await call()).isError).toBeUndefined();
    expect(authorizations.at(-1)).toBe(expected);
    expect(seen.length).toBe(before + 1);
    expect(seen.every((bytes) => bytes.every((b) => b === 0))).toBe(true);
  });
});
