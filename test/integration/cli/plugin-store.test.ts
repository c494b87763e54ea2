import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/core-fixture';
import {
  catalogEntry,
  newPublisher,
  packFixture,
  signedCatalog,
  withVersion,
  type Publisher,
} from '../../support/store-fixtures';
import { startStoreServer, type StoreServer } from '../../support/store-server';
import { cli, stopServers, makeSandbox, serve, type Outcome, type Sandbox } from './cli-harness';

// The store driven from the command line against a real `custodian serve`
// and a real HTTP server on 127.0.0.1 standing in for a publisher: catalogs
// added, refreshed and removed; plugins installed from a catalog, a signed
// or unsigned local archive and a URL, updated (a wider update only with
// --yes), downgraded only when asked, and removed, each hot-reloaded so its
// tools come and go without a restart.

let sandbox: Sandbox;
let store: StoreServer;
let publisher: Publisher;
let work: string;
let catalogId: string;
const outputs: Outcome[] = [];

/** echo 1.2.0 asks for more than 1.0/1.1 did: the log and HTTPS to hosts under example.com. */
const widen = (toml: string) =>
  `${withVersion('1.2.0')(toml)}\n[capabilities]\nlog = true\nhttp = ["*.example.com"]\n`;

const archives: Record<string, Buffer> = {};

/** crypto-probe's credential type with a field that is not secret, beside its secret token. */
const withRegion = (toml: string) =>
  toml.replace(
    'secret = true\n',
    'secret = true\n\n[[credential_types.fields]]\nname = "region"\nlabel = "Region"\n',
  );

async function publish(sequence: number, versions: readonly string[]): Promise<void> {
  const plugins = [];
  for (const version of versions) {
    const path = `/echo-${version}.zip`;
    store.put(path, archives[version] as Buffer);
    plugins.push(await catalogEntry(archives[version] as Buffer, store.url(path)));
  }
  store.put('/catalog.json', signedCatalog(publisher, { sequence, plugins }), 'application/json');
}

async function run(args: readonly string[]): Promise<Outcome> {
  const out = await cli(sandbox, args);
  outputs.push(out);
  return out;
}

interface ListedPlugin {
  name: string;
  version: string;
  status: string;
  source: string;
}

async function plugins(): Promise<ListedPlugin[]> {
  const out = await run(['plugin', 'list', '--json']);
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout) as ListedPlugin[];
}

async function pluginNamed(name: string): Promise<ListedPlugin | undefined> {
  return (await plugins()).find((p) => p.name === name);
}

async function toolNames(): Promise<string[]> {
  const out = await run(['tool', 'list', '--json']);
  expect(out.code).toBe(0);
  return (JSON.parse(out.stdout) as { name: string }[]).map((t) => t.name);
}

const pluginsFolder = () => readdir(join(sandbox.dataDir, 'plugins')).catch(() => []);

beforeAll(async () => {
  sandbox = await makeSandbox();
  store = await startStoreServer();
  publisher = newPublisher();
  work = await makeTempDir('custodian-cli-store-');
  archives['1.0.0'] = await packFixture('echo');
  archives['1.1.0'] = await packFixture('echo', withVersion('1.1.0'));
  archives['1.2.0'] = await packFixture('echo', widen);
  await publish(1, ['1.0.0']);
  await writeFile(join(work, 'publisher.pub'), `${publisher.publicKey}\n`);
  await writeFile(join(work, 'publisher.key'), publisher.privateKey, { mode: 0o600 });

  const init = await cli(sandbox, ['init', '--recovery-file', join(work, 'recovery.txt')]);
  expect(init.code).toBe(0);
  // The store may reach exactly this test server over plain http, nothing else
  // (read by the core, which serves in this process).
  process.env.CUSTODIAN_STORE_ALLOW_PRIVATE = store.hostPort;
  await serve(sandbox, ['--admin']);
});
afterAll(async () => {
  await stopServers();
  await store?.close();
  await sandbox?.cleanup();
});

