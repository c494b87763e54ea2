#!/usr/bin/env node
// keytar is a native module, and Electron and Node load different builds of it.
//   postinstall: rebuild keytar for Electron only when Electron's binary is
//                already here; on a machine without it (CI, no network) there
//                is nothing to rebuild for, so `npm install` never fails for it.
//   start:       fetch Electron's binary if missing, then rebuild for it.
// `npm test` rebuilds keytar for Node again when it needs to (test/run.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mode = process.argv[2];
const require = createRequire(join(root, 'package.json'));

function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

function electronBinaryPresent(dir) {
  const pathFile = join(dir, 'path.txt');
  return (
    existsSync(pathFile) && existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()))
  );
}

function rebuildForElectron() {
  const rebuild = join(root, 'node_modules', '.bin', 'electron-rebuild');
  const result = spawnSync(rebuild, ['--force', '--only', 'keytar'], {
    cwd: root,
    stdio: 'inherit',
  });
  return result.status === 0;
}

const dir = electronDir();
if (!dir) {
  console.log('custodian: electron is not installed; native modules stay built for Node.');
  process.exit(0);
}
if (mode === 'start' && !electronBinaryPresent(dir)) {
  console.log('custodian: downloading the Electron binary…');
  const install = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'inherit' });
  if (install.status !== 0) {
    console.error(
      'custodian: could not download Electron. `npm start` needs a desktop with network access to Electron releases.',
    );
    process.exit(1);
  }
}
if (!electronBinaryPresent(dir)) {
  console.log(
    'custodian: no Electron binary here; skipping the native rebuild for Electron (keytar stays built for Node).',
  );
  process.exit(0);
}
if (!rebuildForElectron()) {
  // The app still starts: the keychain reports itself unavailable and the
  // recovery passphrase works. Say so loudly rather than failing the install.
  console.warn(
    'custodian: rebuilding keytar for Electron failed; the keychain will be unavailable in the app until it succeeds.',
  );
  process.exit(mode === 'start' ? 1 : 0);
}
