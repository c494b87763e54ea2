import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretValuesOf } from '../../../electron/core/credentials/secret-values';
import { CredentialTypeRegistry } from '../../../electron/core/credentials/type-registry';
import { readImportAnswer } from '../../../electron/core/plugins/import-answer';
import { parseManifest } from '../../../electron/core/plugins/manifest-parser';
import { credentialForPlugin } from '../../../electron/core/plugins/secret-handles';
import { fieldDefinitionSchema } from '../../../shared/fields';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';

// The import contract's rules that need no plugin: the manifest keys, the
// checks on what an import answers, what later calls see of it, and what
// output screening looks for.

const manifest = (typeLines: string, fieldLines = '') =>
  parseManifest(
    `
[plugin]
name = "probe"
version = "1.0.0"
wasm_module = "plugin.wasm"

[[credential_types]]
name = "probe_key"
display_name = "Probe key"
${typeLines}

[[credential_types.fields]]
name = "key"
label = "Key"
secret = true

[[credential_types.fields]]
name = "passphrase"
label = "Passphrase"
secret = true
${fieldLines}

[[actions]]
name = "import_key"
`,
    'plugin.toml',
    '0.1.0',
  );

describe('the manifest', () => {
  it('reads `import`, and `on_save` as its older spelling, but not both', () => {
    expect(manifest('import = "import_key"').credential_types[0]?.import).toBe('import_key');
    expect(manifest('on_save = "import_key"').credential_types[0]?.on_save).toBe('import_key');
    expect(() => manifest('import = "import_key"\non_save = "import_key"')).toThrow(
      /give the import entry once/,
    );
    expect(() => manifest('import = "nope"')).toThrow(/\.import: names no action/);
  });

  it('takes import_only on a secret field of a type with an import entry only', () => {
    const parsed = manifest('import = "import_key"', 'import_only = true');
    expect(parsed.credential_types[0]?.fields[1]?.import_only).toBe(true);
    expect(() => manifest('', 'import_only = true')).toThrow(/needs its type to have an import/);
    expect(
      fieldDefinitionSchema.safeParse({ name: 'note', label: 'Note', import_only: true }).error
        ?.issues[0]?.message,
    ).toBe('only a secret field can be import_only');
  });
});

describe('what an import answers', () => {
  const type = { fields: [{ name: 'key' }, { name: 'passphrase' }] } as never;

  it('is {info, sealed, public} of texts under names that are no field’s', () => {
    expect(
      readImportAnswer({ info: { a: 1 }, sealed: { k: 'x' }, public: { p: 'y' } }, type, false),
    ).toEqual({ info: { a: 1 }, sealed: { k: 'x' }, public: { p: 'y' } });
    expect(readImportAnswer({ fingerprint: 'f' }, type, false)).toMatch(/did not answer/);
    expect(readImportAnswer({ sealed: { key: 'x' } }, type, false)).toMatch(
      /names "key", which is a field/,
    );
    expect(readImportAnswer({ sealed: { Bad: 'x' } }, type, false)).toMatch(/lower_snake_case/);
    expect(readImportAnswer({ sealed: { a: 'x' }, public: { a: 'y' } }, type, false)).toMatch(
      /gives "a" twice/,
    );
    expect(readImportAnswer({ sealed: { a: 1 } }, type, false)).toMatch(/"sealed.a" is not text/);
    expect(readImportAnswer({ sealed: { a: 'x'.repeat(65_537) } }, type, false)).toMatch(
      /larger than 65536 bytes/,
    );
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`n${i}`, 'v']));
    expect(readImportAnswer({ public: many }, type, false)).toMatch(/33 names.*at most 32/);
  });

  it('under the older spelling, any other answer is all info and nothing is kept', () => {
    expect(readImportAnswer({ fingerprint: 'f' }, type, true)).toEqual({
      info: { fingerprint: 'f' },
      sealed: {},
      public: {},
    });
  });
});

describe('a credential with imported material', () => {
  const types = new CredentialTypeRegistry();
  for (const type of manifest('import = "import_key"').credential_types)
    types.register(type, 'probe');
  const jwk = JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
  const credential = {
    type: 'probe_key',
    fields: { key: 'stored-key-value' },
    imported: {
      sealed: { signing_key: jwk },
      public: { public_key: 'AAAA' },
      info: {},
      plugin: 'probe',
      version: '1.0.0',
      at: '',
    },
  };

  it('reaches a plugin as handles for sealed names and values for public ones', () => {
    const view = credentialForPlugin(credential, types, 'handles');
    expect(view.fields.public_key).toBe('AAAA');
    expect(String(view.fields.signing_key).startsWith(HANDLE_PREFIX)).toBe(true);
    expect(view.secrets).toContainEqual({
      handle: view.fields.signing_key,
      field: 'signing_key',
      value: jwk,
    });
    expect(JSON.stringify(view.fields)).not.toContain((JSON.parse(jwk) as { d: string }).d);
  });

  it('is screened for: the sealed text and each private JWK member, not its public ones', () => {
    const { d, x } = JSON.parse(jwk) as { d: string; x: string };
    const values = secretValuesOf(credential, types);
    expect(values).toEqual(expect.arrayContaining(['stored-key-value', jwk, d]));
    expect(values).not.toContain(x);
  });
});
