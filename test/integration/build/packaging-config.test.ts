import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { PlatformPackager, type Configuration } from 'app-builder-lib';
import * as fileMatcher from 'app-builder-lib/out/fileMatcher';
import { getFileMatchers, type FileMatcher } from 'app-builder-lib/out/fileMatcher';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeCommand, bundledMcpbPath } from '../../../electron/main/app/bridge-command';
import { bundledStoreDir } from '../../../electron/main/store/store-location';
import { ensureBundle } from '../bridge/bundle';
import { ensureMcpb } from './mcpb-bundle';
import { filesUnder } from './files-under';

// `npm run package` cannot run here (no Electron binary, no network), so this
// checks electron-builder.yml the way electron-builder reads it: its own config
// loader and schema validation, its own file matchers for what lands in
// app.asar, what is unpacked and what goes to resources/, and its own mapping
// of the fuses. The launcher next to the bridge runs for real in a fake install.

const root = join(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  productName: string;
  main: string;
  dependencies: Record<string, string>;
};
const PLATFORMS = ['linux', 'mac', 'win'] as const;
type Platform = (typeof PLATFORMS)[number];

let config: Configuration;
beforeAll(async () => {
  ensureBundle();
  ensureMcpb();
  for (const built of ['out/main/index.js', 'out/store/catalog.json'])
    if (!existsSync(join(root, built)))
      throw new Error(`${built} is missing: run \`npm run build\` (npm test builds it first)`);
  config = await getConfig(root, null, null);
});

const id = (s: string) => s;
function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}
/** The environment of an MCP client that never heard of Electron. */
function clientEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}
// Marked @internal, so missing from the typings: how electron-builder applies
// the `files` exclusions to node_modules.
const { getNodeModuleFileMatcher } = fileMatcher as unknown as {
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (s: string) => string,
    platformOptions: object,
    packager: { config: Configuration; debugLogger: DebugLogger },
  ): FileMatcher;
};
const noSymlinks = (stat: Stats) => !stat.isSymbolicLink();

/** Whether electron-builder's filter for a matcher lets a file (and its folders) through. */
function passes(matcher: FileMatcher, file: string): boolean {
  const filter = matcher.createFilter();
  const parts = relative(matcher.from, file).split(/[\\/]/);
  for (let i = 1; i <= parts.length; i++) {
    // electron-builder walks node_modules itself and filters only below it.
    if (i === 1 && parts[0] === 'node_modules') continue;
    const path = join(matcher.from, ...parts.slice(0, i));
    const stat = statSync(path);
    if (noSymlinks(stat) && !filter(path, stat)) return false;
  }
  return true;
}

function matchers(
  name: 'files' | 'extraResources' | 'asarUnpack',
  platform: Platform,
  dest = '/D',
) {
  return (
    getFileMatchers(config, name, dest, {
      macroExpander: id,
      customBuildOptions: config[platform] ?? {},
      globalOutDir: join(root, 'dist'),
      defaultSrc: root,
    }) ?? []
  );
}

/** resources/ as electron-builder would lay it out: relative path -> source file. */
function resourcesLayout(platform: Platform): Map<string, string> {
  const layout = new Map<string, string>();
  for (const m of matchers('extraResources', platform)) {
    expect(existsSync(m.from), `extraResources from ${relative(root, m.from)}`).toBe(true);
    if (statSync(m.from).isFile()) {
      layout.set(relative('/D', m.to), m.from);
      continue;
    }
    for (const file of filesUnder(m.from))
      if (passes(m, join(m.from, file)))
        layout.set(join(relative('/D', m.to), file), join(m.from, file));
  }
  return layout;
}

