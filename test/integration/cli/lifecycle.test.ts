import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeSocketPath } from '../../../electron/core/bridge';
import { startCore } from '../../support/core-fixture';
import { cli, stopServers, makeSandbox, serve, type Sandbox, type Server } from './cli-harness';

// One vault's life through the CLI alone: init, serve, status, credentials
// in and out, tool modes, lock, SIGTERM, and serving again from the
// recovery passphrase when the keychain has lost the key.

const KEY = 'sk-cli-lifecycle-secret-5521';
const PASSWORD = 'hunter2-cli-lifecycle-7731';

let sandbox: Sandbox;
let server: Server | undefined;
beforeAll(async () => {
  sandbox = await makeSandbox();
});
afterAll(async () => {
  await stopServers();
  await sandbox?.cleanup();
});

/** No output of any command may carry a stored secret. */
function expectNoSecrets(...texts: string[]) {
  for (const text of texts) expect(text.includes(KEY) || text.includes(PASSWORD)).toBe(false);
}

describe('init', () => {
  it('writes the recovery passphrase to a new 0600 file and enrolls the keychain', async () => {
    const file = join(sandbox.dataDir, 'recovery.txt');
    const out = await cli(sandbox, ['init', '--recovery-file', file]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(`recovery passphrase written to ${file}`);
    expect(out.stderr).toContain('the master key is in the system keychain');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const passphrase = await readFile(file, 'utf8');
    expect(passphrase.endsWith('\n') && passphrase.trim().length >= 20).toBe(true);
    expect((await keytar.findCredentials(sandbox.keychainService)).length).toBe(1);
  });

  it('refuses a second vault in the same folder', async () => {
    const out = await cli(sandbox, ['init']);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`custodian: ${sandbox.dataDir} already holds a vault\n`);
    expect(out.stdout).toBe('');
  });

  it('refuses to overwrite an existing recovery file, and leaves it as it was', async () => {
    const other = await makeSandbox();
    try {
      const file = join(other.dataDir, 'taken.txt');
      await writeFile(file, 'somebody else’s passphrase\n');
      const out = await cli(other, ['init', '--recovery-file', file]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`${file} already exists: refusing to overwrite it`);
      expect(await readFile(file, 'utf8')).toBe('somebody else’s passphrase\n');
      // Nothing was created: the folder can still get its vault.
      expect(existsSync(join(other.dataDir, 'vault.cvlt'))).toBe(false);
    } finally {
      await other.cleanup();
    }
  });

  it('prints the passphrase on stdout without --recovery-file, and it opens the vault', async () => {
    const other = await makeSandbox();
    try {
      const out = await cli(other, ['init']);
      expect(out.code).toBe(0);
      const passphrase = out.stdout.trim();
      expect(out.stdout.split('\n').length === 2 && passphrase.length >= 20).toBe(true);
      expect(out.stderr.includes(passphrase)).toBe(false);
      // Proof it is the real one: forget the keychain's key and serve from the passphrase.
      const file = join(other.dataDir, 'from-stdout.txt');
      await writeFile(file, out.stdout, { mode: 0o600 });
      for (const { account } of await keytar.findCredentials(other.keychainService))
        await keytar.deletePassword(other.keychainService, account);
      const recovered = await serve(other, ['--recovery-file', file]);
      recovered.signal('SIGTERM');
      expect(await recovered.exited).toBe(0);
    } finally {
      await stopServers();
      await other.cleanup();
    }
  });
});

