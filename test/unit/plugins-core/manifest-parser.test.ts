import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifest } from '../../../electron/core/plugins/manifest-parser';

const valid = `
[plugin]
name = "pgp-signing"
version = "1.2.0"
description = "Signs with OpenPGP keys"
author = "Custodian"
wasm_module = "plugin.wasm"
min_app_version = "0.1.0"

[capabilities]
crypto = true
http = ["keys.openpgp.org"]

[[credential_types]]
name = "pgp_key"
display_name = "PGP key"

[[credential_types.fields]]
name = "private_key"
label = "Private key"
type = "textarea"
required = true
secret = true

[[actions]]
name = "sign"
description = "Detached signature"

[[actions.parameters]]
name = "data"
type = "string"
required = true

[[actions.parameters]]
name = "hash"
type = "string"
default = "sha256"
enum_values = ["sha256", "sha512"]

[[mcp_tools]]
name = "pgp_sign"
action = "sign"
description = "Sign data"
`;

function errorOf(text: string, appVersion = '0.1.0'): ManifestError {
  try {
    parseManifest(text, '/plugins/x/plugin.toml', appVersion);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('expected a ManifestError');
}

describe('plugin.toml', () => {
  it("reads a tool's title, hints and output_schema", () => {
    const manifest = parseManifest(
      `${valid}title = "Sign with PGP"
read_only = false
destructive = false
idempotent = true
output_schema = { type = "object", properties = { signature = { type = "string" } }, required = ["signature"] }
`,
      'plugin.toml',
      '0.1.0',
    );
    expect(manifest.mcp_tools[0]).toMatchObject({
      title: 'Sign with PGP',
      read_only: false,
      destructive: false,
      idempotent: true,
      output_schema: { type: 'object', required: ['signature'] },
    });
  });

  it('refuses an output_schema that is not of type object, or not a usable schema, naming the tool', () => {
    expect(errorOf(`${valid}output_schema = { type = "string" }\n`).message).toBe(
      '/plugins/x/plugin.toml: mcp_tools[0] ("pgp_sign").output_schema: must be a schema of "type" "object"',
    );
    const unusable = errorOf(
      `${valid}output_schema = { type = "object", properties = { signature = { type = "text" } } }\n`,
    );
    expect(unusable.field).toBe('mcp_tools[0] ("pgp_sign").output_schema');
    expect(unusable.message).toMatch(/output_schema: is not a usable JSON Schema \(.+\)$/);
  });

  it('refuses a hint that is not true or false', () => {
    expect(errorOf(`${valid}read_only = "yes"\n`).field).toBe(
      'mcp_tools[0] ("pgp_sign").read_only',
    );
  });

  it('parses Vultrino’s manifest with Custodian’s additions and fills defaults', () => {
    const manifest = parseManifest(valid, 'plugin.toml', '0.1.0');
    expect(manifest.plugin.format).toBe('wasm');
    expect(manifest.capabilities).toEqual({ crypto: true, log: false, http: ['keys.openpgp.org'] });
    expect(manifest.limits).toEqual({ timeout_ms: 5000, memory_mb: 64 });
    expect(manifest.actions[0]?.parameters[1]).toMatchObject({
      name: 'hash',
      default: 'sha256',
      required: false,
    });
    expect(manifest.credential_types[0]?.fields[0]).toMatchObject({
      type: 'textarea',
      secret: true,
    });
  });

  it('names the file, line and column of a TOML syntax error', () => {
    const error = errorOf('[plugin]\nname = "x"\nversion = \n');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^\/plugins\/x\/plugin\.toml:3:\d+: /);
  });

  it('names the field of a rule broken, with the entry’s name', () => {
    const broken = valid.replace(
      'type = "string"\nrequired = true',
      'type = "text"\nrequired = true',
    );
    const error = errorOf(broken);
    expect(error.field).toBe('actions[0] ("sign").parameters[0] ("data").type');
    expect(error.message).toContain(
      '/plugins/x/plugin.toml: actions[0] ("sign").parameters[0] ("data").type:',
    );
  });

  it.each([
    [
      'an unknown key',
      valid.replace('author = "Custodian"', 'author = "Custodian"\nauthr = "typo"'),
      /plugin/,
    ],
    [
      'a tool naming no action',
      valid.replace('action = "sign"', 'action = "nope"'),
      /mcp_tools\[0\] \("pgp_sign"\)\.action/,
    ],
    [
      'a wasm path outside the folder',
      valid.replace('"plugin.wasm"', '"../evil.wasm"'),
      /plugin\.wasm_module/,
    ],
    ['a version that is not semver', valid.replace('"1.2.0"', '"one"'), /plugin\.version/],
    [
      'a newer app required',
      valid.replace('min_app_version = "0.1.0"', 'min_app_version = "9.0.0"'),
      /needs Custodian 9\.0\.0/,
    ],
    ['a timeout above the cap', `${valid}\n[limits]\ntimeout_ms = 999999\n`, /limits\.timeout_ms/],
    [
      'an http grant that is a URL',
      valid.replace('"keys.openpgp.org"', '"https://x.org/"'),
      /capabilities\.http\[0\]/,
    ],
    [
      // Issue 14: a plugin's wildcard grant must name a site below a public suffix.
      'an http grant of a whole public suffix',
      valid.replace('"keys.openpgp.org"', '"keys.openpgp.org", "*.co.uk"'),
      /capabilities\.http\[1\]: "\*\.co\.uk" covers every site under "co\.uk", a public suffix/,
    ],
    [
      'a duplicate action',
      valid.replace('[[mcp_tools]]', '[[actions]]\nname = "sign"\n\n[[mcp_tools]]'),
      /duplicate action "sign"/,
    ],
    ['a reserved field name', valid.replace('name = "private_key"', 'name = "name"'), /reserved/],
    [
      'a tool name with spaces',
      valid.replace('name = "pgp_sign"', 'name = "pgp sign"'),
      /mcp_tools\[0\]/,
    ],
  ])('refuses %s', (_label, text, pattern) => {
    expect(errorOf(text).message).toMatch(pattern);
  });
});
