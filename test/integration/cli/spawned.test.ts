import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/core-fixture';
import { ensureCliBundle } from './bundle';
import { cli, makeSandbox, type Sandbox } from './cli-harness';

// The few commands run as a person runs them: bin/custodian.mjs starting
// the bundle in its own process. Everything else runs in-process.

const root = join(import.meta.dirname, '../../..');
let bin: string;
let sandbox: Sandbox;
beforeAll(async () => {
  bin = ensureCliBundle();
  sandbox = await makeSandbox();
});
afterAll(async () => {
  await sandbox?.cleanup();
});

const run = (args: readonly string[], env = sandbox.env) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: root, env, encoding: 'utf8' });

describe('the bundled custodian command', () => {
  it('prints the version and the usage', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const shown = run(['--version']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toBe(`custodian ${version}\n`);
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: custodian');
    expect(help.stdout).toContain('credential types [--json]');
  });

  it('exits with the refusal’s status: 2 for usage, 3 for status with nothing running', () => {
    const usage = run(['frobnicate']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Unknown command "frobnicate".');
    const status = run(['status']);
    expect(status.status).toBe(3);
    expect(status.stderr).toBe('custodian: Custodian is not running (vault state unknown)\n');
  });

  it('serves, answers a command over the socket, and stops on SIGTERM with status 0', async () => {
    expect((await cli(sandbox, ['init', '--recovery-file', join(sandbox.dataDir, 'r')])).code).toBe(
      0,
    );
    const server = spawn(process.execPath, [bin, 'serve'], { cwd: root, env: sandbox.env });
    const exited = new Promise<number | null>((resolve) => server.once('close', resolve));
    try {
      let log = '';
      await new Promise<void>((resolve, reject) => {
        server.stderr.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          if (log.includes('custodian: serving ')) resolve();
        });
        void exited.then((code) => reject(new Error(`serve ended (${code}): ${log}`)));
      });
      const status = spawn(process.execPath, [bin, 'status', '--json'], { env: sandbox.env });
      let out = '';
      status.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      expect(await new Promise((resolve) => status.once('close', resolve))).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ running: true, vault: 'unlocked' });
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('what --help loads', () => {
  // From the sources (through tsx), where each module is its own file.
  const imports = async (args: readonly string[]) => {
    const record = join(await makeTempDir('custodian-imports-'), 'imports.txt');
    const entry = join(root, 'electron/headless/cli/main.ts');
    const hook = join(import.meta.dirname, 'record-imports.mjs');
    spawnSync(process.execPath, ['--import', 'tsx', '--import', hook, entry, ...args], {
      cwd: root,
      env: { ...sandbox.env, RECORD_IMPORTS: record },
    });
    return (await readFile(record, 'utf8')).split('\n').filter(Boolean);
  };

  it('loads the argument parser and no command, core or socket client', async () => {
    const help = await imports(['--help']);
    expect(help.some((url) => url.endsWith('/electron/headless/cli/run.ts'))).toBe(true);
    const heavy = /\/cli\/commands\/|\/cli\/client\.ts|\/core\/create-core\.ts|headless-core\.ts/;
    expect(help.filter((url) => heavy.test(url))).toEqual([]);
    // The recorder sees a command's modules when one runs.
    const status = await imports(['status']);
    expect(status.some((url) => url.endsWith('/cli/commands/status.ts'))).toBe(true);
  });
});
