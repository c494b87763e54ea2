import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { getRawHeader, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBundle } from '../bridge/bundle';
import { filesUnder } from './files-under';
import { ensureMcpb, MCPB } from './mcpb-bundle';

// A real `electron-builder --linux dir` run with electron-builder.yml, offline:
// the Electron binary cannot be downloaded here, so a stand-in takes its place
// (electronDist): a shell script that execs node, carrying Electron's fuse wire
// (the sentinel, version 1, nine fuses at Electron's defaults) for
// electron-builder to flip. Native modules are not rebuilt for Electron
// (npmRebuild=false). Everything else is electron-builder packing the app.

const root = join(import.meta.dirname, '../../..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity,
// OnlyLoadAppFromAsar, BrowserV8Snapshot, FileProtocolPrivileges, WasmTrapHandlers
const ELECTRON_DEFAULT_WIRE = '101100011';

let temp: string;
let app: string;
let build: ReturnType<typeof spawnSync>;
beforeAll(async () => {
  ensureBundle();
  ensureMcpb();
  for (const built of ['out/main/index.js', 'out/store/catalog.json'])
    if (!existsSync(join(root, built)))
      throw new Error(`${built} is missing: run \`npm run build\` (npm test builds it first)`);
  temp = await mkdtemp(join(tmpdir(), 'custodian-package-'));
  const dist = join(temp, 'electron-dist');
  await mkdir(dist);
  await writeFile(
    join(dist, 'electron'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$@"\n# ${SENTINEL}\x01\x09${ELECTRON_DEFAULT_WIRE}\n`,
  );
  await chmod(join(dist, 'electron'), 0o755);
  await writeFile(join(dist, 'LICENSE'), 'stand-in\n');
  build = spawnSync(
    join(root, 'node_modules/.bin/electron-builder'),
    [
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${dist}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${join(temp, 'dist')}`,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '' } },
  );
  app = join(temp, 'dist', 'linux-unpacked');
}, 300_000);
afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

describe('electron-builder --linux dir, with a stand-in Electron', () => {
  it('packs without errors', () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    expect(statSync(join(app, 'custodian')).mode & 0o111).toBe(0o111);
  });

  it('flips the fuses: RunAsNode stays on, the rest tight, WasmTrapHandlers at its default', () => {
    const binary = readFileSync(join(app, 'custodian'), 'latin1');
    const at = binary.indexOf(SENTINEL) + SENTINEL.length;
    expect(binary.slice(at, at + 2)).toBe('\x01\x09');
    expect(binary.slice(at + 2, at + 11)).toBe('110011001');
  });

  it('puts the bridge, its launcher, the MCP Bundle and the whole bundled catalog in resources/', () => {
    const resources = join(app, 'resources');
    const files = filesUnder(resources).filter((f) => !f.startsWith('app.asar'));
    const store = filesUnder(join(root, 'out/store')).map((f) => `store/${f}`);
    expect(files.sort()).toEqual(
      ['bridge/custodian-mcp', 'bridge/custodian-mcp.js', 'mcpb/custodian.mcpb', ...store].sort(),
    );
    expect(readFileSync(join(resources, 'mcpb/custodian.mcpb'))).toEqual(readFileSync(MCPB));
    expect(readFileSync(join(resources, 'bridge/custodian-mcp.js'))).toEqual(
      readFileSync(join(root, 'out/bridge/custodian-mcp.js')),
    );
    expect(statSync(join(resources, 'bridge/custodian-mcp')).mode & 0o111).toBe(0o111);
  });

  it('app.asar holds the bundles, package.json and runtime node_modules only', () => {
    const asar = join(app, 'resources/app.asar');
    const entries = listPackage(asar, { isPack: false }).map((p) => p.replace(/\\/g, '/'));
    const ours = entries.filter((p) => !p.startsWith('/node_modules'));
    const outside = ours.filter(
      (p) => !/^\/out(\/(main|preload|renderer)(\/.*)?)?$/.test(p) && p !== '/package.json',
    );
    expect(outside).toEqual([]);
    for (const file of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html'])
      expect(entries).toContain(file);
    expect(entries).toContain('/node_modules/keytar/lib/keytar.js');
    expect(entries.filter((p) => /^\/node_modules\/(tsx|esbuild|@esbuild)(\/|$)/.test(p))).toEqual(
      [],
    );
    // The asar header carries integrity hashes for the integrity fuse to check.
    const header = getRawHeader(asar).header as { files: Record<string, { files?: unknown }> };
    expect(JSON.stringify(header.files['package.json'])).toContain('"integrity"');
  });

  it('unpacks exactly keytar.node and @extism/extism', () => {
    const unpacked = filesUnder(join(app, 'resources/app.asar.unpacked'));
    const other = unpacked.filter(
      (f) =>
        f !== 'node_modules/keytar/build/Release/keytar.node' &&
        !f.startsWith('node_modules/@extism/extism/'),
    );
    expect(other).toEqual([]);
    expect(unpacked).toContain('node_modules/keytar/build/Release/keytar.node');
    expect(unpacked).toContain('node_modules/@extism/extism/dist/esm/mod.js');
  });

  it('the packaged launcher starts the packaged bridge through the app binary, flags passed', () => {
    const launcher = join(app, 'resources/bridge/custodian-mcp');
    const dataDir = join(temp, 'no vault here');
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const run = spawnSync(launcher, ['--data', dataDir], {
      input: '',
      encoding: 'utf8',
      env,
      timeout: 30_000,
    });
    expect(run.stderr).toContain(`data folder ${dataDir} (from flag)`);
    expect(run.stderr).toContain('the MCP client closed stdin');
    expect(run.status).toBe(0);
    expect(relative(app, launcher)).toBe('resources/bridge/custodian-mcp');
  });
});
