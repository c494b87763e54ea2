import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bridgeClientFor, type BridgeClient } from '../../../electron/core/bridge';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';

// One change, one event: the window (and the tray) hear 'tools:changed' once
// per change of a tool's mode or of the plugins that bring tools, and agents
// hear it once per change of the tools they may see.

let fixture: CoreFixture;
let agent: BridgeClient;
const window: string[] = [];
const agents: string[] = [];

/**
 * Everything a change set off has been told: the core's tool check runs in
 * turn, so one asked for now ends after those already queued; a round trip on
 * the socket then brings every broadcast sent before it.
 */
async function settled(): Promise<void> {
  await fixture.core.agents.checkToolsChanged();
  await agent.call('ping', {});
}

async function eventsFrom(
  change: () => Promise<unknown>,
): Promise<{ window: number; agents: number }> {
  await settled();
  window.length = 0;
  agents.length = 0;
  await change();
  await settled();
  return { window: window.length, agents: agents.length };
}

beforeAll(async () => {
  fixture = await startCore();
  resultOf(await fixture.core.dispatch('vault:create', {}));
  await fixture.core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
  fixture.core.events.on('tools:changed', () => window.push('tools:changed'));
  await fixture.core.startBridge();
  agent = bridgeClientFor(fixture.dataDir, { name: 'counter', version: '1' }, { reconnect: false });
  agent.onEvent((message) => {
    if (message.event === 'tools:changed') agents.push(message.event);
  });
  await agent.connect();
});
afterAll(async () => {
  await agent?.close();
  await fixture?.cleanup();
});

const setMode = (name: string, mode: 'allow' | 'ask' | 'off') => () =>
  fixture.core.dispatch('tools:setMode', { name, mode }).then(resultOf);
const setEnabled = (name: string, enabled: boolean) => () =>
  fixture.core.dispatch('plugins:setEnabled', { name, enabled }).then(resultOf);

describe('tools:changed', () => {
  beforeEach(async () => {
    await settled();
  });

  it('is heard once by the window and once by agents when a tool is turned off, and again when on', async () => {
    expect(await eventsFrom(setMode('http_request', 'off'))).toEqual({ window: 1, agents: 1 });
    expect(await eventsFrom(setMode('http_request', 'ask'))).toEqual({ window: 1, agents: 1 });
  });

  it('is heard once by the window, and not by agents, when a mode changes between ask and allow', async () => {
    expect(await eventsFrom(setMode('http_request', 'allow'))).toEqual({ window: 1, agents: 0 });
    expect(await eventsFrom(setMode('http_request', 'ask'))).toEqual({ window: 1, agents: 0 });
  });

  it('is not heard when a tool is set to the mode it already has', async () => {
    expect(await eventsFrom(setMode('http_request', 'ask'))).toEqual({ window: 0, agents: 0 });
  });

  it('is heard once by each when a plugin is disabled, and once when it is enabled', async () => {
    expect(await eventsFrom(setEnabled('echo', false))).toEqual({ window: 1, agents: 1 });
    expect(await eventsFrom(setEnabled('echo', true))).toEqual({ window: 1, agents: 1 });
  });
});
