import { describe, expect, it } from 'vitest';
import {
  describeChanges,
  pluginChanges,
  type PluginShape,
} from '../../../electron/core/store/plugin-changes';

const base: PluginShape = {
  capabilities: { crypto: false, log: true, http: ['api.example.com'] },
  tools: [{ name: 'run', description: 'Runs it.' }],
  credentialTypes: ['token'],
};

describe('pluginChanges', () => {
  it('needs no consent for the same plugin, or one that asks for less', () => {
    expect(pluginChanges(base, base).needsConsent).toBe(false);
    const less = pluginChanges(base, {
      capabilities: { crypto: false, log: false, http: [] },
      tools: [],
      credentialTypes: [],
    });
    expect(less).toMatchObject({
      needsConsent: false,
      removedCapabilities: { log: true, http: ['api.example.com'] },
      removedTools: ['run'],
      removedTypes: ['token'],
    });
  });

  it('needs consent for a new host, a new capability, a new tool or a reworded one', () => {
    const host = pluginChanges(base, {
      ...base,
      capabilities: { ...base.capabilities, http: ['api.example.com', '*.example.com'] },
    });
    expect(host.addedCapabilities.http).toEqual(['*.example.com']);
    expect(host.needsConsent).toBe(true);
    expect(
      pluginChanges(base, { ...base, capabilities: { ...base.capabilities, crypto: true } })
        .needsConsent,
    ).toBe(true);
    const tool = pluginChanges(base, {
      ...base,
      tools: [...base.tools, { name: 'send', description: 'Sends it.' }],
    });
    expect(tool.addedTools).toEqual([{ name: 'send', description: 'Sends it.' }]);
    const reworded = pluginChanges(base, {
      ...base,
      tools: [{ name: 'run', description: 'Runs it, and mails the output.' }],
    });
    expect(reworded.changedTools).toEqual([
      { name: 'run', before: 'Runs it.', after: 'Runs it, and mails the output.' },
    ]);
    expect(reworded.needsConsent).toBe(true);
    expect(describeChanges(reworded)).toEqual([
      'tool run now says "Runs it, and mails the output." (was "Runs it.")',
    ]);
  });

  it('a new credential type alone changes nothing an agent is told', () => {
    const types = pluginChanges(base, { ...base, credentialTypes: ['token', 'other'] });
    expect(types).toMatchObject({ addedTypes: ['other'], needsConsent: false });
  });
});
