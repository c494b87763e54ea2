#!/usr/bin/env node
// `npm test`: everything that proves Custodian works, in one command.
// 1. the Debian packages the tests run against (installed when root, named otherwise);
// 2. keytar built for this Node (it may have been rebuilt for Electron by `npm start`);
// 3. Prettier, ESLint, tsc for Node and web code, the electron-vite bundle, the
//    MCP bridge's bundle and the Claude Desktop bundle (.mcpb) made from it, the
//    custodian command's bundle, and every plugin (first-party and test fixtures)
//    compiled from source, then the bundled catalog of the first-party plugins
//    packed and signed from those builds;
// 4. Vitest inside a private D-Bus session with a real gnome-keyring.
// Each check counts as one test; the last line is `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

// What each Debian package gives the tests, and how to tell it is there.
const DEBIAN_PACKAGES = [
  {
    name: 'chromium',
    present: () => existsSync('/usr/bin/chromium'),
    why: 'the renderer runs in real Chromium',
  },
  {
    name: 'dbus',
    present: () => onPath('dbus-run-session'),
    why: 'a private D-Bus session for the keychain',
  },
  {
    name: 'gnome-keyring',
    present: () => onPath('gnome-keyring-daemon'),
    why: 'a real Secret Service',
  },
  {
    name: 'gnupg',
    present: () => onPath('gpg') && onPath('gpg-agent') && onPath('gpgconf'),
    why: 'PGP signatures are verified by real GnuPG',
  },
  {
    name: 'openssh-client',
    present: () => onPath('ssh-keygen'),
    why: 'SSH signatures are verified by ssh-keygen -Y verify',
  },
  {
    name: 'git',
    present: () => onPath('git'),
    why: 'a real git commit -S is signed through custodian ssh-sign',
  },
  {
    name: 'oathtool',
    present: () => onPath('oathtool'),
    why: 'TOTP codes are checked against oathtool',
  },
  {
    name: 'python3-jwt',
    present: () => dpkgInstalled('python3-jwt'),
    why: 'JWTs are verified by PyJWT',
  },
  {
    name: 'python3-botocore',
    present: () => dpkgInstalled('python3-botocore'),
    why: 'AWS SigV4 headers are checked against botocore',
  },
  {
    name: 'libsecret-1-0',
    present: () => dpkgInstalled('libsecret-1-0'),
    why: 'keytar talks to the Secret Service through it',
  },
];

let passed = 0;
let failed = 0;
let skipped = 0;

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
function dpkgInstalled(name) {
  return (
    spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes(
      'install ok installed',
    ) ?? false
  );
}
function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}
function check(label, command, args, options) {
  console.log(`\n── ${label}`);
  const result = run(command, args, options);
  if (result.status === 0) {
    passed++;
    console.log(`✓ ${label}`);
  } else {
    failed++;
    console.log(`✗ ${label} (exit ${result.status ?? result.signal})`);
  }
}
function finish() {
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed === 0 ? 0 : 1);
}

function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((p) => !p.present());
  if (missing.length === 0) return true;
  const names = missing.map((p) => p.name);
  for (const p of missing) console.log(`missing Debian package ${p.name}: ${p.why}`);
  if (process.getuid?.() !== 0) {
    console.log(`Install them first:\n  sudo apt-get install -y ${names.join(' ')}`);
    return false;
  }
  console.log(`installing ${names.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  const install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
    env,
  });
  return install.status === 0 && missing.every((p) => p.present());
}

// keytar is a native module: `npm start` rebuilds it for Electron, the tests need it for Node.
function ensureKeytarForNode() {
  const probe = spawnSync(process.execPath, ['-e', "require('keytar')"], {
    cwd: root,
    encoding: 'utf8',
  });
  if (probe.status === 0) return true;
  console.log('keytar does not load in this Node; rebuilding it for Node');
  return run('npm', ['rebuild', 'keytar']).status === 0;
}

function runVitest() {
  const report = join(root, 'node_modules', '.cache', 'custodian-vitest.json');
  mkdirSync(dirname(report), { recursive: true });
  rmSync(report, { force: true });
  mkdirSync(join(root, 'test', 'e2e', 'screenshots'), { recursive: true });
  console.log('\n── vitest (inside a private D-Bus session with gnome-keyring)');
  const extra = process.argv.slice(2);
  const result = run(join(root, 'test', 'support', 'with-keyring.sh'), [
    bin('vitest'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...extra,
  ]);
  if (!existsSync(report)) {
    failed++;
    console.log(`✗ vitest produced no report (exit ${result.status ?? result.signal})`);
    return;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
  // A file that fails to load counts no test; count it as a failure.
  const brokenFiles = json.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  );
  failed += brokenFiles.length;
  if (result.status !== 0 && json.numFailedTests === 0 && brokenFiles.length === 0) failed++;
}

console.log('Custodian test run');
if (!ensureDebianPackages()) {
  failed++;
  finish();
}
if (!ensureKeytarForNode()) failed++;
// Resolving the modules up front gives a clear message when `npm ci` was not run.
try {
  createRequire(join(root, 'package.json')).resolve('vitest/package.json');
} catch {
  console.log('node_modules is missing: run `npm ci` (or `npm install`) first.');
  failed++;
  finish();
}
check('prettier --check', bin('prettier'), ['--check', '--log-level=warn', '.']);
check('eslint', bin('eslint'), ['--max-warnings', '0', '.']);
check('tsc -b (Node and web projects)', bin('tsc'), ['-b']);
check('electron-vite build (main, preload, renderer)', bin('electron-vite'), [
  'build',
  '--logLevel',
  'warn',
]);
// Built once here, so the test files that need them do not all rebuild them at once.
check('build:bridge (the stdio MCP bridge, one bundle)', process.execPath, [
  join(root, 'build', 'scripts', 'build-bridge.mjs'),
]);
check('build:mcpb (the Claude Desktop bundle, from the bridge)', process.execPath, [
  '--import',
  'tsx',
  join(root, 'build', 'scripts', 'build-mcpb.ts'),
]);
check('build:cli (the custodian command, one bundle)', process.execPath, [
  join(root, 'build', 'scripts', 'build-cli.mjs'),
]);
check('plugins:build (AssemblyScript plugins and fixtures, from source)', process.execPath, [
  join(root, 'build', 'scripts', 'build-plugins.mjs'),
]);
check('store:build (the bundled first-party catalog, from the built plugins)', process.execPath, [
  '--import',
  'tsx',
  join(root, 'build', 'scripts', 'build-store.ts'),
]);
runVitest();
finish();