describe('serve and the commands that talk to it', () => {
  beforeAll(async () => {
    server = await serve(sandbox, ['--admin']);
  });

  it('announces itself on stderr and nowhere else', () => {
    expect(server?.stderr()).toContain(
      `custodian: serving ${sandbox.dataDir} (vault unlocked; admin channel open)`,
    );
  });

  it('status reports an unlocked vault and the connected clients', async () => {
    const text = await cli(sandbox, ['status']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`is running on ${sandbox.dataDir}: vault unlocked, no other clients connected`),
    );
    const json = await cli(sandbox, ['status', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      running: true,
      dataDir: sandbox.dataDir,
      vault: 'unlocked',
      // The CLI's own connection counts.
      clients: 1,
    });
  });

  it('refuses a second serve or an init beside the running one', async () => {
    const again = await cli(sandbox, ['serve']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`custodian: Custodian is already running on ${sandbox.dataDir}`);
    const init = await cli(sandbox, ['init']);
    expect(init.code).toBe(1);
    expect(init.stderr).toContain(`custodian: Custodian is already running on ${sandbox.dataDir}`);
    expect(init.stdout).toBe('');
    // The first one serves on.
    expect((await cli(sandbox, ['status'])).code).toBe(0);
  });

  it('adds a credential whose secret comes from a file, stripping one trailing newline', async () => {
    const file = join(sandbox.dataDir, 'key.txt');
    await writeFile(file, `${KEY}\n`, { mode: 0o600 });
    const out = await cli(sandbox, [
      'credential',
      'add',
      '--type',
      'api_key',
      '--name',
      'github',
      '--description',
      'GitHub token',
      '--field',
      `key=@${file}`,
      '--field',
      'header_name=Authorization',
    ]);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('custodian: added api_key credential "github"\n');
    expectNoSecrets(out.stdout, out.stderr);
  });

  it('adds a credential whose secret comes from stdin', async () => {
    const out = await cli(
      sandbox,
      [
        'credential',
        'add',
        '--type',
        'basic_auth',
        '--name',
        'intranet',
        '--field',
        'username=alice',
        '--field',
        'password=@-',
      ],
      `${PASSWORD}\n`,
    );
    expect(out.code).toBe(0);
    expectNoSecrets(out.stdout, out.stderr);
  });

  it('passes the core’s refusal on: a missing required field', async () => {
    const file = join(sandbox.dataDir, 'key.txt');
    const out = await cli(sandbox, [
      'credential',
      'add',
      '--type',
      'basic_auth',
      '--name',
      'half',
      '--field',
      `password=@${file}`,
    ]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^custodian: .*username/);
    expectNoSecrets(out.stdout, out.stderr);
  });

  it('lists credentials as a table and as JSON, without secrets', async () => {
    const table = await cli(sandbox, ['credential', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+UPDATED\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['github', 'api_key'],
      ['intranet', 'basic_auth'],
    ]);
    const json = await cli(sandbox, ['credential', 'list', '--json']);
    expect(json.code).toBe(0);
    const credentials = JSON.parse(json.stdout) as { name: string; description: string }[];
    expect(credentials.map((c) => [c.name, c.description])).toEqual([
      ['github', 'GitHub token'],
      ['intranet', ''],
    ]);
    expectNoSecrets(table.stdout, json.stdout, table.stderr, json.stderr);
  });

  it('removes a credential, and says so when there is none of that name', async () => {
    const added = await cli(
      sandbox,
      ['credential', 'add', '--type', 'secret_note', '--name', 'scratch', '--field', 'note=@-'],
      'short-lived',
    );
    expect(added.code).toBe(0);
    const removed = await cli(sandbox, ['credential', 'remove', 'scratch']);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toBe('custodian: removed credential "scratch"\n');
    const again = await cli(sandbox, ['credential', 'remove', 'scratch']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^custodian: .*scratch/);
    const json = await cli(sandbox, ['credential', 'list', '--json']);
    expect(JSON.parse(json.stdout).map((c: { name: string }) => c.name)).toEqual([
      'github',
      'intranet',
    ]);
  });

  it('lists tools with their modes and turns one off', async () => {
    const before = await cli(sandbox, ['tool', 'list', '--json']);
    expect(before.code).toBe(0);
    const modes = (out: string) =>
      Object.fromEntries(
        (JSON.parse(out) as { name: string; mode: string }[]).map((t) => [t.name, t.mode]),
      );
    expect(modes(before.stdout)).toMatchObject({ http_request: 'ask', list_credentials: 'allow' });

    const set = await cli(sandbox, ['tool', 'set', 'http_request', 'off']);
    expect(set.code).toBe(0);
    expect(set.stderr).toBe('custodian: http_request is now off\n');

    const after = await cli(sandbox, ['tool', 'list', '--json']);
    expect(modes(after.stdout).http_request).toBe('off');
    const table = await cli(sandbox, ['tool', 'list']);
    expect(table.stdout).toMatch(/^http_request\s+off\s+built-in/m);
  });

  it('refuses a tool that does not exist', async () => {
    const out = await cli(sandbox, ['tool', 'set', 'no_such_tool', 'allow']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^custodian: .*no_such_tool/);
  });

  it('locks the vault; status then says locked and credential commands fail', async () => {
    const lock = await cli(sandbox, ['lock']);
    expect(lock.code).toBe(0);
    expect(lock.stderr).toBe('custodian: vault locked\n');
    const status = await cli(sandbox, ['status', '--json']);
    expect(JSON.parse(status.stdout).vault).toBe('locked');
    const list = await cli(sandbox, ['credential', 'list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/^custodian: /);
  });

  it('stops on SIGTERM with status 0 and removes its socket', async () => {
    expect(existsSync(bridgeSocketPath(sandbox.dataDir))).toBe(true);
    server?.signal('SIGTERM');
    expect(await server?.exited).toBe(0);
    expect(server?.stderr()).toContain('custodian: stopping (SIGTERM)');
    expect(existsSync(bridgeSocketPath(sandbox.dataDir))).toBe(false);
    const status = await cli(sandbox, ['status']);
    expect(status.code).toBe(3);
  });
});

describe('serving without the keychain’s key', () => {
  beforeAll(async () => {
    for (const { account } of await keytar.findCredentials(sandbox.keychainService))
      await keytar.deletePassword(sandbox.keychainService, account);
  });

  it('refuses to serve locked, and says to give --recovery-file', async () => {
    const out = await cli(sandbox, ['serve']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('custodian: cannot unlock with the system keychain');
    expect(out.stderr).toContain('--recovery-file FILE');
    expect(existsSync(bridgeSocketPath(sandbox.dataDir))).toBe(false);
  });

  it('unlocks with --recovery-file, and the credentials are there', async () => {
    const recovered = await serve(sandbox, [
      '--admin',
      '--recovery-file',
      join(sandbox.dataDir, 'recovery.txt'),
    ]);
    const list = await cli(sandbox, ['credential', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((c: { name: string }) => c.name)).toEqual([
      'github',
      'intranet',
    ]);
    recovered.signal('SIGTERM');
    expect(await recovered.exited).toBe(0);
  });

  it('stored the secrets as read from the file and stdin, less one trailing newline', async () => {
    // The vault itself, opened in this process: the one place the value may be looked at.
    const fixture = await startCore({
      dataDir: sandbox.dataDir,
      keychainService: sandbox.keychainService,
    });
    try {
      await fixture.core.vault.unlock();
      const stored = fixture.core.vault.read((content) =>
        content.credentials.map((c) => [
          c.name,
          c.fields.key === KEY || (c.fields.password === PASSWORD && c.fields.username === 'alice'),
        ]),
      );
      expect(stored).toEqual([
        ['github', true],
        ['intranet', true],
      ]);
    } finally {
      await fixture.core.close();
    }
  });
});
