import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { createHeadlessCore } from '../../../electron/headless/headless-core';
import { NoKeyStore } from '../../../electron/core/keychain/key-store';
import { APP_ORIGIN } from '../../../electron/main/app/renderer-target';
import {
  createIpcHandlers,
  forwardCoreEvents,
  senderOf,
  type SenderEvent,
} from '../../../electron/main/ipc/ipc-handlers';
import { EVENT_CHANNEL } from '../../../electron/main/ipc/event-channel';
import { routeCall, type RouteDeps } from '../../../electron/main/ipc/route-call';
import { CHANNELS } from '../../../shared/ipc/channels';

// The router's decisions against a real core on a temporary data folder: what
// a hostile page or frame gets back, and that the core never sees it.

let dir: string;
let core: Core;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custodian-route-'));
  core = await createHeadlessCore({
    dataDir: dir,
    keyStore: new NoKeyStore(),
    kdfCost: { memoryKiB: 19456, iterations: 2, parallelism: 1 },
  });
});
afterAll(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const ours = { senderUrl: 'app://custodian/index.html', isMainFrame: true };

function deps() {
  return {
    dispatch: vi.fn((channel: unknown, payload: unknown) => core.dispatch(channel, payload)),
    allowedOrigins: [APP_ORIGIN],
    onActivity: vi.fn<() => void>(),
  } satisfies RouteDeps;
}

describe('routeCall', () => {
  it('refuses a foreign sender with forbidden before the core sees the call', async () => {
    const foreign = [
      { senderUrl: 'https://evil.example/', isMainFrame: true },
      { senderUrl: 'file:///work/main/out/renderer/index.html', isMainFrame: true },
      { senderUrl: 'app://other/index.html', isMainFrame: true },
      { senderUrl: 'app://custodian/index.html', isMainFrame: false },
      null,
    ];
    for (const sender of foreign) {
      const d = deps();
      const answer = await routeCall(d, sender, 'vault:create', {});
      expect(answer, JSON.stringify(sender)).toEqual({
        error: { code: 'forbidden', message: expect.any(String) },
      });
      expect(d.dispatch).not.toHaveBeenCalled();
      expect(d.onActivity).not.toHaveBeenCalled();
    }
    // The refused vault:create really did nothing: no vault on disk.
    expect(await core.vault.state()).toBe('absent');
  });

  it('refuses an unknown channel with unknown_method', async () => {
    for (const channel of ['vault:explode', '__proto__', 'custodian:event', 42]) {
      expect(await routeCall(deps(), ours, channel, {})).toMatchObject({
        error: { code: 'unknown_method' },
      });
    }
  });

  it('refuses a malformed payload with invalid_request', async () => {
    const cases: [string, unknown][] = [
      ['vault:recover', {}],
      ['vault:recover', { passphrase: '' }],
      ['vault:create', { extra: true }],
      ['credentials:get', { id: 42 }],
      ['credentials:create', 'a string'],
      ['settings:update', { autoLockMinutes: -1 }],
    ];
    for (const [channel, payload] of cases) {
      expect(await routeCall(deps(), ours, channel, payload), channel).toMatchObject({
        error: { code: 'invalid_request' },
      });
    }
    expect(await core.vault.state()).toBe('absent');
  });

  it('passes a call from our window to the core and counts it as activity', async () => {
    const d = deps();
    const created = await routeCall(d, ours, 'vault:create', {});
    expect(created).toMatchObject({ result: { status: { state: 'unlocked' } } });
    expect(d.dispatch).toHaveBeenCalledWith('vault:create', {});
    expect(d.onActivity).toHaveBeenCalledTimes(1);
    expect(await core.vault.state()).toBe('unlocked');
  });

  it('does not count a status poll as activity', async () => {
    const d = deps();
    expect(await routeCall(d, ours, 'vault:status', {})).toMatchObject({
      result: { state: 'unlocked' },
    });
    expect(d.onActivity).not.toHaveBeenCalled();
  });

  it('turns a throwing dispatch into an internal envelope instead of throwing across IPC', async () => {
    const d: RouteDeps = {
      dispatch: () => Promise.reject(new Error('secret-ish detail')),
      allowedOrigins: [APP_ORIGIN],
    };
    const answer = await routeCall(d, ours, 'vault:status', {});
    expect(answer).toMatchObject({ error: { code: 'internal' } });
    expect(JSON.stringify(answer)).not.toContain('secret-ish');
  });
});

describe('the ipcMain handlers', () => {
  const frameEvent = (url: string, parent: unknown = null) =>
    ({ senderFrame: { url, parent } }) as unknown as SenderEvent;

  it('exist for exactly the channels of the contract', () => {
    expect(Object.keys(createIpcHandlers(deps())).sort()).toEqual([...CHANNELS].sort());
  });

  it('read the sender from the frame: main frame, sub-frame, destroyed frame', () => {
    expect(senderOf(frameEvent('app://custodian/index.html'))).toEqual(ours);
    expect(senderOf(frameEvent('app://custodian/index.html', {}))).toEqual({
      ...ours,
      isMainFrame: false,
    });
    expect(senderOf({ senderFrame: null } as SenderEvent)).toBeNull();
    const throwing = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    };
    expect(senderOf(throwing as SenderEvent)).toBeNull();
  });

  it('refuse a sub-frame and serve the main frame', async () => {
    const d = deps();
    const handlers = createIpcHandlers(d);
    const fromFrame = await handlers['vault:status'](
      frameEvent('app://custodian/index.html', {}),
      {},
    );
    expect(fromFrame).toMatchObject({ error: { code: 'forbidden' } });
    expect(d.dispatch).not.toHaveBeenCalled();
    const fromMain = await handlers['vault:status'](frameEvent('app://custodian/index.html'), {});
    expect(fromMain).toMatchObject({ result: { state: 'unlocked' } });
  });
});

describe('forwardCoreEvents', () => {
  it("sends 'vault:changed' on the event channel while the window shows our page", async () => {
    const sent: unknown[][] = [];
    let url = 'app://custodian/index.html';
    const contents = {
      send: (...args: unknown[]) => sent.push(args),
      getURL: () => url,
      isDestroyed: () => false,
    };
    const stop = forwardCoreEvents(core.events, () => contents as never, [APP_ORIGIN]);
    await core.dispatch('vault:lock', {});
    expect(sent).toEqual([
      [
        EVENT_CHANNEL,
        { event: 'vault:changed', payload: expect.objectContaining({ state: 'locked' }) },
      ],
    ]);
    url = 'https://evil.example/';
    await core.dispatch('vault:lock', {});
    expect(sent).toHaveLength(1);
    stop();
    url = 'app://custodian/index.html';
    await core.dispatch('vault:lock', {});
    expect(sent).toHaveLength(1);
  });
});
