import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_DATA_PLACEHOLDER } from '../../../electron/bridge/args';
import { BUILTIN_TOOL_NAMES } from '../../../shared/builtin-tools';
import { REPO_ROOT } from '../../support/fresh-bundle';
import { names, startAgent, type Agent } from '../bridge/agent';
import { BUNDLE } from '../bridge/bundle';
import { BUILTIN_TOOLS, RealCore } from '../bridge/real-core';
import { filesUnder } from './files-under';
import { ensureMcpb } from './mcpb-bundle';

// out/mcpb/custodian.mcpb as `npm run build` writes it: unpacked and checked
// with Anthropic's own mcpb tool, read field by field, and started the way a
// host starts it (mcp_config with ${__dirname} and the user_config filled in)
// by the SDK's stdio client against a running core.

const MCPB_CLI = join(REPO_ROOT, 'node_modules/.bin/mcpb');

interface Manifest {
  manifest_version: string;
  name: string;
  version: string;
  icon: string;
  server: {
    type: string;
    entry_point: string;
    mcp_config: { command: string; args: string[]; env?: Record<string, string> };
  };
  tools: { name: string; description: string }[];
  user_config: Record<string, Record<string, unknown>>;
}

let unpacked: string;
let manifest: Manifest;
beforeAll(async () => {
  const bundle = ensureMcpb();
  unpacked = await mkdtemp(join(tmpdir(), 'custodian-mcpb-'));
  const run = spawnSync(MCPB_CLI, ['unpack', bundle, unpacked], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`mcpb unpack failed: ${run.stdout}${run.stderr}`);
  manifest = JSON.parse(await readFile(join(unpacked, 'manifest.json'), 'utf8')) as Manifest;
}, 120_000);
afterAll(async () => {
  if (unpacked) await rm(unpacked, { recursive: true, force: true });
});

/** mcp_config's arguments as a host fills them in. */
function hostArgs(dataFolder: string | undefined): string[] {
  return manifest.server.mcp_config.args.map((arg) =>
    arg
      .replaceAll('${__dirname}', unpacked)
      .replaceAll(BUNDLE_DATA_PLACEHOLDER, dataFolder ?? BUNDLE_DATA_PLACEHOLDER),
  );
}

describe('custodian.mcpb', () => {
  it('passes `mcpb validate`', () => {
    const run = spawnSync(MCPB_CLI, ['validate', join(unpacked, 'manifest.json')], {
      encoding: 'utf8',
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('Manifest schema validation passes!');
  });

  it('holds the manifest, the bundled bridge as a node entry point and the icon, nothing else', async () => {
    expect(filesUnder(unpacked).sort()).toEqual(
      ['icon.png', 'manifest.json', 'server/custodian-mcp.js'].sort(),
    );
    expect(manifest.server.type).toBe('node');
    expect(manifest.server.entry_point).toBe('server/custodian-mcp.js');
    expect(manifest.server.mcp_config.command).toBe('node');
    expect(await readFile(join(unpacked, manifest.server.entry_point))).toEqual(
      await readFile(BUNDLE),
    );
    expect(manifest.icon).toBe('icon.png');
    expect(await readFile(join(unpacked, 'icon.png'))).toEqual(
      await readFile(join(REPO_ROOT, 'build/icon.png')),
    );
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.tools.map((tool) => tool.name)).toEqual([...BUILTIN_TOOL_NAMES]);
  });

  it('asks for one optional data folder, passed as --data, and for nothing sensitive', () => {
    expect(Object.keys(manifest.user_config)).toEqual(['data_folder']);
    expect(manifest.user_config.data_folder).toMatchObject({ type: 'directory', required: false });
    expect(JSON.stringify(manifest)).not.toMatch(/"sensitive"\s*:\s*true/);
    expect(manifest.server.mcp_config.args).toEqual([
      '${__dirname}/server/custodian-mcp.js',
      `--data=${BUNDLE_DATA_PLACEHOLDER}`,
    ]);
    // Nothing of this machine or of a vault: no home, no token, no env block.
    expect(JSON.stringify(manifest)).not.toContain(REPO_ROOT);
    expect(JSON.stringify(manifest)).not.toMatch(/token/i);
    expect(manifest.server.mcp_config.env).toBeUndefined();
  });
});

describe('the unpacked bundle, started as a host starts it', () => {
  let core: RealCore | undefined;
  let agent: Agent | undefined;
  afterEach(async () => {
    await agent?.close();
    agent = undefined;
    await core?.dispose();
    core = undefined;
  });

  it('lists and calls the tools of the running app with the data folder filled in', async () => {
    core = await RealCore.create();
    agent = await startAgent(join(unpacked, manifest.server.entry_point), core.dataDir, {
      args: hostArgs(core.dataDir),
    });
    const { tools } = await agent.client.listTools();
    expect(names(tools)).toEqual([...BUILTIN_TOOLS, 'fixture_echo']);
    const result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(result.isError).toBeFalsy();
    await agent.logged(`data folder ${core.dataDir} (from flag)`);
  });

  it('uses the default folder when the data folder is left blank (placeholder left as written, or empty)', async () => {
    core = await RealCore.create();
    // The default folder is the person's real one: CUSTODIAN_DATA_DIR stands in for it here.
    for (const blank of [undefined, '']) {
      agent = await startAgent(join(unpacked, manifest.server.entry_point), core.dataDir, {
        args: hostArgs(blank),
        env: { CUSTODIAN_DATA_DIR: core.dataDir },
      });
      expect(names((await agent.client.listTools()).tools)).toContain('fixture_echo');
      await agent.logged(`data folder ${core.dataDir} (from env)`);
      await agent.close();
      agent = undefined;
    }
  });
});
