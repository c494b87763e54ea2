import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The MCP bridge is the agents' program: it reaches the core only through
// bridgeClientFor (the agents' socket and bridge.token). Nothing in it names
// the admin channel, its token or a way to read a token file by hand.

const BRIDGE = fileURLToPath(new URL('../../../electron/bridge', import.meta.url));

describe('the bridge', () => {
  it('connects with bridgeClientFor and never names the admin channel or its token', async () => {
    const files = (await readdir(BRIDGE)).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const sources = await Promise.all(
      files.map(async (name) => ({ name, text: await readFile(join(BRIDGE, name), 'utf8') })),
    );
    for (const { name, text } of sources)
      for (const banned of [
        'adminClientFor',
        'admin.token',
        'ADMIN_TOKEN_FILE_NAME',
        "'admin'",
        'readInstallToken',
        'readToken',
        'new BridgeClient',
      ])
        expect(text.includes(banned), `${name} names ${banned}`).toBe(false);
    expect(sources.some(({ text }) => text.includes('bridgeClientFor('))).toBe(true);
  });
});