describe('catalogs', () => {
  it('refuses a key that is not a raw Ed25519 key, before asking the core', async () => {
    const out = await run(['catalog', 'add', store.url('/catalog.json'), '--key', 'c2hvcnQ=']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('the key is not valid: The public key must be a 32-byte');
    const list = await run(['catalog', 'list', '--json']);
    expect(JSON.parse(list.stdout).some((c: { url: string }) => c.url.startsWith(store.base))).toBe(
      false,
    );
  });

  it('adds a catalog with the key from a .pub file, fetching and checking it', async () => {
    const out = await run([
      'catalog',
      'add',
      store.url('/catalog.json'),
      '--key',
      `@${join(work, 'publisher.pub')}`,
    ]);
    expect(out.code).toBe(0);
    const added = /^custodian: added catalog ([0-9a-f]{16}): "Test catalog" from /.exec(out.stderr);
    expect(added).not.toBeNull();
    catalogId = added?.[1] as string;
    expect(out.stderr).toContain(`key ${publisher.keyId}, sequence 1, 1 plugin`);
    expect(store.requests).toContain('/catalog.json');
  });

  it('lists it, as JSON and as a table', async () => {
    const json = await run(['catalog', 'list', '--json']);
    expect(json.code).toBe(0);
    const mine = (JSON.parse(json.stdout) as { id: string }[]).find((c) => c.id === catalogId);
    expect(mine).toMatchObject({
      url: store.url('/catalog.json'),
      keyId: publisher.keyId,
      name: 'Test catalog',
      sequence: 1,
      stale: false,
      lastError: null,
    });
    const table = await run(['catalog', 'list']);
    expect(table.stdout).toMatch(
      /^ID\s+NAME\s+URL\s+KEY\s+SEQUENCE\s+EXPIRES\s+STALE\s+LAST ERROR$/m,
    );
    expect(table.stdout).toMatch(
      new RegExp(
        `^${catalogId}\\s+Test catalog\\s+${store.url('/catalog.json')}\\s+${publisher.keyId}\\s+1\\s`,
        'm',
      ),
    );
  });

  it('refreshes: unchanged, then a newer sequence', async () => {
    const same = await run(['catalog', 'refresh', catalogId]);
    expect(same.code).toBe(0);
    expect(same.stdout).toBe(`${catalogId}: unchanged at sequence 1\n`);
    await publish(2, ['1.0.0', '1.1.0']);
    const newer = await run(['catalog', 'refresh']);
    expect(newer.code).toBe(0);
    expect(newer.stdout).toContain(`${catalogId}: updated to sequence 2\n`);
  });

  it('reports a refused refresh with status 1; the copy in use stays', async () => {
    // Rolled back: an older sequence, properly signed.
    await publish(1, ['1.0.0']);
    const out = await run(['catalog', 'refresh', catalogId]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`^custodian: ${catalogId}: refused \\(rollback\\): `));
    const list = await run(['catalog', 'list', '--json']);
    const mine = (JSON.parse(list.stdout) as { id: string; sequence: number }[]).find(
      (c) => c.id === catalogId,
    );
    expect(mine?.sequence).toBe(2);
    await publish(2, ['1.0.0', '1.1.0']);
  });
});