describe('electron-builder.yml, as electron-builder loads it', () => {
  it('passes electron-builder’s own schema validation, and the validation is live', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelled = { ...config, electronFuses: { runAsNodes: true } } as Configuration;
    await expect(validateConfiguration(misspelled, new DebugLogger(false))).rejects.toThrow(
      /configuration\.electronFuses/,
    );
  });

  it('names the app: appId, productName as in package.json, the executables the launcher runs', () => {
    expect(config.appId).toBe('dev.custodian.app');
    expect(config.productName).toBe(pkg.productName);
    expect(config.linux?.executableName).toBe('custodian');
    expect(config.directories?.buildResources).toBe('build');
  });

  it('puts only the three bundles and package.json into app.asar', () => {
    const main = defined(matchers('files', 'linux')[0], 'the files matcher');
    const skip = new Set(['node_modules', '.git', 'dist']);
    const packed = filesUnder(root, skip).filter((file) => passes(main, join(root, file)));
    for (const file of [
      'package.json',
      pkg.main,
      'out/main/plugin-host.js',
      'out/preload/index.cjs',
    ])
      expect(packed).toContain(file);
    expect(packed).toContain('out/renderer/index.html');
    const outside = packed.filter(
      (f) => f !== 'package.json' && !/^out\/(main|preload|renderer)\//.test(f),
    );
    expect(outside).toEqual([]);
  });

  it('ships every package the main and plugin-host bundles import as a production dependency', () => {
    // electron-vite keeps npm packages external, so the packaged node_modules
    // (dependencies only) must hold each of them.
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const specifiers = new Set<string>();
    const pattern =
      /(?:\bfrom\s*|\bimport\s*\(?\s*|\bimport\.meta\.resolve\(\s*|\brequire\(\s*)["']([^"'./\s][^"'\s]*)["']/g;
    for (const file of filesUnder(join(root, 'out/main')).filter((f) => f.endsWith('.js')))
      for (const m of readFileSync(join(root, 'out/main', file), 'utf8').matchAll(pattern))
        specifiers.add(defined(m[1], 'a specifier'));
    const packages = [...specifiers]
      .filter((s) => !builtins.has(s) && s !== 'electron')
      .map((s) =>
        s
          .split('/')
          .slice(0, s.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    expect(packages).toContain('keytar');
    expect(packages).toContain('@extism/extism');
    expect(packages.filter((p) => !(p in pkg.dependencies))).toEqual([]);
    // …and the `files` exclusions leave each of them in.
    const modules = getNodeModuleFileMatcher(root, '/D', id, config.linux ?? {}, {
      config,
      debugLogger: new DebugLogger(false),
    });
    const excluded = packages.filter(
      (p) => !passes(modules, join(root, 'node_modules', p, 'package.json')),
    );
    expect(excluded).toEqual([]);
    expect(passes(modules, join(root, 'node_modules/tsx/package.json'))).toBe(false);
  });

  it('unpacks native addons and Extism from app.asar, and nothing else of ours', () => {
    const unpack = defined(matchers('asarUnpack', 'linux', root)[0], 'the asarUnpack matcher');
    const unpacked = (file: string) =>
      unpack.createFilter()(join(root, file), statSync(join(root, file)));
    expect(unpacked('node_modules/keytar/build/Release/keytar.node')).toBe(true);
    expect(unpacked('node_modules/@extism/extism/dist/esm/mod.js')).toBe(true);
    // Unpacked files escape the asar integrity check: our code and keytar's JS stay inside.
    expect(unpacked('out/main/index.js')).toBe(false);
    expect(unpacked('out/renderer/index.html')).toBe(false);
    expect(unpacked('node_modules/keytar/lib/keytar.js')).toBe(false);
  });

  it.each(PLATFORMS)(
    '%s: resources/ holds the bridge, the MCP Bundle and the catalog where the packaged app looks',
    (platform) => {
      const layout = resourcesLayout(platform);
      const resources = '/R';
      const bridge = bridgeCommand({
        isPackaged: true,
        execPath: '/ignored',
        resourcesPath: resources,
        mainDir: '/ignored',
      });
      expect(bridge.env).toEqual({ ELECTRON_RUN_AS_NODE: '1' });
      expect(layout.get(relative(resources, defined(bridge.args[0], 'the bridge script')))).toBe(
        join(root, 'out/bridge/custodian-mcp.js'),
      );
      const mcpb = bundledMcpbPath({ isPackaged: true, resourcesPath: resources, mainDir: '/x' });
      expect(layout.get(relative(resources, mcpb))).toBe(join(root, 'out/mcpb/custodian.mcpb'));
      const store = relative(
        resources,
        bundledStoreDir({ isPackaged: true, resourcesPath: resources, mainDir: '/ignored' }),
      );
      const built = filesUnder(join(root, 'out/store'));
      expect(built).toContain('catalog.json');
      expect(built).toContain('catalog.pub');
      expect(built.some((f) => /^archives\/.+\.zip$/.test(f))).toBe(true);
      for (const file of built)
        expect(layout.get(join(store, file))).toBe(join(root, 'out/store', file));
      // The launcher for this platform, and only that one, beside the bridge.
      const launcher = platform === 'win' ? 'custodian-mcp.cmd' : 'custodian-mcp';
      const other = platform === 'win' ? 'custodian-mcp' : 'custodian-mcp.cmd';
      expect(layout.get(`bridge/${launcher}`)).toBe(join(root, 'build/launcher', launcher));
      expect(layout.has(`bridge/${other}`)).toBe(false);
    },
  );

  it('sets every fuse: RunAsNode on for the bridge, all others at their tight value', async () => {
    const generate = (
      PlatformPackager.prototype as unknown as {
        generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>>;
      }
    ).generateFuseConfig;
    const fuses = await generate.call(null, config.electronFuses);
    const tight: Record<keyof typeof FuseV1Options, boolean> = {
      RunAsNode: true, // the one loosening: MCP clients run the bridge with ELECTRON_RUN_AS_NODE
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    };
    // Every fuse the installed @electron/fuses knows is decided here: a new one
    // after an upgrade fails this test until someone picks its value.
    const known = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
    expect(known.sort()).toEqual(Object.keys(tight).sort());
    for (const [name, value] of Object.entries(tight))
      expect(fuses[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(value);
    // OnlyLoadAppFromAsar needs an app.asar; smartUnpack off keeps the unpacked list exact.
    expect(config.asar).toEqual({ smartUnpack: false });
  });

  it('has an icon electron-builder can turn into icns, ico and the Linux sizes', () => {
    const png = readFileSync(join(root, 'build/icon.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    expect(png[25]).toBe(6); // RGBA: the rounded corners are transparent
  });

  it('builds Linux packages with fixed install paths and what deb insists on', () => {
    const targets = [config.linux?.target]
      .flat()
      .map((t) => (typeof t === 'string' ? t : t?.target));
    expect(targets).toEqual(['deb', 'tar.gz']);
    expect(config.linux?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect((config.extraMetadata as { homepage?: string }).homepage).toMatch(/^https:\/\//);
    expect(config.deb?.depends).toContain('libsecret-1-0');
  });
});

describe('the bridge launchers', () => {
  const sh = join(root, 'build/launcher/custodian-mcp');
  const cmd = join(root, 'build/launcher/custodian-mcp.cmd');
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'custodian launcher '));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  // A fake install: the "app binary" is node itself, the bridge prints what it got.
  async function fakeInstall(name: string, binary: string) {
    const resources = join(temp, name, binary.startsWith('MacOS/') ? 'Resources' : 'resources');
    const bridgeDir = join(resources, 'bridge');
    await mkdir(bridgeDir, { recursive: true });
    await mkdir(dirname(join(resources, '..', binary)), { recursive: true });
    await symlink(process.execPath, join(resources, '..', binary));
    await copyFile(sh, join(bridgeDir, 'custodian-mcp'));
    await chmod(join(bridgeDir, 'custodian-mcp'), 0o755);
    await writeFile(
      join(bridgeDir, 'custodian-mcp.js'),
      `let stdin = '';
process.stdin.on('data', (d) => (stdin += d));
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify({
    script: process.argv[1], args: process.argv.slice(2),
    runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null, stdin,
  }));
  process.exit(7);
});`,
    );
    return join(bridgeDir, 'custodian-mcp');
  }

  function run(launcher: string, args: string[]) {
    return spawnSync(launcher, args, {
      input: 'from the client',
      encoding: 'utf8',
      env: clientEnv(),
    });
  }

  const ARGS = ['--data', '/home/ada/My Vault', '', 'a "quoted" $HOME `x` *', '-'];

  it('is executable, so the packaged copy is too', () => {
    expect(statSync(sh).mode & 0o111).toBe(0o111);
  });

  it.each([
    ['Linux (deb, tar.gz)', 'custodian'],
    ['macOS', 'MacOS/Custodian'],
  ])(
    '%s: runs the app binary as Node on the bridge beside it, arguments untouched',
    async (name, binary) => {
      const launcher = await fakeInstall(name, binary);
      const result = run(launcher, ARGS);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(7);
      expect(JSON.parse(result.stdout)).toEqual({
        script: join(dirname(launcher), 'custodian-mcp.js'),
        args: ARGS,
        runAsNode: '1',
        stdin: 'from the client',
      });
    },
  );

  it('works through a symlink elsewhere (say ~/.local/bin/custodian-mcp)', async () => {
    const launcher = await fakeInstall('linked', 'custodian');
    const bin = join(temp, 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(relative(bin, launcher), join(bin, 'custodian-mcp'));
    const result = run(join(bin, 'custodian-mcp'), ['--version']);
    expect(result.status).toBe(7);
    expect(JSON.parse(result.stdout)).toMatchObject({ args: ['--version'], runAsNode: '1' });
  });

  it('says where it looked when the binary is missing', async () => {
    const launcher = await fakeInstall('broken', 'custodian');
    await rm(join(temp, 'broken', 'custodian'));
    const result = run(launcher, []);
    expect(result.status).toBe(127);
    expect(result.stderr).toContain(join(temp, 'broken', 'custodian'));
  });

  it('names the binaries the configuration produces', () => {
    const text = readFileSync(sh, 'utf8');
    expect(text).toContain(`$contents/${config.linux?.executableName}\n`);
    expect(text).toContain(`$contents/MacOS/${config.productName}\n`);
  });

  it('Windows: a .cmd that runs <app>\\Custodian.exe as Node on the bridge beside it', () => {
    const text = readFileSync(cmd, 'latin1');
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe(''); // CRLF throughout, for cmd.exe
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(lines).toContain('set "ELECTRON_RUN_AS_NODE=1"');
    expect(lines).toContain(`"%~dp0..\\..\\${config.productName}.exe" "%~dp0custodian-mcp.js" %*`);
    expect(lines).toContain('exit /b %ERRORLEVEL%');
  });
});
