import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bridgeMethods,
  type BridgeMethod,
  type BridgeParams,
} from '../../../shared/bridge-protocol';
import {
  adminClientFor,
  bridgeClientFor,
  bridgeSocketPath,
  type BridgeClient,
} from '../../../electron/core/bridge';
import { helloProof, readInstallToken, tokenPath } from '../../../electron/core/bridge/token';
import { rolesOf } from '../../../electron/core/socket-api/socket-handlers';
import { socketRoutes } from '../../../electron/core/socket-api/socket-routes';
import { THE_PERSON, type UseCaseName } from '../../../electron/core/use-cases';
import { RawClient } from '../../unit/bridge/helpers';
import { ECHO_CREDENTIAL, RealCore } from './real-core';

// Issue 14, point 2: the agents' token lets a client do what an agent may
// (status, list tools, call tools, receive events) and nothing else. Every
// other method is refused on the agents' socket, table-driven over the use
// cases' own declarations, on a real core whose admin channel is open, so the
// refusal is the channel's and not the gate's.

/** Valid params for every socket method: a refusal must be about the caller, not the shape. */
const SAMPLE_PARAMS: { [M in BridgeMethod]: BridgeParams<M> } = {
  ping: {},
  status: {},
  'tools:list': {},
  'tools:call': { name: 'list_credentials', arguments: {} },
  'vault:lock': {},
  'credentials:list': {},
  'credentialTypes:list': {},
  'credentials:add': {
    type: 'api_key',
    name: 'planted',
    fields: { key: 'planted-key-0123456789', allowed_hosts: 'https://evil.example' },
  },
  'credentials:remove': { name: ECHO_CREDENTIAL },
  'tools:policy': {},
  'tools:setMode': { name: 'http_request', mode: 'allow' },
  'audit:list': {},
  'audit:verify': {},
  'plugins:list': {},
  'plugins:install': {
    source: { kind: 'url', url: 'https://evil.example/p.tgz' },
    allowUnsigned: true,
  },
  'plugins:update': { name: 'echo', acceptChanges: true },
  'plugins:remove': { name: 'echo' },
  'catalogs:list': {},
  'catalogs:add': { url: 'https://evil.example/catalog.json', publicKey: 'A'.repeat(44) },
  'catalogs:remove': { id: 'bundled' },
  'catalogs:refresh': {},
};

/** What an agent may do: the methods whose use case declares 'agent'. */
const AGENT_METHODS = ['ping', 'status', 'tools:call', 'tools:list'];

let real: RealCore;
let agent: BridgeClient;

beforeAll(async () => {
  real = await RealCore.create({ admin: 'open' });
  agent = bridgeClientFor(real.dataDir, { name: 'agent', version: '1' }, { reconnect: false });
  await agent.connect();
});
afterAll(async () => {
  await agent?.close();
  await real?.dispose();
});

const callersOf = (name: UseCaseName) => real.core.useCases[name].callers;

describe('the agents’ channel', () => {
  it('serves exactly status, ping, the tool list and tool calls to an agent', () => {
    const agentMethods = Object.entries(socketRoutes)
      .filter(([, route]) => callersOf(route.useCase).includes('agent'))
      .map(([method]) => method)
      .sort();
    expect(agentMethods).toEqual(AGENT_METHODS);
    const agentUseCases = (Object.keys(real.core.useCases) as UseCaseName[])
      .filter((name) => callersOf(name).includes('agent'))
      .sort();
    expect(agentUseCases).toEqual([
      'clients.ping',
      'clients.status',
      'tools.call',
      'tools.listEnabled',
    ]);
    expect(rolesOf({ channel: 'agents' })).toEqual(['agent']);
    expect(rolesOf({ channel: 'admin' })).toEqual(['cli']);
  });

  it('refuses every other method with forbidden, and nothing changes', async () => {
    const before = {
      credentials: real.core.credentials.list().map((c) => c.name),
      tools: await real.core.agents.tools(),
      plugins: real.core.plugins.list().map((p) => p.name),
      catalogs: (await real.core.store.listCatalogs()).map((c) => c.id),
    };
    const refused = (Object.keys(bridgeMethods) as BridgeMethod[]).filter(
      (method) => !AGENT_METHODS.includes(method),
    );
    expect(refused.length).toBe(Object.keys(bridgeMethods).length - AGENT_METHODS.length);
    for (const method of refused) {
      const answer = await agent.call(method, SAMPLE_PARAMS[method] as never).then(
        () => 'answered',
        (error: { code: string; message: string }) => error,
      );
      expect(answer, method).toMatchObject({
        code: 'forbidden',
        message: expect.stringMatching(/is not for agent callers\.$/),
      });
    }
    expect(real.core.credentials.list().map((c) => c.name)).toEqual(before.credentials);
    expect(await real.core.agents.tools()).toEqual(before.tools);
    expect(real.core.plugins.list().map((p) => p.name)).toEqual(before.plugins);
    expect((await real.core.store.listCatalogs()).map((c) => c.id)).toEqual(before.catalogs);
    expect(await real.core.vault.state()).toBe('unlocked');
    // The agent's own methods still work on the same connection.
    expect(await agent.call('status', {})).toMatchObject({ vault: 'unlocked' });
  });

  it('refuses every use case not declared for agents, through the runner, as the agents’ socket calls it', async () => {
    for (const name of Object.keys(real.core.useCases) as UseCaseName[]) {
      if (callersOf(name).includes('agent')) continue;
      const refusal = await real.core
        .run(name, {} as never, { roles: rolesOf({ channel: 'agents' }), channel: 'agents' })
        .then(
          () => undefined,
          (error: { code: string }) => error.code,
        );
      expect(refusal, name).toBe('forbidden');
    }
  });

  it('the same change goes through on the admin channel (open here), with its own token', async () => {
    const admin = adminClientFor(real.dataDir, { name: 'cli', version: '1' }, { reconnect: false });
    await admin.connect();
    try {
      // The window's list of connected agents does not count the command line as one.
      const listed = await real.core.run('clients.list', {}, THE_PERSON);
      expect(listed.map((c) => c.name)).toEqual(['agent']);
      expect((await admin.call('status', {})).clients).toBe(2);
      const { tool } = await admin.call('tools:setMode', { name: 'credential_info', mode: 'off' });
      expect(tool).toMatchObject({ name: 'credential_info', mode: 'off' });
      await admin.call('tools:setMode', { name: 'credential_info', mode: 'allow' });
    } finally {
      await admin.close();
    }
  });
});

