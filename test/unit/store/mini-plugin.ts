import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../support/core-fixture';
import { packPlugin } from '../../../electron/core/store/archive/pack';
import { readPluginArchive } from '../../../electron/core/store/archive/read-archive';

// A small synthetic plugin for unit tests: a real manifest and the smallest
// valid wasm module (magic + version), so no build step is needed.

export const MINI_WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
export const MINI_TOML = `[plugin]
name = "mini"
version = "1.2.3"
wasm_module = "mini.wasm"

[capabilities]
crypto = true
http = ["api.example.com"]

[[credential_types]]
name = "mini_key"
display_name = "Mini key"

[[credential_types.fields]]
name = "key"
label = "Key"
type = "password"
secret = true

[[actions]]
name = "go"

[[mcp_tools]]
name = "mini_go"
action = "go"
description = "Go."
`;
export const APP_VERSION = '0.1.0';

export async function miniPluginDir(
  extra: Record<string, string | Buffer> = {},
  toml = MINI_TOML,
): Promise<string> {
  const dir = join(await makeTempDir('custodian-mini-'), 'mini');
  await mkdir(dir);
  await writeFile(join(dir, 'plugin.toml'), toml);
  await writeFile(join(dir, 'mini.wasm'), MINI_WASM);
  for (const [name, data] of Object.entries(extra)) await writeFile(join(dir, name), data);
  return dir;
}

/** The packed mini plugin and its files as the reader returns them. */
export async function miniArchive(
  extra: Record<string, string | Buffer> = {},
): Promise<{ bytes: Buffer; files: Map<string, Buffer> }> {
  const bytes = await packPlugin(await miniPluginDir(extra));
  const { files } = await readPluginArchive(bytes, { appVersion: APP_VERSION });
  return { bytes, files };
}
