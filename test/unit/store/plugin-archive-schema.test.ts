import { describe, expect, it } from 'vitest';
import { isAllowedArchiveFile, pluginDescriptorSchema } from '../../../shared/plugin-archive';

const descriptor = {
  format: 1,
  id: 'pgp-signing',
  version: '1.2.0',
  files: [{ path: 'plugin.toml', size: 10, sha256: 'a'.repeat(64) }],
  capabilities: { crypto: true, log: false, http: [] },
  tools: [{ name: 'pgp_sign', description: 'Sign.' }],
  credential_types: ['pgp_key'],
};

describe('the plugin descriptor schema', () => {
  it('accepts a well-formed descriptor', () => {
    expect(pluginDescriptorSchema.parse(descriptor)).toEqual(descriptor);
  });

  it.each([
    ['an unknown format', { format: 2 }],
    ['an id that is no plugin name', { id: 'Bad_Name' }],
    ['a version that is not semver', { version: '1.2' }],
    ['an upper-case sha256', { files: [{ path: 'a', size: 1, sha256: 'A'.repeat(64) }] }],
    ['a negative size', { files: [{ path: 'a', size: -1, sha256: 'a'.repeat(64) }] }],
    ['an unknown capability', { capabilities: { crypto: false, log: false, http: [], fs: true } }],
    ['an extra key', { extra: 1 }],
  ])('refuses %s', (_label, change) => {
    expect(pluginDescriptorSchema.safeParse({ ...descriptor, ...change }).success).toBe(false);
  });
});

describe('allowed archive file names', () => {
  it('allows the fixed names and one module', () => {
    for (const name of [
      'plugin.toml',
      'custodian-plugin.json',
      'README.md',
      'icon.png',
      'icon.svg',
    ])
      expect(isAllowedArchiveFile(name, 'plugin.wasm')).toBe(true);
    expect(isAllowedArchiveFile('plugin.wasm', 'plugin.wasm')).toBe(true);
    expect(isAllowedArchiveFile('other.wasm', 'plugin.wasm')).toBe(false);
    expect(isAllowedArchiveFile('other.wasm')).toBe(true);
  });

  it.each(['run.sh', '.wasm', 'sub/plugin.toml', 'readme.md', 'icon.jpg', '../plugin.toml'])(
    'refuses %s',
    (name) => expect(isAllowedArchiveFile(name)).toBe(false),
  );
});