describe('the tokens', () => {
  it('are two, in their own files, and the agents’ one does not open the admin socket', async () => {
    const agentsToken = await readInstallToken(real.dataDir, 'agents');
    const adminToken = await readInstallToken(real.dataDir, 'admin');
    expect(agentsToken).toMatch(/^[0-9a-f]{64}$/);
    expect(adminToken).toMatch(/^[0-9a-f]{64}$/);
    expect(adminToken).not.toBe(agentsToken);

    const intruder = new RawClient(bridgeSocketPath(real.dataDir, process.platform, 'admin'));
    intruder.hello(agentsToken ?? '');
    intruder.send({
      v: 2,
      id: 1,
      method: 'tools:setMode',
      params: { name: 'http_request', mode: 'allow' },
    });
    await intruder.closed;
    expect(intruder.frames).toEqual([
      { v: 2, id: null, error: { code: 'unauthorized', message: 'The token is wrong.' } },
    ]);
    expect((await real.core.agents.tools()).find((t) => t.name === 'http_request')?.mode).toBe(
      'ask',
    );
  });

  it('refuses a hello captured on one connection and replayed on another', async () => {
    const adminToken = (await readInstallToken(real.dataDir, 'admin')) ?? '';
    const path = bridgeSocketPath(real.dataDir, process.platform, 'admin');
    const watched = new RawClient(path);
    const captured = helloProof(adminToken, await watched.nonce);
    watched.helloWithProof(captured, 'custodian-cli');
    expect((await watched.waitFrames(1))[0]).toMatchObject({ type: 'welcome' });
    watched.destroy();

    const replay = new RawClient(path);
    await replay.nonce;
    replay.helloWithProof(captured, 'custodian-cli');
    replay.send({ v: 2, id: 1, method: 'vault:lock', params: {} });
    await replay.closed;
    expect(replay.frames).toEqual([
      { v: 2, id: null, error: { code: 'unauthorized', message: 'The token is wrong.' } },
    ]);
    expect(await real.core.vault.state()).toBe('unlocked');
  });

  it('are rotated at every start: neither file survives a restart', async () => {
    const before = {
      agents: await readFile(tokenPath(real.dataDir, 'agents'), 'utf8'),
      admin: await readFile(tokenPath(real.dataDir, 'admin'), 'utf8'),
    };
    await agent.close();
    await real.stop();
    await real.start();
    const after = {
      agents: await readFile(tokenPath(real.dataDir, 'agents'), 'utf8'),
      admin: await readFile(tokenPath(real.dataDir, 'admin'), 'utf8'),
    };
    expect(after.agents).toMatch(/^[0-9a-f]{64}$/);
    expect(after.agents).not.toBe(before.agents);
    expect(after.admin).not.toBe(before.admin);
    // A hello proving the old token is refused by the new core.
    const stale = new RawClient(bridgeSocketPath(real.dataDir));
    stale.hello(before.agents);
    await stale.closed;
    expect(stale.frames[0]).toMatchObject({ error: { code: 'unauthorized' } });
    // The bridge reads the file again and gets in.
    agent = bridgeClientFor(real.dataDir, { name: 'agent', version: '1' }, { reconnect: false });
    await agent.connect();
    expect(await agent.call('ping', {})).toEqual({ pong: true });
  });
});
