import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL as MAIN_EVENT_CHANNEL } from '../../../electron/main/ipc/event-channel';
import { EVENT_CHANNEL, createSubscribe } from '../../../electron/preload/event-subscription';
import { buildCustodianApi } from '../../../shared/ipc/api';
import { CHANNELS, EVENT_NAMES } from '../../../shared/ipc/channels';

// What electron/preload/index.ts puts on window.custodian, minus contextBridge:
// the same builder and subscription, fed a fake ipcRenderer.

function fakeIpcRenderer() {
  const emitter = new EventEmitter();
  const invoke = vi.fn(async (channel: string, request: unknown) => ({
    result: { channel, request },
  }));
  return { emitter, invoke, subscribe: createSubscribe(emitter) };
}

function build() {
  const ipc = fakeIpcRenderer();
  const api = buildCustodianApi(CHANNELS, EVENT_NAMES, ipc.invoke, ipc.subscribe);
  return { ipc, api: api as unknown as Record<string, unknown> };
}

describe('window.custodian', () => {
  it('has custodian.<domain>.<method> for every channel, invoking that channel', async () => {
    const { ipc, api } = build();
    for (const channel of CHANNELS) {
      const [domain, method] = channel.split(':') as [string, string];
      const fn = (api[domain] as Record<string, unknown> | undefined)?.[method];
      expect(typeof fn, channel).toBe('function');
      const request = { probe: channel };
      await expect((fn as (r: unknown) => Promise<unknown>)(request)).resolves.toEqual({
        result: { channel, request },
      });
      expect(ipc.invoke).toHaveBeenLastCalledWith(channel, request);
    }
    expect(ipc.invoke).toHaveBeenCalledTimes(CHANNELS.length);
  });

  it('sends {} when a method is called without a request', async () => {
    const { ipc, api } = build();
    const vault = api.vault as { status: () => Promise<unknown> };
    await vault.status();
    expect(ipc.invoke).toHaveBeenLastCalledWith('vault:status', {});
  });

  it('exposes nothing but the domains of the contract and on()', () => {
    const { api } = build();
    const domains = new Set(CHANNELS.map((c) => c.split(':')[0]));
    expect(Object.keys(api).sort()).toEqual([...domains, 'on'].sort());
  });

  it('throws on an unknown event name', () => {
    const { api } = build();
    const on = api.on as (event: string, listener: () => void) => () => void;
    expect(() => on('vault:exploded', () => {})).toThrow(/Unknown event/);
    expect(() => on('custodian:event', () => {})).toThrow(/Unknown event/);
  });
});

describe('event subscription', () => {
  it("uses main's event channel", () => {
    expect(EVENT_CHANNEL).toBe(MAIN_EVENT_CHANNEL);
  });

  it('hands the listener the payload only, never the IPC event', () => {
    const { ipc, api } = build();
    const listener = vi.fn();
    (api.on as (e: string, l: (p: unknown) => void) => () => void)('vault:changed', listener);
    const rawEvent = { sender: { send: () => {} }, ports: [] };
    const payload = { state: 'locked', keychain: 'enrolled', autoLockMinutes: 5 };
    ipc.emitter.emit(EVENT_CHANNEL, rawEvent, { event: 'vault:changed', payload });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([payload]);
  });

  it('filters by event name and ignores malformed messages', () => {
    const { ipc } = build();
    const listener = vi.fn();
    ipc.subscribe('vault:changed', listener);
    ipc.emitter.emit(EVENT_CHANNEL, {}, { event: 'something:else', payload: 1 });
    ipc.emitter.emit(EVENT_CHANNEL, {}, null);
    ipc.emitter.emit(EVENT_CHANNEL, {}, 'vault:changed');
    ipc.emitter.emit('vault:changed', {}, { event: 'vault:changed', payload: 2 });
    expect(listener).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribe and removes its IPC listener', () => {
    const { ipc } = build();
    const listener = vi.fn();
    const off = ipc.subscribe('vault:changed', listener);
    expect(ipc.emitter.listenerCount(EVENT_CHANNEL)).toBe(1);
    off();
    expect(ipc.emitter.listenerCount(EVENT_CHANNEL)).toBe(0);
    ipc.emitter.emit(EVENT_CHANNEL, {}, { event: 'vault:changed', payload: 3 });
    expect(listener).not.toHaveBeenCalled();
  });
});
