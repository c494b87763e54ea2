import { describe, expect, it } from 'vitest';
import { CredentialTypeRegistry } from '../../../electron/core/credentials/type-registry';
import { parseManifest } from '../../../electron/core/plugins/manifest-parser';
import { credentialForPlugin, secretAccessOf } from '../../../electron/core/plugins/secret-handles';
import { describeChanges, pluginChanges } from '../../../electron/core/store/plugin-changes';
import { describeCapabilities } from '../../../electron/headless/cli/commands/plugin';
import { capabilityTexts, SECRET_VALUES_TEXT } from '../../../shared/capability-words';
import type { Capabilities } from '../../../shared/manifest';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';

// What a plugin may see of a credential (handles or values), and how asking
// for values is said to the person: the manifest key, the one rule that
// decides, the warning, and fresh consent when an update starts asking.

const manifest = (access?: string) =>
  parseManifest(
    `
[plugin]
name = "probe"
version = "1.0.0"
wasm_module = "plugin.wasm"

[capabilities]
crypto = true
${access ? `secret_access = "${access}"` : ''}

[[actions]]
name = "run"
`,
    'plugin.toml',
    '0.1.0',
  );

const record = (granted: Capabilities) => ({
  source: 'test',
  version: '1.0.0',
  sha256: '0'.repeat(64),
  enabled: true,
  granted,
  installedAt: '',
  allowPrivate: [],
  development: false,
});

describe('secret_access in the manifest', () => {
  it('is handles unless the manifest says values', () => {
    expect(manifest().capabilities.secret_access).toBeUndefined();
    expect(manifest('values').capabilities.secret_access).toBe('values');
    expect(manifest('handles').capabilities.secret_access).toBe('handles');
    expect(() => manifest('plaintext')).toThrow(/secret_access/);
  });

  it('gives values only to what asked for them and was granted them, or speaks the Vultrino ABI', () => {
    const values = manifest('values');
    expect(secretAccessOf({ manifest: values, record: record(values.capabilities) })).toBe(
      'values',
    );
    // Granted before the plugin asked (an old record, or a person who said no): handles.
    expect(
      secretAccessOf({ manifest: values, record: record({ crypto: true, log: false, http: [] }) }),
    ).toBe('handles');
    const handles = manifest();
    expect(
      secretAccessOf({
        manifest: handles,
        record: record({ ...handles.capabilities, secret_access: 'values' }),
      }),
    ).toBe('handles');
    expect(
      secretAccessOf({ manifest: handles, record: record(handles.capabilities), abi: 'vultrino' }),
    ).toBe('values');
  });
});

describe('credentialForPlugin', () => {
  const types = new CredentialTypeRegistry();
  const credential = {
    type: 'api_key',
    fields: { key: 'sk_live_abcdef123456', header_name: 'x-api-key', header_prefix: '' },
  };

  it('in handle mode, gives secret fields as fresh handles and the rest as values', () => {
    const first = credentialForPlugin(credential, types, 'handles');
    expect(first.fields.header_name).toBe('x-api-key');
    expect(String(first.fields.key).startsWith(HANDLE_PREFIX)).toBe(true);
    expect(JSON.stringify(first.fields)).not.toContain('sk_live');
    expect(first.secrets).toEqual([
      { handle: first.fields.key, field: 'key', value: 'sk_live_abcdef123456' },
    ]);
    expect(credentialForPlugin(credential, types, 'handles').fields.key).not.toBe(first.fields.key);
  });

  it('in value mode, gives the values and no handles', () => {
    expect(credentialForPlugin(credential, types, 'values')).toEqual({
      fields: credential.fields,
      secrets: [],
    });
  });

  it('names where the secrets may go when the credential has allowed_hosts', () => {
    expect(credentialForPlugin(credential, types, 'handles').secretHosts).toBeUndefined();
    const limited = {
      ...credential,
      fields: { ...credential.fields, allowed_hosts: 'api.example.com, http://127.0.0.1:8080' },
    };
    expect(credentialForPlugin(limited, types, 'handles').secretHosts).toEqual([
      'api.example.com',
      '127.0.0.1:8080',
    ]);
  });

  it('treats every field of a type no longer known as secret', () => {
    const view = credentialForPlugin(
      { type: 'gone', fields: { a: 'x1', b: 'y2' } },
      types,
      'handles',
    );
    expect(view.secrets.map((s) => s.field)).toEqual(['a', 'b']);
  });
});

describe('the warning', () => {
  const none: Capabilities = { crypto: false, log: false, http: [] };

  it('comes first, for values and for the Vultrino ABI', () => {
    expect(capabilityTexts({ ...none, crypto: true, secret_access: 'values' })[0]).toEqual({
      key: 'secret_values',
      text: SECRET_VALUES_TEXT,
    });
    expect(capabilityTexts(none, 'vultrino').map((l) => l.key)).toEqual(['secret_values']);
    expect(capabilityTexts({ ...none, secret_access: 'handles' })).toEqual([]);
    expect(describeCapabilities({ ...none, secret_access: 'values' })[0]).toMatch(
      /^this plugin reads your secret values/,
    );
  });

  it('asks again when an update starts reading values, not when it stops', () => {
    const shape = (capabilities: Capabilities) => ({
      capabilities,
      tools: [],
      credentialTypes: [],
    });
    const widened = pluginChanges(shape(none), shape({ ...none, secret_access: 'values' }));
    expect(widened.needsConsent).toBe(true);
    expect(describeChanges(widened)).toEqual([
      `new: ${SECRET_VALUES_TEXT.charAt(0).toLowerCase()}${SECRET_VALUES_TEXT.slice(1)}`,
    ]);
    expect(
      pluginChanges(shape({ ...none, secret_access: 'values' }), shape(none)).needsConsent,
    ).toBe(false);
  });
});
