import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeMethods } from '../../../shared/bridge-protocol';
import { CHANNELS } from '../../../shared/ipc/channels';
import {
  adminClientFor,
  bridgeClientFor,
  startBridgeServer,
  type BridgeClient,
  type BridgeServer,
} from '../../../electron/core/bridge';
import { ipcRoutes } from '../../../electron/core/ipc/routes';
import { createSocketHandlers, rolesOf } from '../../../electron/core/socket-api/socket-handlers';
import { socketRoutes, type SocketRoutes } from '../../../electron/core/socket-api/socket-routes';
import type { Caller, UseCaseName } from '../../../electron/core/use-cases';
import {
  codeOf,
  makeTempDir,
  resultOf,
  startCore,
  type CoreFixture,
} from '../../support/core-fixture';

// The adapters decide nothing: every IPC channel and socket method is served
// by one use case, and who may call a use case is what it declares, whichever
// door the caller comes through.

let fixture: CoreFixture;
beforeAll(async () => {
  fixture = await startCore();
});
afterAll(() => fixture.cleanup());

const names = () => Object.keys(fixture.core.useCases) as UseCaseName[];
const callersOf = (name: UseCaseName): readonly Caller[] => fixture.core.useCases[name].callers;
// Either channel's roles: every socket method is for one of them.
const socketRoles = [...rolesOf({ channel: 'agents' }), ...rolesOf({ channel: 'admin' })];
const agentRoles = rolesOf({ channel: 'agents' });

describe('the adapter tables', () => {
  it('serve every IPC channel by one use case the window may call', () => {
    expect(Object.keys(ipcRoutes).sort()).toEqual([...CHANNELS].sort());
    for (const [channel, route] of Object.entries(ipcRoutes)) {
      expect(names(), channel).toContain(route.useCase);
      expect(callersOf(route.useCase), channel).toContain('window');
    }
  });

  it('serve every socket method by one use case a socket connection may call', () => {
    expect(Object.keys(socketRoutes).sort()).toEqual(Object.keys(bridgeMethods).sort());
    for (const [method, route] of Object.entries(socketRoutes)) {
      expect(names(), method).toContain(route.useCase);
      expect(
        callersOf(route.useCase).some((c) => socketRoles.includes(c)),
        method,
      ).toBe(true);
    }
  });

  it('reach every use case through some door', () => {
    const routed = new Set<string>([
      ...Object.values(ipcRoutes).map((r) => r.useCase),
      ...Object.values(socketRoutes).map((r) => r.useCase),
    ]);
    // The in-process command line (init, serve) calls these by name.
    for (const inProcess of ['vault.status', 'vault.create', 'vault.unlock', 'vault.recover'])
      routed.add(inProcess);
    expect(names().filter((n) => !routed.has(n))).toEqual([]);
  });
});

describe('callers', () => {
  it('are refused a use case that does not declare them, in-process, whatever it is', async () => {
    for (const name of names())
      for (const role of ['window', 'agent', 'cli'] as const) {
        if (callersOf(name).includes(role)) continue;
        // Refused before its input is even read: an empty input is as good as any.
        const code = await codeOf(fixture.core.run(name, {} as never, { roles: [role] }));
        expect(code, `${name} as ${role}`).toBe('forbidden');
      }
  });

  describe('on the socket', () => {
    let dataDir: string;
    let server: BridgeServer;
    let client: BridgeClient;
    // One socket method at a time is routed to each use case a socket connection may not call.
    let routedTo: UseCaseName = 'clients.ping';

    beforeAll(async () => {
      dataDir = await makeTempDir('cuc-');
      server = await startBridgeServer(dataDir, {
        serverVersion: 'test',
        handlers: {
          // The route is read at each call, so one server serves every case below.
          ping: (params, connection, signal) => {
            const route = { useCase: routedTo } as SocketRoutes['ping'];
            const { ping } = createSocketHandlers(fixture.core, { ping: route });
            if (!ping) throw new Error('The adapter dropped the route.');
            return ping(params, connection, signal);
          },
        },
      });
      client = bridgeClientFor(dataDir, { name: 'roles', version: '1' }, { reconnect: false });
      await client.connect();
    });
    afterAll(async () => {
      await client?.close();
      await server?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('refuses with forbidden every use case declared for none of its roles', async () => {
      // This server is the agents' channel: everything not declared for an agent is refused.
      const refused = names().filter((n) => !callersOf(n).some((c) => agentRoles.includes(c)));
      expect(refused.length).toBeGreaterThan(0);
      for (const name of refused) {
        routedTo = name;
        expect(await codeOf(client.call('ping', {})), name).toBe('forbidden');
      }
      routedTo = 'clients.ping';
      expect(await client.call('ping', {})).toEqual({ pong: true });
    });
  });
});

describe('the unlocked rule', () => {
  let agent: BridgeClient;
  beforeAll(async () => {
    await fixture.core.startBridge();
    agent = adminClientFor(fixture.dataDir, { name: 'cli', version: '1' }, { reconnect: false });
    await agent.connect();
  });
  afterAll(() => agent?.close());

  /** plugins:list as the window and as the command line get it: code and message. */
  async function bothDoors(): Promise<{ window: string; socket: string }> {
    const answer = await fixture.core.dispatch('plugins:list', {});
    if (!('error' in answer)) throw new Error('the window was answered');
    const refused = await agent.call('plugins:list', {}).then(
      () => undefined,
      (error: { code: string; message: string }) => error,
    );
    if (!refused) throw new Error('the socket was answered');
    // Until one error model spells codes alike, the window's are upper case.
    return {
      window: `${answer.error.code.toLowerCase()}: ${answer.error.message}`,
      socket: `${refused.code}: ${refused.message}`,
    };
  }

  it('answers the same code and message through IPC and the socket, absent and locked', async () => {
    const absent = await bothDoors();
    expect(absent.window).toMatch(/^vault_absent: /);
    expect(absent.socket).toBe(absent.window);
    resultOf(await fixture.core.dispatch('vault:create', {}));
    resultOf(await fixture.core.dispatch('vault:lock', {}));
    const locked = await bothDoors();
    expect(locked.window).toMatch(/^vault_locked: /);
    expect(locked.socket).toBe(locked.window);
  });
});