describe('installing from a catalog', () => {
  it('installs NAME@VERSION, saying where from, why it is trusted, what it grants', async () => {
    expect(await toolNames()).not.toContain('fixture_echo');
    const out = await run(['plugin', 'install', 'echo@1.0.0']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('installed echo 1.0.0\n');
    expect(out.stdout).toMatch(/trust: +listed in catalog "Test catalog"\n/);
    expect(out.stdout).toMatch(/grants: +nothing beyond its sandbox\n/);
    expect(out.stdout).not.toContain('WARNING');
    expect(out.stdout).toMatch(/tools: +fixture_echo: Echo the parameters back\.\n/);
  });

  it('lists it, loaded, and its tool is there at once', async () => {
    expect(await pluginNamed('echo')).toMatchObject({ version: '1.0.0', status: 'loaded' });
    const table = await run(['plugin', 'list']);
    expect(table.stdout).toMatch(/^NAME\s+VERSION\s+STATUS\s+SOURCE$/m);
    expect(table.stdout).toMatch(/^echo\s+1\.0\.0\s+loaded\s+catalog: Test catalog$/m);
    expect(await toolNames()).toContain('fixture_echo');
  });

  it('refuses a name no catalog lists', async () => {
    const out = await run(['plugin', 'install', 'no-such-plugin']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('no-such-plugin');
  });

  it('updates to the highest version listed, then says it is up to date', async () => {
    const out = await run(['plugin', 'update', 'echo']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('updated echo 1.0.0 → 1.1.0\n');
    expect((await pluginNamed('echo'))?.version).toBe('1.1.0');
    const again = await run(['plugin', 'update', 'echo']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('echo is up to date (1.1.0)\n');
  });

  it('refuses a downgrade without --allow-downgrade, and does it with', async () => {
    const refused = await run(['plugin', 'install', 'echo@1.0.0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('rerun with --allow-downgrade');
    expect((await pluginNamed('echo'))?.version).toBe('1.1.0');

    const done = await run(['plugin', 'install', 'echo@1.0.0', '--allow-downgrade']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('downgraded echo 1.1.0 → 1.0.0\n');
    expect((await pluginNamed('echo'))?.version).toBe('1.0.0');
  });

  it('refuses an update that widens capabilities without --yes; the old version stays loaded', async () => {
    await publish(3, ['1.0.0', '1.1.0', '1.2.0']);
    expect((await run(['catalog', 'refresh', catalogId])).code).toBe(0);
    const refused = await run(['plugin', 'update', 'echo']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('rerun with --yes to accept');
    expect(refused.stderr).toMatch(/example\.com/);
    expect(await pluginNamed('echo')).toMatchObject({ version: '1.0.0', status: 'loaded' });
    expect(await toolNames()).toContain('fixture_echo');
  });

  it('accepts it with --yes, printing the wider grants in plain words', async () => {
    const out = await run(['plugin', 'update', 'echo', '--yes']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('updated echo 1.0.0 → 1.2.0\n');
    expect(out.stdout).toContain('may send HTTPS requests to any host under example.com\n');
    expect(out.stdout).toContain('may write to the app log\n');
    expect(await pluginNamed('echo')).toMatchObject({ version: '1.2.0', status: 'loaded' });
    expect(await toolNames()).toContain('fixture_echo');
  });
});

describe('installing local archives and URLs', () => {
  it('refuses an unsigned archive without --allow-unsigned, changing nothing', async () => {
    const archive = join(work, 'crypto-probe.zip');
    await writeFile(archive, await packFixture('crypto-probe', withRegion));
    const before = await pluginsFolder();
    const out = await run(['plugin', 'install', archive]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('rerun with --allow-unsigned if you trust it');
    expect(await pluginsFolder()).toEqual(before);
    expect(await pluginNamed('crypto-probe')).toBeUndefined();
  });

  it('installs it with --allow-unsigned, saying UNSIGNED', async () => {
    const out = await run([
      'plugin',
      'install',
      join(work, 'crypto-probe.zip'),
      '--allow-unsigned',
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('installed crypto-probe 1.0.0\n');
    expect(out.stdout).toMatch(/trust: +UNSIGNED \(/);
    expect(out.stdout).toMatch(/grants: +may use cryptographic functions\n/);
    expect(await pluginNamed('crypto-probe')).toMatchObject({ status: 'loaded' });
  });

  it('lists the plugin’s credential type with its fields, beside the built-in ones', async () => {
    const json = await run(['credential', 'types', '--json']);
    expect(json.code).toBe(0);
    const types = JSON.parse(json.stdout) as {
      name: string;
      source: string;
      fields: { name: string; secret: boolean }[];
    }[];
    expect(types.find((t) => t.name === 'crypto_probe_token')).toMatchObject({
      fields: [
        { name: 'token', secret: true },
        { name: 'region', secret: false },
      ],
    });
    expect(types.find((t) => t.name === 'api_key')?.source).toBe('built-in');
    const table = await run(['credential', 'types']);
    expect(table.stdout).toMatch(/^TYPE\s+SOURCE\s+FIELDS$/m);
    expect(table.stdout).toMatch(
      /^crypto_probe_token\s+\S.*\s+token \(secret, required\), region$/m,
    );
  });

  it('takes the plugin type’s non-secret field inline, and still refuses its secret one', async () => {
    const refused = await run([
      'credential',
      'add',
      '--type',
      'crypto_probe_token',
      '--name',
      'probe',
      '--field',
      'region=us-east-1',
      '--field',
      'token=sk-cli-probe-DO-NOT-ECHO-4471',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('field "token" may be secret');
    expect(refused.stderr.includes('sk-cli-probe-DO-NOT-ECHO-4471')).toBe(false);
    const added = await cli(
      sandbox,
      [
        'credential',
        'add',
        '--type',
        'crypto_probe_token',
        '--name',
        'probe',
        '--field',
        'region=us-east-1',
        '--field',
        'token=@-',
      ],
      'sk-cli-probe-4471\n',
    );
    expect(added.code).toBe(0);
    expect(added.stderr).toBe('custodian: added crypto_probe_token credential "probe"\n');
  });

  it('installs an archive signed by the catalog’s key (plugin sign) without the flag', async () => {
    const archive = join(work, 'vultrino-echo.zip');
    await writeFile(archive, await packFixture('vultrino-echo'));
    const signed = await run(['plugin', 'sign', '--key', join(work, 'publisher.key'), archive]);
    expect(signed.code).toBe(0);
    expect(JSON.parse(await readFile(`${archive}.sig`, 'utf8')).keyId).toBe(publisher.keyId);

    const out = await run(['plugin', 'install', archive]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('installed vultrino-echo 1.0.0\n');
    expect(out.stdout).toContain(`signed by key ${publisher.keyId} (catalog "Test catalog")`);
    // Its ABI passes values, whatever its manifest says: a warning of its own.
    expect(out.stdout).toMatch(/WARNING: +this plugin reads your secret values: /);
    expect(await toolNames()).toContain('fixture_vultrino_echo');
  });

  it('treats an archive signed by a key nobody trusts as unsigned', async () => {
    const stranger = newPublisher();
    const keyFile = join(work, 'stranger.key');
    await writeFile(keyFile, stranger.privateKey, { mode: 0o600 });
    const archive = join(work, 'log-spam.zip');
    await writeFile(archive, await packFixture('log-spam'));
    expect((await run(['plugin', 'sign', '--key', keyFile, archive])).code).toBe(0);
    const out = await run(['plugin', 'install', archive]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(stranger.keyId);
    expect(out.stderr).toContain('rerun with --allow-unsigned');
    expect(await pluginNamed('log-spam')).toBeUndefined();
  });

  it('installs from a URL (unsigned there, so only with the flag)', async () => {
    store.put('/http-fetch.zip', await packFixture('http-fetch'));
    const refused = await run(['plugin', 'install', store.url('/http-fetch.zip')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('rerun with --allow-unsigned');
    const out = await run(['plugin', 'install', store.url('/http-fetch.zip'), '--allow-unsigned']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('installed http-fetch 1.0.0\n');
    expect(out.stdout).toMatch(/from: +http:\/\/127\.0\.0\.1:\d+\/http-fetch\.zip\n/);
    expect(out.stdout).toContain('may send HTTPS requests to allowed.test\n');
    expect(out.stdout).toContain('may send HTTPS requests to any host under allowed.test\n');
  });

  it('says a missing archive does not exist, without asking the core', async () => {
    const out = await run(['plugin', 'install', join(work, 'nothing-here.zip')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${join(work, 'nothing-here.zip')} does not exist`);
  });
});

describe('removing', () => {
  it('removes a plugin: gone from the list and its tool from the agent', async () => {
    const out = await run(['plugin', 'remove', 'vultrino-echo']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('custodian: removed plugin "vultrino-echo"\n');
    expect(await pluginNamed('vultrino-echo')).toBeUndefined();
    expect(await toolNames()).not.toContain('fixture_vultrino_echo');
    const again = await run(['plugin', 'remove', 'vultrino-echo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('vultrino-echo');
  });

  it('removes the catalog; refreshing it then fails', async () => {
    const out = await run(['catalog', 'remove', catalogId]);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe(`custodian: removed catalog ${catalogId}\n`);
    const list = await run(['catalog', 'list', '--json']);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id)).not.toContain(catalogId);
    const refresh = await run(['catalog', 'refresh', catalogId]);
    expect(refresh.code).toBe(1);
    // What came from it stays installed; only new installs need the catalog.
    expect((await pluginNamed('echo'))?.version).toBe('1.2.0');
  });
});

describe('a credential type with an import, from the command line', () => {
  const seed = 'ab'.repeat(32);
  const files = async () => {
    await writeFile(join(work, 'seed.txt'), `${seed}\n`, { mode: 0o600 });
    await writeFile(join(work, 'pass.txt'), 'let me in\n', { mode: 0o600 });
    await writeFile(join(work, 'wrong.txt'), 'guess\n', { mode: 0o600 });
  };
  const add = (name: string, passphraseFile: string) =>
    run([
      'credential',
      'add',
      '--type',
      'fixture_key',
      '--name',
      name,
      '--field',
      `seed=@${join(work, 'seed.txt')}`,
      '--field',
      `passphrase=@${join(work, passphraseFile)}`,
    ]);

  it('imports as the window does: the import’s info on stdout, a refusal as the error', async () => {
    const archive = join(work, 'key-import.zip');
    await writeFile(archive, await packFixture('key-import'));
    expect((await run(['plugin', 'install', archive, '--allow-unsigned', '--yes'])).code).toBe(0);
    await files();
    const refused = await add('cli-key-wrong', 'wrong.txt');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('custodian: Wrong passphrase\n');
    const out = await add('cli-key', 'pass.txt');
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('custodian: added fixture_key credential "cli-key"\n');
    expect(JSON.parse(out.stdout)).toEqual({
      public_key: expect.stringMatching(/^[0-9a-f]{64}$/),
      http: 'no network during import',
      logged: false,
    });
    for (const text of [out.stdout, out.stderr, refused.stderr])
      expect(text.includes(seed) || text.includes('let me in')).toBe(false);
  });
});

describe('secrets', () => {
  it('no output carried the publisher’s private key', () => {
    expect(outputs.length).toBeGreaterThan(20);
    const keyLines = publisher.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const out of outputs)
      for (const line of keyLines)
        expect(out.stdout.includes(line) || out.stderr.includes(line)).toBe(false);
  });
});
